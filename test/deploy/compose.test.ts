// docker-compose.yml, Dockerfile and .dockerignore, read the way Docker reads
// them. No Docker engine runs here, so these checks are static: services, env
// (against the server's own config contract), ports, healthchecks, start order,
// that the edge mounts the generated config, and the image's must-haves.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { COMPOSE_EDGE, COMPOSE_EDGE_FILE } from "../../deploy/edge/generate.ts";
import { ENV, ENV_VARS, loadConfig } from "../../rooms/server/config.ts";
import { DRAIN_MARGIN_MS } from "../../rooms/server/lifecycle.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (file: string): string => readFileSync(path.join(repoRoot, file), "utf8");

// ---------------------------------------------------------------- compose

interface Healthcheck { test?: string[] | string; interval?: string; timeout?: string; retries?: number; start_period?: string }
interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  ports?: (string | { target: number; published?: string | number; host_ip?: string })[];
  expose?: (string | number)[];
  volumes?: (string | { type: string; source: string; target: string; read_only?: boolean })[];
  healthcheck?: Healthcheck;
  depends_on?: Record<string, { condition?: string }> | string[];
  stop_grace_period?: string;
}

// Compose files use YAML merge keys (<<) for the shared replica settings, as Docker Compose does.
const compose = parse(read("docker-compose.yml"), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const replicaNames = COMPOSE_EDGE.replicas.map((r) => r.name);

function service(name: string): Service {
  const found = services[name];
  assert.ok(found, `service ${name}`);
  return found;
}

function envOf(name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(service(name).environment ?? {}).map(([k, v]) => [k, String(v ?? "")]));
}

/** Compose durations: 45s, 1m30s, 2m. */
function durationSeconds(value: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|m|s|ms|us)/g)];
  assert.ok(parts.length > 0 && parts.map((p) => p[0]).join("") === value, `a compose duration: ${value}`);
  const unit = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 } as const;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2] as keyof typeof unit], 0);
}

function dependsOn(name: string): Record<string, string | undefined> {
  const deps = service(name).depends_on;
  assert.ok(deps && !Array.isArray(deps), `${name}: depends_on with conditions (the short list form cannot wait for health)`);
  return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.condition]));
}

function healthTest(name: string): string[] {
  const test = service(name).healthcheck?.test;
  assert.ok(Array.isArray(test), `${name}: a healthcheck in exec form`);
  return test;
}

/** host port -> container port of a service's published ports. */
function published(name: string): { host: number; container: number; hostIp?: string }[] {
  return (service(name).ports ?? []).map((port) => {
    if (typeof port !== "string") return { host: Number(port.published), container: port.target, hostIp: port.host_ip };
    const parts = port.split(":");
    const container = Number(parts.pop());
    const host = Number(parts.pop());
    return { host, container, hostIp: parts[0] };
  });
}

describe("docker-compose.yml", () => {
  it("has exactly redis, the edge's replicas and the edge", () => {
    assert.deepEqual(Object.keys(services).sort(), ["edge", "redis", ...replicaNames].sort());
  });

  it("runs the official Redis image, checked with redis-cli ping, persisting nothing", () => {
    const redis = service("redis");
    assert.match(redis.image ?? "", /^redis:\d/, "official image (docker.io/library/redis)");
    assert.deepEqual(healthTest("redis"), ["CMD", "redis-cli", "ping"]);
    const command = redis.command;
    assert.ok(Array.isArray(command) && command.includes("--appendonly") && command.includes("--save"));
  });

  for (const name of replicaNames) {
    describe(`replica ${name}`, () => {
      it("builds the top-level Dockerfile", () => {
        const build = service(name).build;
        assert.ok(build && typeof build === "object", "a build section");
        assert.equal(build.context, ".");
        assert.equal(build.dockerfile ?? "Dockerfile", "Dockerfile");
        assert.ok(existsSync(path.join(repoRoot, build.dockerfile ?? "Dockerfile")));
      });

      it("sets only variables the server declares, and a config the server accepts", () => {
        const env = envOf(name);
        const declared = new Set(ENV_VARS.map((v) => v.name));
        for (const key of Object.keys(env)) assert.ok(declared.has(key), `${key} is declared in rooms/server/config.ts ENV_VARS`);
        const config = loadConfig(env);
        assert.equal(config.redisUrl, "redis://redis:6379/0");
        assert.equal(new URL(config.redisUrl).hostname, "redis", "Redis by its compose service name");
        assert.equal(config.replicaName, name);
      });

      it("announces the public address the edge routes to it: PUBLIC_HOST is the edge's published port, REPLICA_NAME its location", () => {
        const config = loadConfig(envOf(name));
        const [hostPort = "", firstSegment] = (config.publicAddress ?? "").split("/");
        assert.equal(firstSegment, name, "the edge's /<replica>/ location is this replica");
        const edgePort = published("edge").find((p) => p.container === Number(COMPOSE_EDGE.listen));
        assert.ok(edgePort, "the edge publishes its listen port");
        assert.equal(hostPort, `localhost:${edgePort.host}`);
        const upstream = COMPOSE_EDGE.replicas.find((r) => r.name === name)!.upstream;
        assert.equal(upstream, `${name}:${config.port}`, "the edge reaches it by service name on its PORT");
        assert.ok((service(name).expose ?? []).map(String).includes(String(config.port)), `exposes ${config.port}`);
        assert.equal(service(name).ports, undefined, "replicas are reached through the edge only");
      });

      it("is health-checked on /healthz, starts after Redis is healthy, and may drain before Docker kills it", () => {
        assert.deepEqual(healthTest(name), ["CMD", "node", "deploy/healthcheck.ts"]);
        assert.match(read("deploy/healthcheck.ts"), /\/healthz/);
        assert.deepEqual(dependsOn(name), { redis: "service_healthy" });
        const drainSeconds = loadConfig(envOf(name)).drainSeconds;
        const grace = durationSeconds(service(name).stop_grace_period ?? "10s");
        assert.ok(grace > drainSeconds + DRAIN_MARGIN_MS / 1000, `stop_grace_period ${grace}s > DRAIN_SECONDS ${drainSeconds} + ${DRAIN_MARGIN_MS / 1000}s margin`);
      });
    });
  }

  describe("edge", () => {
    it("runs the official nginx image, new enough for `resolve` when the config uses it", () => {
      const image = service("edge").image ?? "";
      const match = /^nginx:(\d+)\.(\d+)(?:\.(\d+))?(?:-[a-z0-9.-]+)?$/.exec(image);
      assert.ok(match, `official nginx image with a pinned version, got ${image}`);
      const version = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
      if (/\bresolve;/.test(readFileSync(COMPOSE_EDGE_FILE, "utf8"))) {
        const atLeast = (v: number[], min: number[]): boolean => v[0]! > min[0]! || (v[0] === min[0] && (v[1]! > min[1]! || (v[1] === min[1] && v[2]! >= min[2]!)));
        assert.ok(atLeast(version, [1, 27, 3]), `nginx ${version.join(".")} has no upstream "resolve" (needs 1.27.3+)`);
      }
    });

    it("mounts the generated config as its nginx.conf, read-only", () => {
      const mounts = (service("edge").volumes ?? []).map((v) => {
        if (typeof v !== "string") return v;
        const [source = "", target = "", mode] = v.split(":");
        return { type: "bind", source, target, read_only: mode === "ro" };
      });
      assert.equal(mounts.length, 1);
      const [mount] = mounts;
      assert.equal(path.resolve(repoRoot, mount!.source), COMPOSE_EDGE_FILE, "the file `npm run edge:generate` writes");
      assert.equal(mount!.target, "/etc/nginx/nginx.conf");
      assert.equal(mount!.read_only, true);
    });

    it("starts nginx without adding `daemon off` again (the config sets it; nginx refuses a duplicate)", () => {
      const command = service("edge").command;
      assert.ok(Array.isArray(command), "an explicit command: the image's default adds -g 'daemon off;'");
      assert.equal(command[0], "nginx");
      assert.ok(!command.join(" ").includes("daemon"));
      assert.match(readFileSync(COMPOSE_EDGE_FILE, "utf8"), /^daemon off;$/m);
      const config = command[command.indexOf("-c") + 1];
      assert.ok(command.indexOf("-c") === -1 || config === "/etc/nginx/nginx.conf");
    });

    it("publishes host port 8080 to its listen port", () => {
      const ports = published("edge");
      assert.equal(ports.length, 1);
      assert.equal(ports[0]!.host, 8080);
      assert.equal(ports[0]!.container, Number(COMPOSE_EDGE.listen));
    });

    it("starts once every replica is healthy", () => {
      assert.deepEqual(dependsOn("edge"), Object.fromEntries(replicaNames.map((n) => [n, "service_healthy"])));
    });
  });
});

// ---------------------------------------------------------------- Dockerfile

interface Instruction { keyword: string; args: string; line: number }
interface Stage { base: string; name?: string; instructions: Instruction[] }

function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const instructions: Instruction[] = [];
  let pending = "";
  let start = 0;
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (pending === "" && (line === "" || line.startsWith("#"))) return;
    if (pending !== "" && line.startsWith("#")) return;
    if (pending === "") start = i + 1;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const full = `${pending}${line}`.trim();
    pending = "";
    const [keyword = ""] = full.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: full.slice(keyword.length).trim(), line: start });
  });
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const [image = "", as, name] = instruction.args.split(/\s+/);
      const base = image.replace(/\$\{?(\w+)\}?/g, (_, arg: string) => args.get(arg) ?? "");
      stages.push({ base, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword === "ARG") {
        const [key = "", value = ""] = instruction.args.split("=");
        args.set(key, value);
      }
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return { args, stages };
}

/** The JSON array of an exec-form instruction, or undefined for shell form. */
function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === "string") ? parsed : undefined;
  } catch {
    return undefined;
  }
}

describe("Dockerfile", () => {
  const { stages } = parseDockerfile(read("Dockerfile"));
  const final = stages.at(-1)!;
  const finalOf = (keyword: string): Instruction[] => final.instructions.filter((i) => i.keyword === keyword);

  it("is multi-stage, every stage on an official Node 22+ slim image", () => {
    assert.ok(stages.length >= 2, "at least a build stage and the runtime stage");
    for (const stage of stages) {
      const match = /^node:(\d+)(?:\.\d+)*-(\w+)/.exec(stage.base);
      assert.ok(match, `stage ${stage.name ?? "?"}: official node image, got ${stage.base}`);
      assert.ok(Number(match[1]) >= 22, `Node ${match[1]} >= 22 (Colyseus 0.18)`);
      assert.match(match[2]!, /slim/);
    }
  });

  it("installs production dependencies only into the image it ships", () => {
    const copied = finalOf("COPY").filter((c) => /node_modules/.test(c.args));
    assert.equal(copied.length, 1, "node_modules comes from one stage");
    const from = /--from=(\S+)/.exec(copied[0]!.args)?.[1];
    const deps = stages.find((s) => s.name === from);
    assert.ok(deps, `stage ${from}`);
    const installs = deps.instructions.filter((i) => i.keyword === "RUN" && /npm (ci|install)/.test(i.args));
    assert.ok(installs.length > 0 && installs.every((i) => /--omit=dev/.test(i.args)), "npm ci --omit=dev");
    assert.ok(!final.instructions.some((i) => i.keyword === "RUN" && /npm (ci|install)/.test(i.args)), "no install in the runtime stage");
    // The pinned local runtime (`node` on npm) must stay a devDependency, or --omit=dev would ship a second Node.
    const pkg = JSON.parse(read("package.json")) as { dependencies?: Record<string, string> };
    assert.equal(pkg.dependencies?.node, undefined);
  });

  it("builds the web client in a build stage with npm run build and ships web/dist", () => {
    const webCopy = finalOf("COPY").find((c) => /web\/dist/.test(c.args));
    assert.ok(webCopy, "web/dist in the image");
    const from = /--from=(\S+)/.exec(webCopy.args)?.[1];
    const web = stages.find((s) => s.name === from);
    assert.ok(web, `stage ${from}`);
    assert.ok(web.instructions.some((i) => i.keyword === "RUN" && /npm run build\b/.test(i.args)));
    assert.ok(web.instructions.some((i) => i.keyword === "RUN" && /npm ci\b/.test(i.args) && !/--omit=dev/.test(i.args)), "the build needs dev dependencies");
    const pkg = JSON.parse(read("package.json")) as { scripts?: Record<string, string> };
    assert.ok(pkg.scripts?.build, "package.json has a build script");
    const config = loadConfig({});
    assert.ok(/\/app\/?$/.test(finalOf("WORKDIR").at(-1)?.args ?? ""), "repo layout under one working directory");
    assert.ok(webCopy.args.trim().endsWith(config.webDist) || webCopy.args.trim().endsWith(`./${config.webDist}`), `copied to WEB_DIST's default ${config.webDist}`);
  });

  it("runs as the non-root node user (uid 1000)", () => {
    const user = finalOf("USER").at(-1)?.args;
    assert.ok(user === "node" || user === "1000" || user === "node:node" || user === "1000:1000", `USER node, got ${user}`);
  });

  it("runs node as PID 1 in exec form, on the server's TypeScript, no npm", () => {
    const cmds = finalOf("CMD");
    assert.equal(cmds.length, 1);
    assert.deepEqual(execForm(cmds[0]!.args), ["node", "rooms/server/main.ts"]);
    assert.equal(finalOf("ENTRYPOINT").length, 0, "no wrapper entrypoint between Docker and node");
    assert.ok(existsSync(path.join(repoRoot, "rooms/server/main.ts")));
  });

  it("has a HEALTHCHECK on /healthz with node's fetch (no curl in slim images)", () => {
    const checks = finalOf("HEALTHCHECK");
    assert.equal(checks.length, 1);
    const command = execForm(checks[0]!.args.replace(/^(--\S+\s+)*CMD\s+/, ""));
    assert.deepEqual(command, ["node", "deploy/healthcheck.ts"]);
    assert.match(read("deploy/healthcheck.ts"), /fetch\(/);
  });

  it("exposes the server's default port", () => {
    const port = String(ENV.port.default);
    assert.deepEqual(finalOf("EXPOSE").map((e) => e.args), [port]);
  });

  it("ships what the Helm chart's `helm test` runs: scripts/smoke.ts with @colyseus/sdk", () => {
    assert.ok(finalOf("COPY").some((c) => /scripts\/smoke\.ts/.test(c.args)));
    const pkg = JSON.parse(read("package.json")) as { dependencies?: Record<string, string> };
    assert.ok(pkg.dependencies?.["@colyseus/sdk"], "@colyseus/sdk is a production dependency");
  });

  it("copies only paths that exist and that .dockerignore lets through", () => {
    const ignored = read(".dockerignore").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#") && !/[*?!]/.test(l));
    for (const stage of stages) {
      for (const copy of stage.instructions.filter((i) => i.keyword === "COPY" && !/--from=/.test(i.args))) {
        const words = copy.args.split(/\s+/).filter((w) => !w.startsWith("--"));
        for (const source of words.slice(0, -1)) {
          assert.ok(existsSync(path.join(repoRoot, source)), `line ${copy.line}: ${source} exists`);
          const blocked = ignored.find((p) => source === p.replace(/^\//, "") || source.startsWith(`${p.replace(/^\//, "")}/`));
          assert.equal(blocked, undefined, `line ${copy.line}: ${source} is excluded by .dockerignore (${blocked})`);
        }
      }
    }
  });
});

describe(".dockerignore", () => {
  it("keeps installed modules, builds, git and env files out of the build context", () => {
    const lines = new Set(read(".dockerignore").split("\n").map((l) => l.trim()));
    for (const entry of ["**/node_modules", "web/dist", ".git", ".env"]) assert.ok(lines.has(entry), entry);
  });
});
