// Every object the chart renders, for every CI values file, is validated
// against the Kubernetes schema of its kind (CRDs included: HTTPRoute from the
// Gateway API, ServiceMonitor from the Prometheus Operator).
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
      "ConfigMap", "Deployment", "HTTPRoute", "HorizontalPodAutoscaler", "Ingress", "NetworkPolicy",
      "Pod", "PodDisruptionBudget", "Secret", "Service", "ServiceAccount", "ServiceMonitor", "StatefulSet",
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

  it("refuses a kind it has no schema for", () => {
    const unknown: K8sObject = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } };
    assert.throws(() => validateAgainstKubernetesSchema(unknown), /example.com\/v1\/Widget w: no schema known/);
  });
});
