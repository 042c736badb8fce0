// values.yaml is the one place the chart's settings are declared. The README
// table is generated from it, the schema must describe exactly its keys, and
// the settings that become server environment variables must agree with the
// server's own config module (names, defaults and accepted ranges).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { ENV_VARS, envVar, type IntegerVar } from "../../rooms/server/config.ts";
import { chartDir, ciValuesFiles, ofKind, renderChart, serverContainer, serverStatefulSet } from "./render.ts";

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
}

const valuesPath = join(chartDir, "values.yaml");
const values = parse(readFileSync(valuesPath, "utf8")) as Record<string, unknown>;
const schema = JSON.parse(readFileSync(join(chartDir, "values.schema.json"), "utf8")) as JsonSchema & { $schema: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function schemaAt(path: string): JsonSchema {
  let node: JsonSchema | undefined = schema;
  for (const key of path.split(".")) node = node?.properties?.[key];
  if (!node) throw new Error(`values.schema.json does not declare ${path}`);
  return node;
}

/** The server's declaration of an integer variable: its range and default. */
function integerVar(envName: string): IntegerVar {
  const spec = envVar(envName);
  if (spec.kind !== "integer") throw new Error(`${envName} is not declared as an integer in rooms/server/config.ts`);
  return spec;
}

describe("values.yaml, its schema, README and the server's env contract", () => {
  it("generates the README parameter table from the values.yaml comments (run npm run helm:readme)", () => {
    const dir = mkdtempSync(join(tmpdir(), "roomservice-readme-"));
    try {
      const readme = join(dir, "README.md");
      copyFileSync(join(chartDir, "README.md"), readme);
      const pkg = createRequire(import.meta.url).resolve("@bitnami/readme-generator-for-helm/package.json");
      const result = spawnSync(process.execPath, [join(dirname(pkg), "bin", "index.js"), "--values", valuesPath, "--readme", readme], { encoding: "utf8" });
      // The generator also fails when a value lacks its ## @param comment, or a comment names no value.
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.equal(readFileSync(readme, "utf8"), readFileSync(join(chartDir, "README.md"), "utf8"), "README.md is stale: run npm run helm:readme");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is a draft-07 schema that rejects unknown top-level values", () => {
    assert.equal(schema.$schema, "http://json-schema.org/draft-07/schema#");
    assert.equal(schema.additionalProperties, false);
  });

  it("declares in the schema every value in values.yaml, and no value values.yaml lacks", () => {
    const walk = (node: Record<string, unknown>, schemaNode: JsonSchema, prefix: string): void => {
      const declared = schemaNode.properties ?? {};
      for (const [key, value] of Object.entries(node)) {
        const path = prefix + key;
        const child = declared[key];
        assert.ok(child, `values.yaml has ${path}, which values.schema.json does not declare`);
        // Free-form Kubernetes objects (resources, securityContext, ...) are declared without properties.
        if (isPlainObject(value) && child.properties) walk(value, child, `${path}.`);
      }
      // An empty map in values.yaml (e.g. gateway.timeouts) is a set of optional keys.
      if (schemaNode.additionalProperties === false && Object.keys(node).length > 0) {
        for (const key of Object.keys(declared)) {
          if (prefix === "" && key === "global") continue;
          assert.ok(key in node, `values.schema.json declares ${prefix + key}, which values.yaml lacks`);
        }
      }
    };
    walk(values, schema, "");
  });

  /** Every variable the server container gets, from its env and its ConfigMaps, for each CI values file. */
  const renderedEnv = (): Map<string, string[]> => new Map(ciValuesFiles().map((file) => {
    const objects = renderChart([file]);
    const container = serverContainer(serverStatefulSet(objects));
    const configMaps = ofKind(objects, "ConfigMap").filter((c) => container.envFrom?.some((e) => e.configMapRef?.name === c.metadata.name));
    return [file, [...(container.env ?? []).map((e) => e.name), ...configMaps.flatMap((c) => Object.keys((c["data"] as object | undefined) ?? {}))]];
  }));

  it("sets only environment variables the server's config module declares", () => {
    const declared = new Set(ENV_VARS.map((v) => v.name));
    // REDIS_PASSWORD only carries the password into REDIS_URL through $(REDIS_PASSWORD).
    declared.add("REDIS_PASSWORD");
    // NODE_OPTIONS is read by Node itself (heap sizing, server.nodeOptions), never by the server's code.
    declared.add("NODE_OPTIONS");
    for (const [file, names] of renderedEnv()) {
      for (const name of names) assert.ok(declared.has(name), `${file} sets ${name}, which rooms/server/config.ts does not declare`);
    }
  });

  const settings: [string, string][] = [
    ["server.tickHz", "TICK_HZ"],
    ["server.maxPlayers", "MAX_PLAYERS"],
    ["server.maxSpectators", "MAX_SPECTATORS"],
    ["server.roomBots", "ROOM_BOTS"],
    ["server.reconnectSeconds", "RECONNECT_SECONDS"],
    ["server.containerPort", "PORT"],
    ["drain.seconds", "DRAIN_SECONDS"],
  ];
  it("holds every integer variable the chart sets to the server's range (the settings list below)", () => {
    const checked = new Set(settings.map(([, envName]) => envName));
    for (const [file, names] of renderedEnv()) {
      for (const name of names) {
        const spec = ENV_VARS.find((v) => v.name === name);
        if (spec?.kind === "integer") assert.ok(checked.has(name), `${file} sets ${name}: add its values.yaml path to this test's settings, so its schema range is held to the server's`);
      }
    }
  });

  for (const [path, envName] of settings) {
    it(`accepts for ${path} only what the server accepts for ${envName}, and defaults it alike`, () => {
      const { min, max, default: fallback } = integerVar(envName);
      const declared = schemaAt(path);
      assert.equal(declared.type, "integer");
      assert.ok(declared.minimum !== undefined && declared.minimum >= min, `${path} minimum ${declared.minimum} is below ${envName}'s ${min}`);
      assert.ok(declared.maximum !== undefined && declared.maximum <= max, `${path} maximum ${declared.maximum} is above ${envName}'s ${max}`);
      const [section = "", key = ""] = path.split(".");
      const value = (values[section] as Record<string, unknown>)[key];
      assert.equal(value, fallback);
    });
  }

  it("accepts for migration.enabled only a boolean, defaulting as MIGRATE_ON_DRAIN does", () => {
    assert.equal(schemaAt("migration.enabled").type, "boolean");
    const spec = envVar("MIGRATE_ON_DRAIN");
    assert.equal(spec.kind, "boolean");
    assert.equal((values["migration"] as Record<string, unknown>)["enabled"], spec.default);
  });

  it("offers exactly the server's log levels, defaulting alike", () => {
    const spec = envVar("LOG_LEVEL");
    assert.equal(spec.kind, "choice");
    assert.deepEqual(schemaAt("server.logLevel").enum, spec.values);
    assert.equal((values["server"] as Record<string, unknown>)["logLevel"], spec.default);
  });
});
