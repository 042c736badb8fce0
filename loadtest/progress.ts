// Live progress: one line rewritten in place on a terminal, or a plain line
// every few seconds when the output is a file or a pipe (CI logs).

import type { Span } from "./session.ts";
import { totalErrors } from "./stats.ts";

export interface ProgressFrame {
  elapsedS: number;
  target: number;
  window: Span;
  totals: Span;
}

export function progressLine(frame: ProgressFrame): string {
  const { window, totals } = frame;
  const seconds = window.wallMs / 1000;
  const perS = (n: number): number => (seconds > 0 ? n / seconds : 0);
  const rtt = window.rttMs.summary();
  return [
    `[${frame.elapsedS.toFixed(0).padStart(4)} s]`,
    `bots ${window.connected}/${frame.target}`,
    `joins/s ${perS(window.counters.joins).toFixed(1)}`,
    `errors ${totalErrors(totals.counters)}`,
    `rtt p50 ${rtt.p50.toFixed(1)} p99 ${rtt.p99.toFixed(1)} ms`,
    `in ${(perS(window.counters.bytesIn) / 1024).toFixed(1)} KB/s`,
    `loadgen cpu ${window.cpuPercent.toFixed(0)} %`,
  ].join("  ");
}

export interface ProgressSink {
  /** How often the run should sample for this sink. */
  everyMs: number;
  show(frame: ProgressFrame): void;
  /** Clears the live line before the summary is printed. */
  end(): void;
}

export function progressSink(stream: NodeJS.WriteStream): ProgressSink {
  if (stream.isTTY) {
    return {
      everyMs: 1000,
      show: (frame) => stream.write(`\r\x1b[2K${progressLine(frame)}`),
      end: () => stream.write("\r\x1b[2K"),
    };
  }
  return {
    everyMs: 5000,
    show: (frame) => stream.write(`${progressLine(frame)}\n`),
    end: () => {},
  };
}
