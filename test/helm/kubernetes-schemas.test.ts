// Every object the chart renders, for every CI values file, is validated
// against the Kubernetes schema of its kind (CRDs included: HTTPRoute and
// Gateway from the Gateway API, ServiceMonitor from the Prometheus Operator,
// and BackendConfig, FrontendConfig, GCPBackendPolicy and HealthCheckPolicy against schemas
// written from Google's CRD definitions).
import assert from "node:assert/strict";
import { basename } from "node:path";
import { validateAgainstKubernetesSchema } from "./kubernetes-schemas.ts";
import { ciValuesFile, ciValuesFiles, renderChart, serverStatefulSet, type K8sObject } from "./render.ts";

function kindsOf(objects: readonly K8sObject[]): Set<string> {
  return new Set(objects.map((o) => o.kind));
}

describe("rendered objects against Kubernetes schemas", () => {
  for (const file of ciValuesFiles()) {
    it(`every object rendered from ci/${basename(file)} is valid`, () => {
      const objects = renderChart([file]);
      assert.ok(objects.length >= 6, `only ${objects.length} objects rendered`);
      for (const object of objects) validateAgainstKubernetesSchema(object);
    });
  }

  it("the CI values files together render every kind the chart can produce", () => {
    const kinds = new Set(ciValuesFiles().flatMap((file) => [...kindsOf(renderChart([file]))]));
    assert.deepEqual([...kinds].sort(), [
      "BackendConfig", "ConfigMap", "Deployment", "FrontendConfig", "GCPBackendPolicy", "Gateway", "HTTPRoute", "HealthCheckPolicy",
      "HorizontalPodAutoscaler", "Ingress", "NetworkPolicy", "Pod", "PodDisruptionBudget", "Secret", "Service",
      "ServiceAccount", "ServiceMonitor", "StatefulSet",
    ]);
  });

  // The checks above would pass vacuously if the validators accepted anything.
  it("rejects a core object that breaks its schema", () => {
    const sts = structuredClone(serverStatefulSet(renderChart([ciValuesFile("default")])));
    const container = sts.spec.template.spec.containers[0];
    assert.ok(container?.ports?.[0]);
    (container.ports[0] as { containerPort: unknown }).containerPort = "2567";
    assert.throws(() => validateAgainstKubernetesSchema(sts), /StatefulSet roomservice: .*containerPort.* must be integer/);
  });

  it("rejects an HTTPRoute that breaks the Gateway API schema", () => {
    const route = structuredClone(renderChart([ciValuesFile("gateway")]).find((o) => o.kind === "HTTPRoute"));
    assert.ok(route);
    (route["spec"] as { rules: unknown }).rules = "not a list";
    assert.throws(() => validateAgainstKubernetesSchema(route), /HTTPRoute roomservice: .*rules.* must be array/);
  });

  it("rejects a ServiceMonitor that breaks the Prometheus Operator schema", () => {
    const monitor = structuredClone(renderChart([ciValuesFile("network-policy")]).find((o) => o.kind === "ServiceMonitor"));
    assert.ok(monitor);
    (monitor["spec"] as { endpoints: unknown }).endpoints = [{ port: 8080 }];
    assert.throws(() => validateAgainstKubernetesSchema(monitor), /ServiceMonitor roomservice: .*port.* must be string/);
  });

  // The Google Cloud schemas are ours, written from the upstream CRDs: each must refuse what the API server would.
  const cloudObject = (recipe: string, kind: string): K8sObject => {
    const found = renderChart([ciValuesFile(recipe)]).find((o) => o.kind === kind);
    assert.ok(found, `ci/${recipe}-values.yaml renders no ${kind}`);
    return structuredClone(found);
  };

  it("rejects a BackendConfig that breaks its CRD schema", () => {
    const config = cloudObject("gke-ingress", "BackendConfig");
    (config["spec"] as { timeoutSec: unknown }).timeoutSec = "3600";
    assert.throws(() => validateAgainstKubernetesSchema(config), /BackendConfig roomservice-0: .*timeoutSec must be integer/);
    (config["spec"] as Record<string, unknown>) = { healthCheck: { requestPath: "/healthz", interval: 5 } };
    assert.throws(() => validateAgainstKubernetesSchema(config), /BackendConfig roomservice-0: .*healthCheck must NOT have additional properties/);
  });

  it("rejects a FrontendConfig that breaks its CRD schema", () => {
    const config = cloudObject("gke-ingress", "FrontendConfig");
    (config["spec"] as { redirectToHttps: { responseCodeName: string } }).redirectToHttps.responseCodeName = "301";
    assert.throws(() => validateAgainstKubernetesSchema(config), /FrontendConfig roomservice: .*responseCodeName must be equal to one of the allowed values/);
  });

  it("rejects a GCPBackendPolicy that breaks its CRD schema", () => {
    const policy = cloudObject("gke-gateway", "GCPBackendPolicy");
    const spec = policy["spec"] as { default: { connectionDraining: { drainingTimeoutSec: number } }; targetRef?: unknown };
    spec.default.connectionDraining.drainingTimeoutSec = 3601;
    assert.throws(() => validateAgainstKubernetesSchema(policy), /GCPBackendPolicy roomservice-0: .*drainingTimeoutSec must be <= 3600/);
    delete spec.targetRef;
    assert.throws(() => validateAgainstKubernetesSchema(policy), /must have required property 'targetRef'/);
  });

  it("rejects a HealthCheckPolicy that breaks its CRD schema", () => {
    const policy = cloudObject("gke-gateway", "HealthCheckPolicy");
    const config = (policy["spec"] as { default: { config: Record<string, unknown> } }).default.config;
    config["tcpHealthCheck"] = {};
    assert.throws(() => validateAgainstKubernetesSchema(policy), /HealthCheckPolicy roomservice-0: .*config must NOT have more than 2 properties/);
    delete config["tcpHealthCheck"];
    (config["httpHealthCheck"] as { requestPath: string }).requestPath = "healthz";
    assert.throws(() => validateAgainstKubernetesSchema(policy), /requestPath must match pattern/);
  });

  it("refuses a kind it has no schema for", () => {
    const unknown: K8sObject = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } };
    assert.throws(() => validateAgainstKubernetesSchema(unknown), /example.com\/v1\/Widget w: no schema known/);
  });
});
