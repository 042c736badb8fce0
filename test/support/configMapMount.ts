// A directory laid out and updated the way kubelet projects a ConfigMap:
// each version in its own timestamped directory, `..data` a symlink to the
// current one, and each key a symlink through `..data`. An update writes a
// new version and swaps `..data` atomically (symlink, then rename over it),
// so a reader sees the old file or the new one, never a half-written one.

import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export class ConfigMapMount {
  readonly dir: string;
  private version = 0;
  private current: string | undefined;

  constructor(data: Record<string, string>) {
    this.dir = mkdtempSync(path.join(tmpdir(), "roomservice-configmap-"));
    this.update(data);
    for (const key of Object.keys(data)) symlinkSync(path.join("..data", key), path.join(this.dir, key));
  }

  file(key: string): string {
    return path.join(this.dir, key);
  }

  /** Writes the new version beside the old one, then swaps `..data` in one rename. */
  update(data: Record<string, string>): void {
    const name = `..${new Date().toISOString().replace(/[-:.]/g, "_")}.${++this.version}`;
    mkdirSync(path.join(this.dir, name));
    for (const [key, value] of Object.entries(data)) writeFileSync(path.join(this.dir, name, key), value);
    symlinkSync(name, path.join(this.dir, "..data_tmp"));
    renameSync(path.join(this.dir, "..data_tmp"), path.join(this.dir, "..data"));
    if (this.current) rmSync(path.join(this.dir, this.current), { recursive: true });
    this.current = name;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
