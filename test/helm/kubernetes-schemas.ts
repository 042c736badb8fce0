// Validates rendered objects against the Kubernetes OpenAPI schemas (and the
// Gateway API and Prometheus Operator CRD schemas) shipped by kubernetes-models,
// and the Google Cloud load balancer objects against JSON schemas written from
// their upstream CRD definitions (crd-schemas/, each citing its source).
// Every kind the chart renders must be listed here: an unknown kind is an
// error, so a new template cannot slip through unvalidated.
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Pod, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { Gateway, HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import type { K8sObject } from "./render.ts";

interface Validatable { validate(): void }
// The model constructors each take their own typed spec; the rendered YAML is
// untyped until validated, so they are called through this one loose signature.
type ModelConstructor = new (data: Record<string, unknown>) => Validatable;

const models: Record<string, ModelConstructor> = {
  "v1/ConfigMap": ConfigMap as unknown as ModelConstructor,
  "v1/Secret": Secret as unknown as ModelConstructor,
  "v1/Service": Service as unknown as ModelConstructor,
  "v1/ServiceAccount": ServiceAccount as unknown as ModelConstructor,
  "v1/Pod": Pod as unknown as ModelConstructor,
  "apps/v1/StatefulSet": StatefulSet as unknown as ModelConstructor,
  "apps/v1/Deployment": Deployment as unknown as ModelConstructor,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler as unknown as ModelConstructor,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget as unknown as ModelConstructor,
  "networking.k8s.io/v1/Ingress": Ingress as unknown as ModelConstructor,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy as unknown as ModelConstructor,
  "gateway.networking.k8s.io/v1/Gateway": Gateway as unknown as ModelConstructor,
  "gateway.networking.k8s.io/v1/HTTPRoute": HTTPRoute as unknown as ModelConstructor,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor as unknown as ModelConstructor,
};

// strictRequired is off only because the if/then rule (a CEL rule upstream) names a property declared elsewhere.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
function crdSchema(file: string): ValidateFunction {
  return ajv.compile(JSON.parse(readFileSync(new URL(`./crd-schemas/${file}`, import.meta.url), "utf8")) as object);
}

/** Google Cloud CRDs kubernetes-models does not ship, by apiVersion/kind. */
export const crdValidators: Record<string, ValidateFunction> = {
  "cloud.google.com/v1/BackendConfig": crdSchema("backendconfig.cloud.google.com-v1.json"),
  "networking.gke.io/v1beta1/FrontendConfig": crdSchema("frontendconfig.networking.gke.io-v1beta1.json"),
  "networking.gke.io/v1/GCPBackendPolicy": crdSchema("gcpbackendpolicy.networking.gke.io-v1.json"),
  "networking.gke.io/v1/HealthCheckPolicy": crdSchema("healthcheckpolicy.networking.gke.io-v1.json"),
};

/** Throws, naming the object, when it does not match its kind's schema or its kind is unknown. */
export function validateAgainstKubernetesSchema(object: K8sObject): void {
  const key = `${object.apiVersion}/${object.kind}`;
  const name = object.metadata.name;
  const validateCrd = crdValidators[key];
  if (validateCrd) {
    if (!validateCrd(object)) throw new Error(`${key} ${name}: ${ajv.errorsText(validateCrd.errors)}`);
    return;
  }
  const Model = models[key];
  if (!Model) throw new Error(`${key} ${object.metadata.name}: no schema known for this kind; add it to test/helm/kubernetes-schemas.ts`);
  // The models copy their input; a structured clone drops the freeze renderChart applies.
  const { apiVersion: _apiVersion, kind: _kind, ...data } = structuredClone(object);
  try {
    new Model(data).validate();
  } catch (err) {
    throw new Error(`${key} ${object.metadata.name}: ${(err as Error).message}`);
  }
}
