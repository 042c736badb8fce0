// The edge's routing rules (deploy/edge/nginxConfig.ts): what they route where,
// that nginx itself accepts them, and that the committed compose copy is
// exactly the generator's output.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { COMPOSE_EDGE, COMPOSE_EDGE_FILE, renderComposeEdgeConfig } from "../../deploy/edge/generate.ts";
import { ACCESS_LOG_FILE, SHARED_PATHS, renderEdgeConfig, replicaUpstreamName, type EdgeConfigOptions } from "../../deploy/edge/nginxConfig.ts";
import { skipWithoutBinaries } from "../support/binaries.ts";
import { all, argsOf, one, parseNginxConf, proxyHeaders, seconds, type Directive } from "./nginxConf.ts";

const run = promisify(execFile);

const runtimeDir = "/tmp/roomservice-edge-test";
const local: EdgeConfigOptions = {
  listen: "127.0.0.1:18080",
  replicas: [
    { name: "game-0", upstream: "127.0.0.1:40001" },
    { name: "game-1", upstream: "127.0.0.1:40002" },
    { name: "game-2", upstream: "127.0.0.1:40003" },
  ],
  runtimeDir,
};

function httpOf(conf: Directive[]): Directive[] {
  return one(conf, "http").block!;
}
function serverOf(conf: Directive[]): Directive[] {
  return one(httpOf(conf), "server").block!;
}
function locations(conf: Directive[]): Map<string, Directive> {
  return new Map(all(serverOf(conf), "location").map((l) => [l.args.join(" "), l]));
}
function upstream(conf: Directive[], name: string): Directive[] {
  return one(httpOf(conf), "upstream", name).block!;
}
function value(block: Directive[] | undefined, name: string): string {
  return one(block, name).args.join(" ");
}

function assertForwardsClientHeaders(location: Directive): void {
  const headers = proxyHeaders(location);
  assert.equal(headers.get("x-forwarded-for"), "$proxy_add_x_forwarded_for", `${location.args} X-Forwarded-For`);
  assert.equal(headers.get("x-forwarded-proto"), "$scheme", `${location.args} X-Forwarded-Proto`);
  assert.ok(headers.get("x-forwarded-host")?.startsWith("$"), `${location.args} X-Forwarded-Host`);
  assert.equal(headers.get("x-real-ip"), "$remote_addr", `${location.args} X-Real-IP`);
}

function assertPassesWebSockets(location: Directive): void {
  const headers = proxyHeaders(location);
  assert.equal(value(location.block, "proxy_http_version"), "1.1");
  assert.equal(headers.get("upgrade"), "$http_upgrade");
  assert.equal(headers.get("connection"), "$connection_upgrade");
  assert.ok(seconds(value(location.block, "proxy_read_timeout")) >= 3600, "socket read timeout at least an hour");
  assert.ok(seconds(value(location.block, "proxy_send_timeout")) >= 3600, "socket send timeout at least an hour");
}

function assertRetriesOnEveryReplica(location: Directive): void {
  const retry = one(location.block, "proxy_next_upstream").args;
  for (const reason of ["error", "timeout", "http_502", "http_503", "non_idempotent"]) assert.ok(retry.includes(reason), `${location.args}: proxy_next_upstream ${reason}`);
  assert.ok(Number(value(location.block, "proxy_next_upstream_tries")) >= local.replicas.length, "every replica can be tried");
}

describe("edge config (deploy/edge/nginxConfig.ts)", () => {
  describe("per-replica mode", () => {
    const conf = parseNginxConf(renderEdgeConfig(local));

    it("sends /<replica>/… , WebSocket upgrades included, to that replica alone, with the path unchanged", () => {
      const byPath = locations(conf);
      for (const replica of local.replicas) {
        const location = byPath.get(`/${replica.name}/`);
        assert.ok(location, `a location for /${replica.name}/`);
        // No URI after the upstream name: nginx passes the request path through untouched.
        assert.deepEqual(argsOf(location.block, "proxy_pass"), [[`http://${replicaUpstreamName(replica.name)}`]]);
        assert.deepEqual(argsOf(upstream(conf, replicaUpstreamName(replica.name)), "server").map((a) => a[0]), [replica.upstream]);
        assertPassesWebSockets(location);
        assertForwardsClientHeaders(location);
      }
    });

    it("sends everything else to any replica, retrying matchmaking POSTs and draining replicas' 503s on the next", () => {
      const root = locations(conf).get("/");
      assert.ok(root, "a catch-all location");
      assert.deepEqual(argsOf(root.block, "proxy_pass"), [["http://roomservice_any"]]);
      assertRetriesOnEveryReplica(root);
      assertForwardsClientHeaders(root);

      const servers = argsOf(upstream(conf, "roomservice_any"), "server");
      assert.deepEqual(servers.map((s) => s[0]), local.replicas.map((r) => r.upstream));
      for (const server of servers) {
        assert.ok(server.some((a) => /^max_fails=[1-9]/.test(a)), `max_fails on ${server[0]}`);
        assert.ok(server.some((a) => /^fail_timeout=\d+s$/.test(a)), `fail_timeout on ${server[0]}`);
      }
      // Keep-alive to the replicas only works with HTTP/1.1 and no Connection: close.
      assert.equal(value(root.block, "proxy_http_version"), "1.1");
      assert.equal(proxyHeaders(root).get("connection"), "");
    });

    it("asks every replica again, unmarked, when all are marked failed, and answers for them only when none answers", () => {
      const byPath = locations(conf);
      assert.deepEqual(argsOf(byPath.get("/")!.block, "error_page"), [["502", "=", "@every_replica"], ["504", "=", "@no_replica"], ["413", "@too_large"]]);
      const every = byPath.get("@every_replica");
      assert.ok(every);
      assert.deepEqual(argsOf(every.block, "proxy_pass"), [["http://roomservice_every"]]);
      assertRetriesOnEveryReplica(every);
      assertForwardsClientHeaders(every);
      assert.deepEqual(argsOf(every.block, "error_page"), [["502", "=", "@no_replica"], ["504", "=", "@no_replica"], ["413", "@too_large"]]);
      const servers = argsOf(upstream(conf, "roomservice_every"), "server");
      assert.deepEqual(servers.map((s) => s[0]), local.replicas.map((r) => r.upstream));
      for (const server of servers) assert.ok(server.includes("max_fails=0"), `${server[0]} is never marked down here`);
      // An error_page inside a location reached through error_page needs this.
      assert.equal(value(serverOf(conf), "recursive_error_pages"), "on");

      const [status, body] = one(byPath.get("@no_replica")!.block, "return").args;
      assert.equal(status, "503");
      assert.deepEqual(Object.keys(JSON.parse(body!) as object).sort(), ["code", "error"]);
    });

    it("has no other locations than the catch-all, its fallbacks, one per replica, and the refusals (/metrics, oversized bodies)", () => {
      assert.deepEqual([...locations(conf).keys()].sort(),
        ["/", "/game-0/", "/game-1/", "/game-2/", "@every_replica", "@no_replica", "@too_large", "~* ^/metrics(/|$)"].sort());
    });

    it("runs unprivileged from its runtime dir: foreground, errors to stderr, pid, temp files and access log inside it", () => {
      assert.equal(value(conf, "daemon"), "off");
      assert.equal(one(conf, "error_log").args[0], "stderr");
      assert.equal(value(conf, "pid"), `${runtimeDir}/nginx.pid`);
      const http = httpOf(conf);
      for (const temp of ["client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path"]) {
        assert.ok(value(http, temp).startsWith(`${runtimeDir}/`), temp);
      }
      assert.deepEqual(one(http, "access_log").args, [`${runtimeDir}/${ACCESS_LOG_FILE}`, "edge"]);
      assert.deepEqual(one(serverOf(conf), "listen").args, ["127.0.0.1:18080"]);
    });

    it("re-resolves upstream names only when given a resolver", () => {
      assert.equal(all(httpOf(conf), "resolver").length, 0);
      const resolving = parseNginxConf(renderEdgeConfig({ ...local, resolver: "127.0.0.11" }));
      assert.equal(one(httpOf(resolving), "resolver").args[0], "127.0.0.11");
      for (const server of argsOf(upstream(resolving, "roomservice_any"), "server")) assert.ok(server.includes("resolve"));
    });
  });

  describe("round-robin mode (the benchmark's broken contrast)", () => {
    const conf = parseNginxConf(renderEdgeConfig({ ...local, mode: "round-robin" }));

    it("sends everything, sockets included, round-robin to every replica, with no per-replica routes", () => {
      assert.deepEqual([...locations(conf).keys()], ["/"]);
      const root = locations(conf).get("/")!;
      assert.deepEqual(argsOf(root.block, "proxy_pass"), [["http://roomservice_any"]]);
      assertPassesWebSockets(root);
      assertForwardsClientHeaders(root);
      assert.deepEqual(argsOf(upstream(conf, "roomservice_any"), "server").map((s) => s[0]), local.replicas.map((r) => r.upstream));
      assert.equal(all(httpOf(conf), "upstream").length, 1);
    });
  });

  describe("input checks", () => {
    const bad: [string, Partial<EdgeConfigOptions>, RegExp][] = [
      ["no replicas", { replicas: [] }, /at least one replica/],
      ["a name the server would refuse", { replicas: [{ name: "Game_0", upstream: "127.0.0.1:1" }] }, /REPLICA_NAME/],
      ["a name that shadows a shared route", { replicas: [{ name: SHARED_PATHS[0], upstream: "127.0.0.1:1" }] }, /shadow/],
      ["the same name twice", { replicas: [{ name: "game-0", upstream: "127.0.0.1:1" }, { name: "game-0", upstream: "127.0.0.1:2" }] }, /twice/],
      ["an upstream without a port", { replicas: [{ name: "game-0", upstream: "game-0" }] }, /host:port/],
      ["an upstream that would inject a directive", { replicas: [{ name: "game-0", upstream: "a:1; include /etc/passwd" }] }, /host:port/],
      ["a relative runtime dir", { runtimeDir: "tmp/edge" }, /runtimeDir/],
      ["a runtime dir with spaces", { runtimeDir: "/tmp/my edge" }, /runtimeDir/],
      ["a listen address with a directive", { listen: "8080; daemon on" }, /listen/],
    ];
    for (const [what, change, message] of bad) {
      it(`refuses ${what}`, () => {
        assert.throws(() => renderEdgeConfig({ ...local, ...change }), message);
      });
    }
  });

  describe("the compose edge config (deploy/edge/nginx.compose.conf)", () => {
    it("is exactly what `npm run edge:generate` writes", () => {
      assert.equal(readFileSync(COMPOSE_EDGE_FILE, "utf8"), renderComposeEdgeConfig(),
        "deploy/edge/nginx.compose.conf is out of date: run `npm run edge:generate` and commit it");
    });

    it("routes game-0 and game-1 on the server's port and listens on 8080", () => {
      const conf = parseNginxConf(readFileSync(COMPOSE_EDGE_FILE, "utf8"));
      assert.deepEqual(one(serverOf(conf), "listen").args, ["8080"]);
      assert.deepEqual(COMPOSE_EDGE.replicas, [{ name: "game-0", upstream: "game-0:2567" }, { name: "game-1", upstream: "game-1:2567" }]);
      assert.ok(locations(conf).has("/game-0/") && locations(conf).has("/game-1/"));
      // Container images keep their own pid and temp paths; the access log goes to the container's stdout.
      assert.equal(all(conf, "pid").length, 0);
      assert.deepEqual(one(httpOf(conf), "access_log").args, ["/dev/stdout", "edge"]);
    });
  });

  describe("nginx -t", function () {
    this.timeout(20_000);
    let nginx = "";
    let dir = "";

    before(function () {
      ({ nginx } = skipWithoutBinaries(this, ["nginx"]));
      dir = mkdtempSync(path.join(tmpdir(), "roomservice-edge-test-"));
      chmodSync(dir, 0o755);
    });
    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const mode of ["per-replica", "round-robin"] as const) {
      it(`accepts the ${mode} config, run from a temp dir`, async () => {
        const file = path.join(dir, `${mode}.conf`);
        writeFileSync(file, renderEdgeConfig({ ...local, mode, runtimeDir: dir }));
        const { stderr } = await run(nginx, ["-e", "stderr", "-t", "-p", dir, "-c", file]);
        assert.match(stderr, /syntax is ok/);
        assert.match(stderr, /test is successful/);
      });
    }
  });
});
