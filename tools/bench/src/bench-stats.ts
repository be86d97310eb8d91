/** Latency percentiles over a sample, in milliseconds rounded to 0.01. */
export interface Percentiles {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly samples: number;
}

export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), p99Ms: round(at(0.99)), samples: sorted.length };
}

/** Time `run` once per target; returns each call's duration. */
export async function timeEach<T>(targets: readonly T[], run: (target: T) => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  for (const target of targets) {
    const started = performance.now();
    await run(target);
    durations.push(performance.now() - started);
  }
  return durations;
}

/** The process's peak resident set so far, in MiB (`maxRSS` is in KiB). */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
