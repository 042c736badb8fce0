// Finding the binaries the local topology runs (redis-server, nginx; chromium
// for the browser tests), and saying how to install the missing ones.

import { accessSync, constants } from "node:fs";
import path from "node:path";

/** The Debian package that ships each binary the topology needs. */
const PACKAGES: Record<string, string> = { "redis-server": "redis-server", "redis-cli": "redis-tools", nginx: "nginx", chromium: "chromium" };
/** Debian puts nginx in /usr/sbin, which a non-root PATH often lacks. */
const EXTRA_DIRS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

export class MissingBinariesError extends Error {
  override name = "MissingBinariesError";
  readonly missing: string[];
  constructor(missing: string[]) {
    super(`${missing.join(" and ")} not found (looked on PATH and in /usr/sbin, /usr/bin). ${installHint(missing)}`);
    this.missing = missing;
  }
}

export function installHint(missing: string[]): string {
  const packages = [...new Set(missing.map((name) => PACKAGES[name] ?? name))];
  return `Install with: apt-get install -y ${packages.join(" ")} (Debian/Ubuntu, as root)`;
}

/** Absolute path of an executable on PATH or in the usual system directories, or undefined. */
export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next directory.
    }
  }
  return undefined;
}

/** Paths of the named binaries; throws MissingBinariesError naming every missing one and how to install it. */
export function requireBinaries<const N extends string>(names: readonly N[]): Record<N, string> {
  const found: Partial<Record<N, string>> = {};
  const missing: string[] = [];
  for (const name of names) {
    const where = findBinary(name);
    if (where === undefined) missing.push(name);
    else found[name] = where;
  }
  if (missing.length > 0) throw new MissingBinariesError(missing);
  return found as Record<N, string>;
}
