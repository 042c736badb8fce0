// Generic chart features the cloud recipes build on: annotations for the
// per-pod Services kept apart from the main Service's, template expressions in
// annotations, and extraDeploy.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ciValuesFile, ofKind, renderChart, serverStatefulSet, type Service } from "./render.ts";

// `--set` reads braces as list syntax, so values holding template expressions go through a file.
const valuesDir = mkdtempSync(join(tmpdir(), "roomservice-extras-"));
function valuesFile(name: string, yaml: string): string {
  const path = join(valuesDir, `${name}.yaml`);
  writeFileSync(path, yaml);
  return path;
}

function servicesByRole(set: Record<string, string>): { main: Service; replicas: Service[] } {
  const objects = renderChart([ciValuesFile("autoscaling")], set);
  const services = ofKind<Service>(objects, "Service");
  const main = services.find((s) => s.metadata.labels?.["roomservice/service"] === "main");
  assert.ok(main);
  return { main, replicas: services.filter((s) => s.metadata.labels?.["roomservice/service"] === "replica") };
}

describe("per-pod Service annotations", () => {
  it("go on every per-pod Service and never on the main Service, and the other way round", () => {
    const { main, replicas } = servicesByRole({
      "service.annotations.check": "/readyz",
      "service.replicaAnnotations.check": "/healthz",
      "commonAnnotations.team": "games",
    });
    assert.deepEqual(main.metadata.annotations, { check: "/readyz", team: "games" });
    assert.equal(replicas.length, 12);
    for (const replica of replicas) assert.deepEqual(replica.metadata.annotations, { check: "/healthz", team: "games" }, replica.metadata.name);
  });

  it("may use chart facts through template expressions", () => {
    const objects = renderChart([ciValuesFile("autoscaling"), valuesFile("drain", `
service:
  replicaAnnotations:
    drain: '{{ include "roomservice.terminationGracePeriodSeconds" . }}'
`)]);
    const grace = String(serverStatefulSet(objects).spec.template.spec["terminationGracePeriodSeconds"]);
    const replica = ofKind<Service>(objects, "Service").find((s) => s.metadata.labels?.["roomservice/service"] === "replica");
    assert.equal(replica?.metadata.annotations?.["drain"], grace);
  });
});

describe("extraDeploy", () => {
  it("deploys each entry, map or string, with template expressions rendered", () => {
    const objects = renderChart([ciValuesFile("default"), valuesFile("extra", `
extraDeploy:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: '{{ include "roomservice.fullname" . }}-extra'
  - |
    apiVersion: v1
    kind: Secret
    metadata:
      name: {{ .Release.Name }}-token
`)], {}, { release: "games" });
    assert.ok(ofKind(objects, "ConfigMap").some((c) => c.metadata.name === "games-roomservice-extra"));
    assert.ok(ofKind(objects, "Secret").some((s) => s.metadata.name === "games-token"));
  });

  it("renders nothing extra by default", () => {
    const sources = renderChart([ciValuesFile("default")]).map((o) => o.metadata.name);
    assert.ok(!sources.some((name) => name.endsWith("-extra")));
  });
});
