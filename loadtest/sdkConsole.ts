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
