// Values the chart must refuse, each with the message an operator would read:
// first those values.schema.json rejects, then combinations the templates
// reject with `fail` because they would render but not work.
import assert from "node:assert/strict";
import { ciValuesFile, HelmRenderError, renderChart, type RenderOptions } from "./render.ts";

interface Rejection {
  name: string;
  files?: string[];
  set: Record<string, string>;
  options?: RenderOptions;
  message: RegExp;
}

function renderError(c: Rejection): string {
  try {
    renderChart((c.files ?? ["default"]).map(ciValuesFile), c.set, c.options);
  } catch (err) {
    if (err instanceof HelmRenderError) return err.stderr;
    throw err;
  }
  assert.fail("the chart rendered");
}

const schemaRejections: Rejection[] = [
  { name: "no replicas", set: { replicaCount: "0" }, message: /at '\/replicaCount': minimum: got 0, want 1/ },
  { name: "a tick rate the server refuses", set: { "server.tickHz": "61" }, message: /at '\/server\/tickHz': maximum: got 61, want 60/ },
  { name: "too many players per room", set: { "server.maxPlayers": "500" }, message: /at '\/server\/maxPlayers': maximum: got 500, want 200/ },
  { name: "an unknown log level", set: { "server.logLevel": "loud" }, message: /at '\/server\/logLevel': value must be one of 'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'/ },
  { name: "migration switched with a word", set: { "migration.enabled": "yes" }, message: /at '\/migration\/enabled': got string, want boolean/ },
  { name: "a drain longer than an hour", set: { "drain.seconds": "4000" }, message: /at '\/drain\/seconds': maximum: got 4,000, want 3,600/ },
  { name: "a public host with a scheme", set: { "public.host": "https://games.example.com" }, message: /at '\/public\/host': 'https:\/\/games.example.com' is not valid hostname/ },
  { name: "a Redis URL that is not redis:// or rediss://", set: { "externalRedis.url": "http://redis:6379" }, message: /at '\/externalRedis\/url': 'http:\/\/redis:6379' does not match pattern '\^rediss\?:\/\/'/ },
  { name: "a misspelt top-level value", set: { replicas: "3" }, message: /at '': additional properties 'replicas' not allowed/ },
  { name: "a misspelt nested value", set: { "server.maxplayers": "10" }, message: /at '\/server': additional properties 'maxplayers' not allowed/ },
  { name: "an unknown pull policy", set: { "image.pullPolicy": "Sometimes" }, message: /at '\/image\/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'/ },
  { name: "a replica count that is not a number", set: { "autoscaling.maxReplicas": "ten" }, message: /at '\/autoscaling\/maxReplicas': got string, want integer/ },
  { name: "a helm test URL with a path", set: { "helmTest.url": "https://games.example.com/play" }, message: /at '\/helmTest\/url': .*does not match pattern/ },
  { name: "a name prefix that cannot be a replica name", set: { fullnameOverride: "9lives" }, message: /at '\/fullnameOverride': '9lives' does not match pattern/ },
];

const failRejections: Rejection[] = [
  { name: "several replicas without Redis", set: { replicaCount: "3" }, message: /replicaCount=3 needs Redis: .*Set externalRedis.url, or externalRedis.host .* or redis.enabled=true for a demo/ },
  { name: "autoscaling without Redis", set: { "autoscaling.enabled": "true" }, message: /autoscaling.enabled=true needs Redis/ },
  { name: "Redis without a public host", set: { "redis.enabled": "true" }, message: /Redis is configured but public.host is empty: .*Set public.host/ },
  { name: "a Redis URL and a Redis host", set: { "public.host": "g.example.com", "externalRedis.url": "redis://a:6379", "externalRedis.host": "b" }, message: /externalRedis.url and externalRedis.host are both set/ },
  { name: "bundled and external Redis", set: { "public.host": "g.example.com", "redis.enabled": "true", "externalRedis.host": "b" }, message: /redis.enabled=true \(bundled Redis\) and externalRedis are both set/ },
  { name: "an existing Secret without a Redis host", set: { "public.host": "g.example.com", "externalRedis.url": "redis://a:6379", "externalRedis.existingSecret": "s" }, message: /externalRedis.existingSecret is only read together with externalRedis.host/ },
  { name: "more minimum than maximum replicas", files: ["autoscaling"], set: { "autoscaling.minReplicas": "5", "autoscaling.maxReplicas": "3" }, message: /autoscaling.minReplicas \(5\) is greater than autoscaling.maxReplicas \(3\)/ },
  { name: "an HPA without a metric", files: ["autoscaling"], set: { "autoscaling.targetCPUUtilizationPercentage": "0", "autoscaling.targetClientsPerPod": "0" }, message: /autoscaling.enabled=true but no metric is set/ },
  { name: "a CPU target without a CPU request", files: ["autoscaling"], set: { "resources.requests.cpu": "null" }, message: /autoscaling.targetCPUUtilizationPercentage needs resources.requests.cpu/ },
  { name: "an HTTPRoute without a Gateway", set: { "gateway.enabled": "true" }, message: /gateway.enabled=true needs gateway.parentRefs/ },
  { name: "Ingress TLS without a host", set: { "ingress.enabled": "true", "ingress.tls.enabled": "true" }, message: /ingress.tls.enabled=true needs public.host/ },
  { name: "both disruption budget bounds", set: { "podDisruptionBudget.minAvailable": "1", "podDisruptionBudget.maxUnavailable": "1" }, message: /podDisruptionBudget.minAvailable and podDisruptionBudget.maxUnavailable are both set/ },
  { name: "a release name that cannot be a replica name", set: {}, options: { release: "7seas" }, message: /resource name "7seas-roomservice" must start with a lowercase letter/ },
  { name: "HTTPRoute timeouts with the GKE Gateway recipe", files: ["gke-gateway"], set: { "gateway.timeouts.request": "3600s" }, message: /gateway.timeouts is set with gke.gatewayPolicies.enabled=true: GKE Gateway refuses any HTTPRoute that sets timeouts.*Remove gateway.timeouts; the backend timeout comes from gke.timeoutSec/ },
  { name: "more than 98 routed pods with the ALB recipe", files: ["eks"], set: { "autoscaling.maxReplicas": "99" }, message: /autoscaling.maxReplicas=99 with an ALB Ingress \(class alb\): .*an ALB holds at most 100 target groups \(not adjustable\)\. Keep it at 98 or less/ },
  { name: "more than 98 replicas behind an ALB named by annotation", files: ["eks"], set: { "autoscaling.enabled": "false", replicaCount: "120", "ingress.className": "", "ingress.annotations.kubernetes\\.io/ingress\\.class": "alb" }, message: /replicaCount=120 with an ALB Ingress/ },
  { name: "a GKE health check waiting longer than its interval", files: ["gke-ingress"], set: { "gke.healthCheck.timeoutSec": "10" }, message: /gke.healthCheck.timeoutSec \(10\) is greater than gke.healthCheck.checkIntervalSec \(5\)/ },
  { name: "both kinds of GKE backend objects", files: ["gke-ingress"], set: { "gke.gatewayPolicies.enabled": "true" }, message: /gke.backendConfig.enabled and gke.gatewayPolicies.enabled are both true/ },
  { name: "Redis cluster mode with a database index", files: ["autoscaling"], set: { "externalRedis.cluster": "true" }, message: /externalRedis.cluster=true with database 2: Redis Cluster has only database 0/ },
  { name: "Redis cluster mode with a database in the URL", set: { "public.host": "g.example.com", "externalRedis.url": "redis://seed.example:6379/3", "externalRedis.cluster": "true" }, message: /externalRedis.cluster=true with database 3/ },
  { name: "Redis cluster mode on the bundled Redis", set: { "public.host": "g.example.com", "redis.enabled": "true", "externalRedis.cluster": "true" }, message: /externalRedis.cluster=true needs an external Redis in cluster mode: set externalRedis.url or externalRedis.host to a seed node/ },
  { name: "extraEnv switching migration behind the chart's back", set: { "server.extraEnv[0].name": "MIGRATE_ON_DRAIN", "server.extraEnv[0].value": "false" }, message: /server.extraEnv sets MIGRATE_ON_DRAIN, which the chart manages; use the chart's values \(.*migration\.\*/ },
  { name: "extraEnv overriding the public address", set: { "server.extraEnv[0].name": "PUBLIC_ADDRESS", "server.extraEnv[0].value": "x.example.com" }, message: /server.extraEnv sets PUBLIC_ADDRESS, which the chart manages/ },
];

describe("rejected values", () => {
  describe("by values.schema.json", () => {
    for (const c of schemaRejections) {
      it(`rejects ${c.name}`, () => {
        const stderr = renderError(c);
        assert.match(stderr, /values don't meet the specifications of the schema/);
        assert.match(stderr, c.message);
      });
    }
  });

  describe("by the templates", () => {
    for (const c of failRejections) {
      it(`rejects ${c.name}`, () => {
        const stderr = renderError(c);
        assert.match(stderr, /roomservice: invalid values:/);
        assert.match(stderr, c.message);
      });
    }

    it("reports every problem at once", () => {
      const stderr = renderError({ name: "two problems", set: { replicaCount: "2", "gateway.enabled": "true" }, message: /./ });
      assert.match(stderr, /replicaCount=2 needs Redis/);
      assert.match(stderr, /gateway.enabled=true needs gateway.parentRefs/);
    });
  });

  // The rejections above mean something only if the same files render when the values are sound.
  it("renders each base values file the rejections start from", () => {
    for (const file of ["default", "autoscaling", "eks", "gke-ingress", "gke-gateway"]) assert.ok(renderChart([ciValuesFile(file)]).length > 0);
    assert.ok(renderChart([ciValuesFile("eks")], { "autoscaling.maxReplicas": "98" }).length > 0, "98 routed pods fit one ALB");
  });
});
