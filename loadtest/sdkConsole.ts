// The SDK writes to the console for events the bots already count (a socket
// closed before its join completed, reconnection attempts). With thousands of
// clients in one process that would bury the progress line and the summary,
// so the load tool's entry points drop those lines and keep everything else.

const SDK_NOISE = [/^Room connection was closed unexpectedly/, /^\[Colyseus reconnection\]/];

export function quietSdkConsole(): void {
  for (const level of ["warn", "info"] as const) {
    const write = console[level].bind(console);
    console[level] = (...args: unknown[]): void => {
      if (typeof args[0] === "string" && SDK_NOISE.some((pattern) => pattern.test(args[0] as string))) return;
      write(...args);
    };
  }
}

/**
 * For scripts that report counts, not lines: every console.warn/info/log line
 * from here on is counted by its text (numbers and quoted parts folded), not
 * printed. The script prints with `print` (the original console.log) and
 * reports the counts itself.
 */
export function countConsoleLines(): { counts: Map<string, number>; print: (...args: unknown[]) => void } {
  const counts = new Map<string, number>();
  const print = console.log.bind(console);
  for (const level of ["warn", "info", "log"] as const) {
    console[level] = (...args: unknown[]): void => {
      const key = String(args[0]).replace(/"[^"]*"|'[^']*'/g, "…").replace(/\d+/g, "N").slice(0, 100);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    };
  }
  return { counts, print };
}
