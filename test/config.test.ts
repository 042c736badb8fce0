import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { ConfigError, ENV, ENV_VARS, loadConfig, type EnvVar } from "../rooms/server/config.ts";
import { readFileSync } from "node:fs";
import { withEnvTable } from "../scripts/env-table.ts";

describe("configuration", () => {
  it("has working defaults with an empty environment", () => {
    const config = loadConfig({});
    assert.equal(config.port, 2567);
    assert.equal(config.tickHz, 10);
    assert.equal(config.maxPlayers, 32);
    assert.equal(config.reconnectSeconds, 10);
    assert.equal(config.drainSeconds, 30);
    assert.equal(config.migrateOnDrain, true);
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.publicAddress, undefined);
  });

  const rejects: [Record<string, string>, RegExp][] = [
    [{ TICK_HZ: "fast" }, /^TICK_HZ="fast" is not valid; allowed: integer 1-60$/],
    [{ TICK_HZ: "0" }, /TICK_HZ="0".*integer 1-60/],
    [{ MAX_PLAYERS: "1000" }, /MAX_PLAYERS="1000".*integer 1-200/],
    [{ PORT: "70000" }, /PORT="70000"/],
    [{ RECONNECT_SECONDS: "-1" }, /RECONNECT_SECONDS/],
    [{ DRAIN_SECONDS: "1.5" }, /DRAIN_SECONDS/],
    [{ MIGRATE_ON_DRAIN: "yes" }, /MIGRATE_ON_DRAIN="yes".*true, false/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL="loud".*fatal, error, warn, info, debug, trace, silent/],
    [{ REDIS_URL: "localhost:6379", PUBLIC_ADDRESS: "x" }, /REDIS_URL="localhost:6379".*redis:\/\//],
    [{ REDIS_URL: "redis://127.0.0.1:6379" }, /REDIS_URL is set but no public address/],
    [{ PUBLIC_ADDRESS: "https://games.example.com" }, /PUBLIC_ADDRESS=.*no scheme/],
    [{ PUBLIC_ADDRESS: "games.example.com//x" }, /PUBLIC_ADDRESS/],
    [{ PUBLIC_HOST: "games.example.com" }, /PUBLIC_HOST is set but REPLICA_NAME is not/],
    [{ PUBLIC_HOST: "games.example.com", REPLICA_NAME: "Game_1" }, /REPLICA_NAME="Game_1"/],
    [{ REPLICA_VERSION: "v1 beta" }, /REPLICA_VERSION="v1 beta".*letters, digits/],
    [{ ALLOWED_ORIGINS: "games.example.com" }, /ALLOWED_ORIGINS="games.example.com".*not an origin/],
    [{ ALLOWED_ORIGINS: "https://games.example.com/" }, /ALLOWED_ORIGINS=.*https:\/\/games.example.com would be/],
    [{ ALLOWED_ORIGINS: " , " }, /ALLOWED_ORIGINS=.*no origin given/],
  ];
  for (const [env, message] of rejects) {
    it(`rejects ${JSON.stringify(env)} naming the variable and what is allowed`, () => {
      assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && message.test(e.message));
    });
  }

  it("parses every declared variable by its declaration: in-range values, defaults, and named rejections", () => {
    const defaults = loadConfig({}) as Record<string, unknown>;
    for (const [key, v] of Object.entries(ENV) as [string, EnvVar][]) {
      if (v.kind === "integer") {
        assert.equal(defaults[key], v.default, key);
        assert.equal((loadConfig({ [v.name]: String(v.max) }) as Record<string, unknown>)[key], v.max, key);
        for (const bad of [String(v.min - 1), String(v.max + 1)]) {
          assert.throws(() => loadConfig({ [v.name]: bad }), { name: "ConfigError", message: `${v.name}="${bad}" is not valid; allowed: ${v.allowed}` });
        }
      } else if (v.kind === "choice" || v.kind === "boolean") {
        assert.throws(() => loadConfig({ [v.name]: "nonsense" }), { name: "ConfigError", message: `${v.name}="nonsense" is not valid; allowed: ${v.allowed}` });
      }
    }
  });

  it("derives the public address from PUBLIC_HOST and REPLICA_NAME", () => {
    const config = loadConfig({ REDIS_URL: "redis://r:6379/2", PUBLIC_HOST: "games.example.com", REPLICA_NAME: "game-1" });
    assert.equal(config.publicAddress, "games.example.com/game-1");
    assert.equal(config.replicaName, "game-1");
  });

  it("reads ALLOWED_ORIGINS as a list of origins; unset means any origin", () => {
    assert.deepEqual(loadConfig({ ALLOWED_ORIGINS: "https://a.example, http://localhost:5173" }).allowedOrigins, ["https://a.example", "http://localhost:5173"]);
    assert.equal(loadConfig({}).allowedOrigins, undefined);
  });

  it("prefers an explicit PUBLIC_ADDRESS", () => {
    assert.equal(loadConfig({ PUBLIC_ADDRESS: "127.0.0.1:8080/game-0", PUBLIC_HOST: "x", REPLICA_NAME: "game-9" }).publicAddress, "127.0.0.1:8080/game-0");
  });

  it("takes REDIS_CLUSTER only with a REDIS_URL on database 0", () => {
    const base = { PUBLIC_ADDRESS: "games.example.com/game-0" };
    assert.equal(loadConfig({ ...base, REDIS_URL: "rediss://node.example.com:6379", REDIS_CLUSTER: "true" }).redisCluster, true);
    assert.equal(loadConfig({ ...base, REDIS_URL: "redis://node.example.com/0", REDIS_CLUSTER: "true" }).redisCluster, true);
    assert.throws(() => loadConfig({ REDIS_CLUSTER: "true" }), /REDIS_CLUSTER=true needs REDIS_URL/);
    assert.throws(() => loadConfig({ ...base, REDIS_URL: "redis://node.example.com/2", REDIS_CLUSTER: "true" }), /REDIS_URL="redis:\/\/node.example.com\/2" is not valid \(a Redis Cluster has database 0 only\)/);
    assert.throws(() => loadConfig({ ...base, REDIS_URL: "redis://node.example.com", REDIS_CLUSTER: "yes" }), /REDIS_CLUSTER="yes" is not valid; allowed: true, false/);
  });

  it("stops the process at start with a message naming the variable", async () => {
    const child = spawn(process.execPath, ["rooms/server/main.ts"], { env: { ...process.env, TICK_HZ: "lots" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => { stderr += chunk; });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    assert.equal(code, 2);
    assert.match(stderr, /configuration error: TICK_HZ="lots" is not valid; allowed: integer 1-60/);
  });

  it("documents every variable in the README's configuration table (npm run docs:env)", () => {
    const readme = readFileSync("README.md", "utf8");
    assert.equal(withEnvTable(readme), readme, "README.md's table is stale: run npm run docs:env");
    for (const v of ENV_VARS) assert.match(readme, new RegExp(`^\\| \`${v.name}\` \\|`, "m"), `${v.name} missing from README`);
  });
});
