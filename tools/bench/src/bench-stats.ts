import { readFileSync } from 'node:fs';

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

/** The machine's CPU time so far, in clock ticks: all of it, and what the hypervisor gave to other guests. */
export interface CpuTicks {
  readonly total: number;
  readonly steal: number;
}

/**
 * The `cpu` line of Linux's `/proc/stat`: user nice system idle iowait irq softirq steal, then
 * guest and guest_nice, which are already counted in user and nice. Null when it is not there.
 */
export function parseCpuTicks(procStat: string): CpuTicks | null {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  const counted = line?.trim().split(/\s+/).slice(1, 9).map(Number) ?? [];
  if (counted.length < 8 || counted.some((ticks) => !Number.isFinite(ticks))) return null;
  return { total: counted.reduce((sum, ticks) => sum + ticks, 0), steal: counted[7]! };
}

/** The machine's CPU ticks now, or null where there is no `/proc/stat` (not Linux). */
export function readCpuTicks(): CpuTicks | null {
  try {
    return parseCpuTicks(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}

/**
 * The share of the machine's CPU time (every core, idle included, as `vmstat` shows it) stolen by
 * the hypervisor between two readings, in percent to 0.1; null without both readings.
 */
export function stolenPercent(from: CpuTicks | null, to: CpuTicks | null): number | null {
  if (!from || !to || to.total <= from.total) return null;
  return Math.round(((to.steal - from.steal) / (to.total - from.total)) * 1000) / 10;
}
