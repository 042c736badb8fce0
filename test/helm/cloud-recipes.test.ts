// The cloud recipes (ci/eks-values.yaml, ci/gke-ingress-values.yaml,
// ci/gke-gateway-values.yaml), each rendered with its HPA on (2..10): every
// pod the HPA may create has a route, every routed Service carries what its
// cloud's load balancer needs, and the NetworkPolicy lets that load balancer in
// and DNS out. The objects themselves are validated against their schemas in
// kubernetes-schemas.test.ts.
import assert from "node:assert/strict";
import {
  ciValuesFile, ofKind, renderChart, renderedRoutes, renderedTopology, serverStatefulSet,
  type HorizontalPodAutoscaler, type HTTPRoute, type Ingress, type K8sObject, type Service,
} from "./render.ts";

const secrets = { "roomservice-redis": { "redis-password": "s3cret" } };

interface Peer { namespaceSelector?: unknown; podSelector?: unknown; ipBlock?: { cidr: string } }
interface Port { port: number | string; protocol: string }
interface NetworkPolicy extends K8sObject {
  spec: { ingress?: { from?: Peer[]; ports?: Port[] }[]; egress?: { to?: Peer[]; ports?: Port[] }[] };
}
interface BackendConfig extends K8sObject {
  spec: { timeoutSec: number; connectionDraining: { drainingTimeoutSec: number }; healthCheck: { type: string; requestPath: string; port: number } };
}
interface TargetRef { group: string; kind: string; name: string }
interface GCPBackendPolicy extends K8sObject {
  spec: { default: { timeoutSec: number; connectionDraining: { drainingTimeoutSec: number } }; targetRef: TargetRef };
}
interface HealthCheckPolicy extends K8sObject {
  spec: { default: { config: { type: string; httpHealthCheck: { requestPath: string; portSpecification: string } } }; targetRef: TargetRef };
}

const recipes = ["eks", "gke-ingress", "gke-gateway"] as const;

function render(recipe: string): K8sObject[] {
  return renderChart([ciValuesFile(recipe)]);
}

function graceSeconds(objects: readonly K8sObject[]): number {
  return Number(serverStatefulSet(objects).spec.template.spec["terminationGracePeriodSeconds"]);
}

/** The Services the routes send players to: the main Service first, then one per pod. */
function routedServices(objects: readonly K8sObject[]): { main: Service; replicas: Service[] } {
  const names = new Set(renderedRoutes(objects).map((r) => r.serviceName));
  const services = ofKind<Service>(objects, "Service").filter((s) => names.has(s.metadata.name));
  const main = services.find((s) => s.metadata.labels?.["roomservice/service"] === "main");
  assert.ok(main, "no route reaches the main Service");
  return { main, replicas: services.filter((s) => s !== main) };
}

function serverPolicy(objects: readonly K8sObject[]): NetworkPolicy {
  const [policy, ...more] = ofKind<NetworkPolicy>(objects, "NetworkPolicy");
  assert.ok(policy && more.length === 0, "expected one NetworkPolicy");
  return policy;
}

function admittedCidrs(policy: NetworkPolicy): string[] {
  return (policy.spec.ingress ?? [])
    .filter((rule) => rule.ports?.some((p) => p.port === "http"))
    .flatMap((rule) => (rule.from ?? []).flatMap((peer) => (peer.ipBlock ? [peer.ipBlock.cidr] : [])));
}

describe("cloud recipes", () => {
  for (const recipe of recipes) {
    describe(`ci/${recipe}-values.yaml`, () => {
      it("autoscales between 2 and 10 pods and routes every one of them to its own Service", () => {
        const objects = render(recipe);
        const [hpa] = ofKind<HorizontalPodAutoscaler>(objects, "HorizontalPodAutoscaler");
        assert.equal(hpa?.spec.minReplicas, 2);
        assert.equal(hpa?.spec.maxReplicas, 10);
        const topology = renderedTopology([ciValuesFile(recipe)], undefined, { secrets });
        assert.deepEqual(topology.replicas.map((r) => r.routePrefix), Array.from({ length: 10 }, (_, i) => `/roomservice-${i}`));
        assert.deepEqual(topology.replicas.map((r) => r.service.name), Array.from({ length: 10 }, (_, i) => `roomservice-${i}`));
        assert.equal(topology.host, "games.example.com");
        assert.equal(routedServices(objects).replicas.length, 10);
      });

      it("resolves DNS through kube-dns, NodeLocal DNSCache and the metadata server", () => {
        const dns = serverPolicy(render(recipe)).spec.egress?.find((rule) => rule.ports?.some((p) => p.port === 53));
        assert.ok(dns, "no DNS egress rule");
        assert.deepEqual(dns.ports, [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }]);
        const cidrs = (dns.to ?? []).flatMap((peer) => (peer.ipBlock ? [peer.ipBlock.cidr] : []));
        assert.deepEqual(cidrs, ["169.254.20.10/32", "169.254.169.254/32"]);
        assert.ok(dns.to?.some((peer) => peer.namespaceSelector && peer.podSelector), "kube-dns pods are not a DNS peer");
      });
    });
  }

  describe("EKS (ALB)", () => {
    const objects = render("eks");
    const [ingress] = ofKind<Ingress>(objects, "Ingress");
    const annotations = ingress?.metadata.annotations ?? {};

    it("uses the ALB with pod IP targets, TLS from ACM and no ingress-nginx leftovers", () => {
      assert.equal(ingress?.spec["ingressClassName"], "alb");
      assert.equal(annotations["alb.ingress.kubernetes.io/target-type"], "ip");
      assert.match(annotations["alb.ingress.kubernetes.io/certificate-arn"] ?? "", /^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\//);
      assert.equal(ingress?.spec["tls"], undefined, "TLS comes from ACM, not a Secret");
      assert.deepEqual(Object.keys(annotations).filter((k) => k.startsWith("nginx.")), []);
    });

    it("keeps idle sockets for an hour and a stopping pod's connections for its whole grace period", () => {
      const idle = /idle_timeout\.timeout_seconds=(\d+)/.exec(annotations["alb.ingress.kubernetes.io/load-balancer-attributes"] ?? "");
      assert.ok(idle && Number(idle[1]) >= 3600, "idle timeout below 3600 s");
      const delay = /deregistration_delay\.timeout_seconds=(\d+)/.exec(annotations["alb.ingress.kubernetes.io/target-group-attributes"] ?? "");
      assert.ok(delay, "no deregistration delay");
      assert.equal(Number(delay[1]), graceSeconds(objects));
    });

    it("health-checks /readyz on the main Service and /healthz on every per-pod Service", () => {
      const { main, replicas } = routedServices(objects);
      assert.equal(main.metadata.annotations?.["alb.ingress.kubernetes.io/healthcheck-path"], "/readyz");
      for (const service of replicas) assert.equal(service.metadata.annotations?.["alb.ingress.kubernetes.io/healthcheck-path"], "/healthz", service.metadata.name);
    });

    it("uses ElastiCache Serverless in cluster mode: REDIS_CLUSTER with a TLS seed URL and an RBAC user", () => {
      const [replica] = renderedTopology([ciValuesFile("eks")], undefined, { secrets }).replicas;
      assert.equal(replica?.env["REDIS_CLUSTER"], "true");
      assert.equal(replica?.env["REDIS_URL"], "rediss://roomservice:s3cret@roomservice-abc123.serverless.use1.cache.amazonaws.com:6379/0");
    });

    it("lets the ALB's VPC addresses reach the server port, with no in-cluster controller", () => {
      const policy = serverPolicy(objects);
      assert.deepEqual(admittedCidrs(policy), ["10.0.0.0/16"]);
      assert.ok(!policy.spec.ingress?.some((rule) => rule.from?.some((p) => JSON.stringify(p).includes("ingress-nginx"))));
    });
  });

  describe("GKE (GCE Ingress)", () => {
    const objects = render("gke-ingress");
    const grace = graceSeconds(objects);

    it("is a GCE Ingress on NEGs, with no HTTPRoute", () => {
      const [ingress] = ofKind<Ingress>(objects, "Ingress");
      assert.equal(ingress?.metadata.annotations?.["kubernetes.io/ingress.class"], "gce");
      assert.equal(ofKind(objects, "HTTPRoute").length, 0);
      const { main, replicas } = routedServices(objects);
      for (const service of [main, ...replicas]) assert.equal(service.metadata.annotations?.["cloud.google.com/neg"], '{"ingress": true}', service.metadata.name);
    });

    it("redirects plain HTTP to HTTPS through a FrontendConfig the Ingress names", () => {
      const [ingress] = ofKind<Ingress>(objects, "Ingress");
      const name = ingress?.metadata.annotations?.["networking.gke.io/v1beta1.FrontendConfig"];
      const config = ofKind(objects, "FrontendConfig").find((c) => c.metadata.name === name);
      assert.ok(config, `the Ingress names FrontendConfig ${name}, which is not rendered`);
      assert.deepEqual((config["spec"] as { redirectToHttps: unknown }).redirectToHttps, { enabled: true, responseCodeName: "MOVED_PERMANENTLY_DEFAULT" });
    });

    it("gives every routed Service its own BackendConfig: an hour per socket, draining for the grace period, /readyz or /healthz", () => {
      const { main, replicas } = routedServices(objects);
      const configs = ofKind<BackendConfig>(objects, "BackendConfig");
      assert.equal(configs.length, 11);
      for (const service of [main, ...replicas]) {
        const ref = JSON.parse(service.metadata.annotations?.["cloud.google.com/backend-config"] ?? "{}") as { default?: string };
        const config = configs.find((c) => c.metadata.name === ref.default);
        assert.ok(config, `${service.metadata.name} names no rendered BackendConfig`);
        assert.ok(config.spec.timeoutSec >= 3600, "timeoutSec below 3600");
        assert.equal(config.spec.connectionDraining.drainingTimeoutSec, grace);
        assert.equal(config.spec.healthCheck.type, "HTTP");
        assert.equal(config.spec.healthCheck.requestPath, service === main ? "/readyz" : "/healthz", service.metadata.name);
        assert.equal(config.spec.healthCheck.port, 2567);
      }
    });

    it("lets Google's load balancers and health checks reach the server port", () => {
      assert.deepEqual(admittedCidrs(serverPolicy(objects)), ["35.191.0.0/16", "130.211.0.0/22"]);
    });
  });

  describe("GKE (Gateway API)", () => {
    const objects = render("gke-gateway");
    const grace = graceSeconds(objects);

    it("sets no HTTPRoute timeouts (GKE refuses them) and attaches to its Gateway", () => {
      const routes = ofKind<HTTPRoute>(objects, "HTTPRoute");
      assert.ok(routes.length > 0);
      for (const route of routes) for (const rule of route.spec.rules) assert.equal((rule as { timeouts?: unknown }).timeouts, undefined, route.metadata.name);
      const [gateway] = ofKind(objects, "Gateway");
      assert.equal((gateway?.["spec"] as { gatewayClassName: string }).gatewayClassName, "gke-l7-global-external-managed");
      for (const route of routes) assert.deepEqual(route.spec["parentRefs"], [{ name: gateway?.metadata.name, sectionName: "https" }]);
    });

    it("gives every routed Service one GCPBackendPolicy and one HealthCheckPolicy", () => {
      const { main, replicas } = routedServices(objects);
      const backendPolicies = ofKind<GCPBackendPolicy>(objects, "GCPBackendPolicy");
      const healthPolicies = ofKind<HealthCheckPolicy>(objects, "HealthCheckPolicy");
      assert.equal(backendPolicies.length, 11);
      assert.equal(healthPolicies.length, 11);
      for (const service of [main, ...replicas]) {
        const name = service.metadata.name;
        const targets = (p: { spec: { targetRef: TargetRef } }): boolean => p.spec.targetRef.group === "" && p.spec.targetRef.kind === "Service" && p.spec.targetRef.name === name;
        const backend = backendPolicies.filter(targets);
        const health = healthPolicies.filter(targets);
        assert.equal(backend.length, 1, `${name}: ${backend.length} GCPBackendPolicies`);
        assert.equal(health.length, 1, `${name}: ${health.length} HealthCheckPolicies`);
        assert.ok((backend[0]?.spec.default.timeoutSec ?? 0) >= 3600);
        assert.equal(backend[0]?.spec.default.connectionDraining.drainingTimeoutSec, grace);
        assert.equal(health[0]?.spec.default.config.type, "HTTP");
        assert.equal(health[0]?.spec.default.config.httpHealthCheck.requestPath, service === main ? "/readyz" : "/healthz", name);
        assert.equal(health[0]?.spec.default.config.httpHealthCheck.portSpecification, "USE_SERVING_PORT");
      }
    });

    it("lets Google's load balancers and health checks reach the server port", () => {
      assert.deepEqual(admittedCidrs(serverPolicy(objects)), ["35.191.0.0/16", "130.211.0.0/22"]);
    });
  });

  it("keeps one cloud object per routed Service when maxReplicas changes", () => {
    for (const maxReplicas of [3, 25]) {
      const objects = renderChart([ciValuesFile("gke-gateway")], { "autoscaling.maxReplicas": String(maxReplicas) });
      assert.equal(ofKind(objects, "GCPBackendPolicy").length, maxReplicas + 1);
      assert.equal(ofKind(objects, "HealthCheckPolicy").length, maxReplicas + 1);
    }
  });
});
