// Renders the chart with the real helm binary and reads back what it would
// deploy. renderedTopology() answers "what would each pod run with, and how is
// it reached?" from the rendered objects alone, following the same references
// Kubernetes and an ingress controller follow (route -> Service -> selector ->
// pod, envFrom/secretKeyRef/fieldRef -> value). It is used both by the chart
// tests and to start a local copy of the topology from what the chart renders.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { helmBinary } from "../../scripts/helm.ts";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const chartDir = join(repoRoot, "helm", "roomservice");
export const ciValuesDir = join(chartDir, "ci");

/** The ci/*-values.yaml files, as absolute paths, in name order. */
export function ciValuesFiles(): string[] {
  return readdirSync(ciValuesDir)
    .filter((name) => name.endsWith("-values.yaml"))
    .sort()
    .map((name) => join(ciValuesDir, name));
}

export function ciValuesFile(name: string): string {
  return join(ciValuesDir, `${name}-values.yaml`);
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** One rendered manifest. Fields past metadata are read through the typed helpers below. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function runHelm(args: string[]): HelmResult {
  const result = spawnSync(helmBinary(), args, { encoding: "utf8", cwd: repoRoot });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

export class HelmRenderError extends Error {
  override name = "HelmRenderError";
  readonly stderr: string;
  constructor(stderr: string) {
    super(`helm template failed:\n${stderr}`);
    this.stderr = stderr;
  }
}

export interface RenderOptions {
  /** Release name; "roomservice" gives the shortest names (pods roomservice-0, ...). */
  release?: string;
  namespace?: string;
}

export function valuesArgs(valuesFiles: string[], set: Record<string, string> | undefined): string[] {
  const args: string[] = [];
  for (const file of valuesFiles) args.push("--values", isAbsolute(file) ? file : resolve(repoRoot, file));
  // --set, not --set-string: "3" must reach the schema as a number and "true" as a boolean.
  for (const [key, value] of Object.entries(set ?? {})) args.push("--set", `${key}=${value}`);
  return args;
}

/** Arguments of `helm template` for these values; exported so lint can reuse the same values handling. */
export function templateArgs(valuesFiles: string[], set?: Record<string, string>, options: RenderOptions = {}): string[] {
  return [
    "template", options.release ?? "roomservice", chartDir,
    "--namespace", options.namespace ?? "default",
    ...valuesArgs(valuesFiles, set),
  ];
}

export function lintArgs(valuesFiles: string[], set?: Record<string, string>): string[] {
  return ["lint", "--strict", chartDir, ...valuesArgs(valuesFiles, set)];
}

const renderCache = new Map<string, K8sObject[]>();

/**
 * `helm template` parsed into objects (test hooks included). Throws
 * HelmRenderError carrying helm's stderr when rendering fails. Results are
 * cached per argument list and deep-frozen, so callers cannot alter each other's view.
 */
export function renderChart(valuesFiles: string[], set?: Record<string, string>, options: RenderOptions = {}): K8sObject[] {
  const args = templateArgs(valuesFiles, set, options);
  const key = JSON.stringify(args);
  const cached = renderCache.get(key);
  if (cached) return cached;
  const result = runHelm(args);
  if (result.status !== 0) throw new HelmRenderError(result.stderr);
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(result.stdout)) {
    if (doc.errors.length > 0) throw new Error(`helm template produced invalid YAML: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isK8sObject(value)) throw new Error(`helm template produced a document that is not a Kubernetes object: ${JSON.stringify(value).slice(0, 200)}`);
    objects.push(deepFreeze(value));
  }
  renderCache.set(key, objects);
  return objects;
}

function isK8sObject(value: unknown): value is K8sObject {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const meta = v["metadata"] as Record<string, unknown> | undefined;
  return typeof v["apiVersion"] === "string" && typeof v["kind"] === "string" && typeof meta?.["name"] === "string";
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

// ---- Typed views of the rendered objects the topology needs ------------------

interface EnvVarSource {
  fieldRef?: { fieldPath: string };
  configMapKeyRef?: { name: string; key: string; optional?: boolean };
  secretKeyRef?: { name: string; key: string; optional?: boolean };
}
export interface EnvVar { name: string; value?: string; valueFrom?: EnvVarSource }
interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}
export interface ContainerPort { name?: string; containerPort: number }
export interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: ContainerPort[];
  volumeMounts?: VolumeMount[];
  [field: string]: unknown;
}
export interface VolumeMount { name: string; mountPath: string; subPath?: string; readOnly?: boolean }
export interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[]; optional?: boolean };
  [source: string]: unknown;
}
export interface PodSpec { containers: Container[]; volumes?: Volume[]; [field: string]: unknown }
export interface StatefulSet extends K8sObject {
  spec: { replicas?: number; serviceName: string; template: { metadata: ObjectMeta & { labels: Record<string, string> }; spec: PodSpec }; [field: string]: unknown };
}
export interface ServicePort { name?: string; port: number; targetPort?: number | string }
export interface Service extends K8sObject {
  spec: { selector?: Record<string, string>; ports: ServicePort[]; clusterIP?: string; publishNotReadyAddresses?: boolean; [field: string]: unknown };
}
interface IngressPath { path: string; pathType: string; backend: { service: { name: string; port: { number?: number; name?: string } } } }
export interface Ingress extends K8sObject {
  spec: { rules: { host?: string; http: { paths: IngressPath[] } }[]; [field: string]: unknown };
}
interface HTTPRouteRule {
  matches?: { path?: { type?: string; value?: string } }[];
  backendRefs?: { name: string; port?: number; kind?: string }[];
}
export interface HTTPRoute extends K8sObject {
  spec: { hostnames?: string[]; rules: HTTPRouteRule[]; [field: string]: unknown };
}
export interface HorizontalPodAutoscaler extends K8sObject {
  spec: { scaleTargetRef: { kind: string; name: string }; minReplicas?: number; maxReplicas: number; [field: string]: unknown };
}
interface ConfigMap extends K8sObject { data?: Record<string, string> }
interface Secret extends K8sObject { data?: Record<string, string>; stringData?: Record<string, string> }

export function ofKind<T extends K8sObject>(objects: readonly K8sObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

export function named<T extends K8sObject>(objects: readonly K8sObject[], kind: string, name: string): T {
  const found = ofKind<T>(objects, kind).find((o) => o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} was rendered`);
  return found;
}

/** The roomservice StatefulSet (the chart renders exactly one). */
export function serverStatefulSet(objects: readonly K8sObject[]): StatefulSet {
  const all = ofKind<StatefulSet>(objects, "StatefulSet");
  if (all.length !== 1 || !all[0]) throw new Error(`expected one StatefulSet, rendered ${all.length}`);
  return all[0];
}

export function serverContainer(sts: StatefulSet): Container {
  const container = sts.spec.template.spec.containers.find((c) => c.name === "server");
  if (!container) throw new Error(`StatefulSet ${sts.metadata.name} has no container named "server"`);
  return container;
}

/** True when every selector label is on the pod: how a Service picks its endpoints. */
export function selects(selector: Record<string, string> | undefined, podLabels: Record<string, string>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => podLabels[key] === value);
}

/** Labels pod `ordinal` carries once the StatefulSet controller has created it. */
export function podLabels(sts: StatefulSet, ordinal: number): Record<string, string> {
  return {
    ...sts.spec.template.metadata.labels,
    "statefulset.kubernetes.io/pod-name": `${sts.metadata.name}-${ordinal}`,
    "apps.kubernetes.io/pod-index": String(ordinal),
  };
}

/** The most pods that can exist: the HPA's maximum when one targets the StatefulSet, else its replicas. */
export function maxPods(objects: readonly K8sObject[], sts: StatefulSet): number {
  const hpa = ofKind<HorizontalPodAutoscaler>(objects, "HorizontalPodAutoscaler")
    .find((h) => h.spec.scaleTargetRef.kind === "StatefulSet" && h.spec.scaleTargetRef.name === sts.metadata.name);
  if (hpa) return hpa.spec.maxReplicas;
  // The API server defaults an absent replicas field to 1.
  return sts.spec.replicas ?? 1;
}

export interface RenderedRoute {
  source: "Ingress" | "HTTPRoute";
  objectName: string;
  host: string | undefined;
  /** Path prefix; both Ingress Prefix and HTTPRoute PathPrefix match whole path elements. */
  prefix: string;
  serviceName: string;
  /** Port as the route names it: a number, or a port name of the Service. */
  servicePort: number | string;
}

/** Every path route the rendered Ingresses, or failing that HTTPRoutes, declare. */
export function renderedRoutes(objects: readonly K8sObject[]): RenderedRoute[] {
  const routes: RenderedRoute[] = [];
  for (const ing of ofKind<Ingress>(objects, "Ingress")) {
    for (const rule of ing.spec.rules) {
      for (const path of rule.http.paths) {
        if (path.pathType !== "Prefix") throw new Error(`Ingress ${ing.metadata.name} path ${path.path} has pathType ${path.pathType}, expected Prefix`);
        const port = path.backend.service.port;
        const servicePort = port.number ?? port.name;
        if (servicePort === undefined) throw new Error(`Ingress ${ing.metadata.name} path ${path.path} names no port`);
        routes.push({ source: "Ingress", objectName: ing.metadata.name, host: rule.host, prefix: path.path, serviceName: path.backend.service.name, servicePort });
      }
    }
  }
  if (routes.length > 0) return routes;
  for (const route of ofKind<HTTPRoute>(objects, "HTTPRoute")) {
    const hosts = route.spec.hostnames && route.spec.hostnames.length > 0 ? route.spec.hostnames : [undefined];
    for (const rule of route.spec.rules) {
      const backends = rule.backendRefs ?? [];
      const backend = backends[0];
      if (backends.length !== 1 || !backend || (backend.kind ?? "Service") !== "Service" || backend.port === undefined) {
        throw new Error(`HTTPRoute ${route.metadata.name} has a rule without exactly one Service backend with a port`);
      }
      for (const match of rule.matches ?? []) {
        if (match.path?.type !== "PathPrefix" || !match.path.value) throw new Error(`HTTPRoute ${route.metadata.name} has a non-PathPrefix match`);
        for (const host of hosts) {
          routes.push({ source: "HTTPRoute", objectName: route.metadata.name, host, prefix: match.path.value, serviceName: backend.name, servicePort: backend.port });
        }
      }
    }
  }
  return routes;
}

// ---- The topology ------------------------------------------------------------

export interface ServiceEndpoint {
  name: string;
  /** Port the Service listens on (what the route points at). */
  port: number;
  /** Container port the Service forwards to. */
  targetPort: number;
}

export interface ReplicaTopology {
  ordinal: number;
  podName: string;
  /** The server container's environment, as Kubernetes would build it for this pod. */
  env: Record<string, string>;
  /** The one route prefix whose Service selects this pod and no other, e.g. "/roomservice-0". */
  routePrefix: string;
  service: ServiceEndpoint;
  /** Files the server container sees from rendered ConfigMap volumes: path in the container -> contents. */
  files: Record<string, string>;
}

export interface RenderedTopology {
  /** Where the routes came from: the Ingress when rendered, else the HTTPRoutes. */
  routeSource: "Ingress" | "HTTPRoute";
  /** Host the routes match, or undefined when they match any host. */
  host: string | undefined;
  /** Port the server container listens on, as declared in the pod spec. */
  containerPort: number;
  /** One entry per ordinal 0..max-1, where max is the HPA's maxReplicas or the StatefulSet's replicas. */
  replicas: ReplicaTopology[];
  /** Routes whose Service selects every pod: matchmaking, the web client, health and metrics. */
  main: { paths: string[]; service: ServiceEndpoint };
}

export interface TopologyOptions extends RenderOptions {
  /**
   * Contents of Secrets the chart references but does not render (e.g.
   * externalRedis.existingSecret): secret name -> key -> value. Without them an
   * env var read from such a Secret is an error, never a silent gap.
   */
  secrets?: Record<string, Record<string, string>>;
}

/**
 * Renders the chart and returns, for each pod ordinal up to the most pods that
 * can exist, the pod name, the server container's env with the downward-API
 * pod name substituted, the route prefix reaching exactly that pod, and its
 * Service port; plus the paths and Service of the main route.
 *
 * valuesFiles are absolute or relative to the repository root; `set` entries
 * are passed as `--set key=value`. Needs an Ingress or HTTPRoute in the output.
 */
export function renderedTopology(valuesFiles: string[], set?: Record<string, string>, options: TopologyOptions = {}): RenderedTopology {
  const objects = renderChart(valuesFiles, set, options);
  const namespace = options.namespace ?? "default";
  const sts = serverStatefulSet(objects);
  const container = serverContainer(sts);
  const routes = renderedRoutes(objects);
  const first = routes[0];
  if (!first) throw new Error("the chart rendered neither an Ingress nor an HTTPRoute; enable ingress.enabled or gateway.enabled");
  const hosts = new Set(routes.map((r) => r.host));
  if (hosts.size !== 1) throw new Error(`routes match several hosts (${[...hosts].join(", ")}); expected one public host`);

  const count = maxPods(objects, sts);
  // One pod more than can exist tells the main Service (it would select that pod
  // too) from a per-pod Service, even when a single replica runs.
  const pods = Array.from({ length: count + 1 }, (_, ordinal) => podLabels(sts, ordinal));
  const endpointOf = (route: RenderedRoute): { service: Service; endpoint: ServiceEndpoint; selected: number[] } => {
    const service = named<Service>(objects, "Service", route.serviceName);
    const port = service.spec.ports.find((p) => (typeof route.servicePort === "number" ? p.port === route.servicePort : p.name === route.servicePort));
    if (!port) throw new Error(`route ${route.prefix} points at port ${route.servicePort}, which Service ${service.metadata.name} does not have`);
    const selected = pods.flatMap((labels, ordinal) => (selects(service.spec.selector, labels) ? [ordinal] : []));
    return { service, endpoint: { name: service.metadata.name, port: port.port, targetPort: resolveTargetPort(port, container) }, selected };
  };

  const resolved = routes.map((route) => ({ route, ...endpointOf(route) }));
  const mainRoutes = resolved.filter((r) => r.selected.length === pods.length);
  const mainFirst = mainRoutes[0];
  if (!mainFirst) throw new Error("no route reaches a Service that selects every pod (the main Service)");
  if (new Set(mainRoutes.map((r) => r.endpoint.name)).size !== 1) throw new Error("main routes point at more than one Service");

  const replicas = pods.slice(0, count).map((labels, ordinal): ReplicaTopology => {
    const podName = labels["statefulset.kubernetes.io/pod-name"] ?? "";
    const own = resolved.filter((r) => r.selected.length === 1 && r.selected[0] === ordinal);
    const route = own[0];
    if (!route) throw new Error(`no route reaches pod ${podName} alone`);
    if (own.length > 1) throw new Error(`several routes reach pod ${podName} alone: ${own.map((r) => r.route.prefix).join(", ")}`);
    return {
      ordinal,
      podName,
      env: containerEnv(container, { podName, namespace, objects, secrets: options.secrets ?? {} }),
      routePrefix: route.route.prefix,
      service: route.endpoint,
      files: mountedConfigMapFiles(sts.spec.template.spec, container, objects),
    };
  });

  return {
    routeSource: first.source,
    host: first.host,
    containerPort: resolveTargetPort({ port: 0, targetPort: "http" }, container),
    replicas,
    main: { paths: mainRoutes.map((r) => r.route.prefix), service: mainFirst.endpoint },
  };
}

function resolveTargetPort(port: ServicePort, container: Container): number {
  const target = port.targetPort ?? port.port;
  if (typeof target === "number") return target;
  const named = container.ports?.find((p) => p.name === target);
  if (!named) throw new Error(`container ${container.name} has no port named ${target}`);
  return named.containerPort;
}

interface EnvContext {
  podName: string;
  namespace: string;
  /** The StatefulSet controller's label on the pod, new with every rollout; a fixed stand-in when not given. */
  revisionHash?: string;
  objects: readonly K8sObject[];
  secrets: Record<string, Record<string, string>>;
}

function configMapData(ctx: EnvContext, name: string): Record<string, string> | undefined {
  return ofKind<ConfigMap>(ctx.objects, "ConfigMap").find((c) => c.metadata.name === name)?.data;
}

function secretData(ctx: EnvContext, name: string): Record<string, string> | undefined {
  const rendered = ofKind<Secret>(ctx.objects, "Secret").find((s) => s.metadata.name === name);
  if (rendered) {
    const decoded: Record<string, string> = {};
    for (const [key, value] of Object.entries(rendered.data ?? {})) decoded[key] = Buffer.from(value, "base64").toString("utf8");
    return { ...decoded, ...rendered.stringData };
  }
  return ctx.secrets[name];
}

function missingSecret(envName: string, secret: string, key: string): Error {
  return new Error(`env ${envName} reads key "${key}" of Secret "${secret}", which the chart does not render; pass its contents in options.secrets`);
}

/**
 * The container's environment as the kubelet builds it: envFrom first, then
 * env in order, each value expanding $(NAME) from what is defined so far
 * ($$ escapes a $; unknown references stay as written).
 */
export function containerEnv(container: Container, ctx: EnvContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? "";
    if (source.configMapRef) {
      const data = configMapData(ctx, source.configMapRef.name);
      if (!data && !source.configMapRef.optional) throw new Error(`envFrom reads ConfigMap "${source.configMapRef.name}", which the chart does not render`);
      for (const [key, value] of Object.entries(data ?? {})) env[prefix + key] = value;
    }
    if (source.secretRef) {
      const data = secretData(ctx, source.secretRef.name);
      if (!data && !source.secretRef.optional) throw missingSecret(`envFrom`, source.secretRef.name, "*");
      for (const [key, value] of Object.entries(data ?? {})) env[prefix + key] = value;
    }
  }
  for (const variable of container.env ?? []) {
    const value = envValue(variable, env, ctx);
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

function envValue(variable: EnvVar, defined: Record<string, string>, ctx: EnvContext): string | undefined {
  if (variable.value !== undefined) return expand(variable.value, defined);
  const from = variable.valueFrom;
  if (!from) return "";
  if (from.fieldRef) {
    switch (from.fieldRef.fieldPath) {
      case "metadata.name": return ctx.podName;
      case "metadata.namespace": return ctx.namespace;
      case "metadata.labels['controller-revision-hash']": return ctx.revisionHash ?? "roomservice-5d4f8b9c7";
      default: throw new Error(`env ${variable.name}: fieldRef ${from.fieldRef.fieldPath} is not simulated`);
    }
  }
  if (from.configMapKeyRef) {
    const { name, key, optional } = from.configMapKeyRef;
    const value = configMapData(ctx, name)?.[key];
    if (value === undefined && !optional) throw new Error(`env ${variable.name} reads key "${key}" of ConfigMap "${name}", which the chart does not render`);
    return value;
  }
  if (from.secretKeyRef) {
    const { name, key, optional } = from.secretKeyRef;
    const value = secretData(ctx, name)?.[key];
    if (value === undefined && !optional) throw missingSecret(variable.name, name, key);
    return value;
  }
  throw new Error(`env ${variable.name}: valueFrom source is not simulated`);
}

/**
 * The files a container sees from ConfigMap volumes, as the kubelet lays them
 * out: every key (or the listed items) under the mount path, or the one file a
 * subPath mount names. Other volume kinds hold no rendered files and are left out.
 */
export function mountedConfigMapFiles(pod: PodSpec, container: Container, objects: readonly K8sObject[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const mount of container.volumeMounts ?? []) {
    const source = pod.volumes?.find((v) => v.name === mount.name)?.configMap;
    if (!source) continue;
    const data = ofKind<ConfigMap>(objects, "ConfigMap").find((c) => c.metadata.name === source.name)?.data;
    if (!data) {
      if (source.optional) continue;
      throw new Error(`volume ${mount.name} mounts ConfigMap "${source.name}", which the chart does not render`);
    }
    const entries = (source.items ?? Object.keys(data).map((key) => ({ key, path: key }))).map((item) => {
      const value = data[item.key];
      if (value === undefined) throw new Error(`volume ${mount.name} lists key "${item.key}", which ConfigMap "${source.name}" lacks`);
      return [item.path, value] as const;
    });
    for (const [path, value] of entries) {
      if (mount.subPath === undefined) files[`${mount.mountPath.replace(/\/+$/, "")}/${path}`] = value;
      else if (mount.subPath === path) files[mount.mountPath] = value;
    }
  }
  return files;
}

/**
 * Lays `files` (container path -> contents) out under `root` and returns `env`
 * with every value naming one of those paths pointed at its copy: how a local
 * process gets what a pod would find in its mounted volumes.
 */
export function materializeFiles(env: Record<string, string>, files: Record<string, string>, root: string): Record<string, string> {
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), contents);
  }
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value in files ? join(root, value) : value]));
}

/** Kubernetes' $(VAR) expansion for env values. */
export function expand(value: string, defined: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (name === undefined) return "$";
    return defined[name] ?? match;
  });
}

/**
 * The route a request path takes, as Ingress `Prefix` and HTTPRoute
 * `PathPrefix` define it: a prefix matches whole path elements ("/a-1" matches
 * "/a-1" and "/a-1/x", never "/a-10"), and the longest matching prefix wins.
 */
export function matchRoute(routes: readonly RenderedRoute[], path: string): RenderedRoute | undefined {
  let best: RenderedRoute | undefined;
  for (const route of routes) {
    const prefix = route.prefix.replace(/\/+$/, "");
    const matches = prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
    if (matches && (!best || prefix.length > best.prefix.replace(/\/+$/, "").length)) best = route;
  }
  return best;
}
