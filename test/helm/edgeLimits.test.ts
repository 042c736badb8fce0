// The chart's ingress settings carry the server's own request bounds, so what
// the server refuses stops at the edge already.

import assert from "node:assert/strict";
import { MAX_MATCHMAKE_BODY_BYTES } from "../../rooms/server/httpLimits.ts";
import { ciValuesFile, ofKind, renderChart, type K8sObject } from "./render.ts";

describe("chart ingress limits", () => {
  it("limits request bodies at ingress-nginx to the server's matchmaking limit", () => {
    const objects: K8sObject[] = renderChart([ciValuesFile("default")], { "ingress.enabled": "true" });
    const [ingress] = ofKind(objects, "Ingress");
    const size = ingress?.metadata.annotations?.["nginx.ingress.kubernetes.io/proxy-body-size"] ?? "";
    const match = /^(\d+)k$/.exec(size);
    assert.ok(match, `proxy-body-size ${JSON.stringify(size)}`);
    assert.equal(Number(match[1]) * 1024, MAX_MATCHMAKE_BODY_BYTES);
  });
});
