import { parseCpuTicks, percentiles, stolenPercent } from './bench-stats';

describe('percentiles', () => {
  it('takes the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(samples)).toEqual({ p50Ms: 50, p95Ms: 95, p99Ms: 99, samples: 100 });
  });

  it('is zero for no samples and the value itself for one', () => {
    expect(percentiles([])).toMatchObject({ p50Ms: 0, p99Ms: 0 });
    expect(percentiles([3.14159])).toMatchObject({ p50Ms: 3.14, p95Ms: 3.14, p99Ms: 3.14 });
  });
});

describe('CPU time stolen by the hypervisor', () => {
  // Two readings of this project's two-core machine, ten seconds apart, with the host quiet.
  const quiet = [
    'cpu  2187026 0 345022 2148865 67635 0 21919 172420 0 0\ncpu0 913724 0 121180 1343916 16334 0 1229 80806 0 0\n',
    'cpu  2187027 0 345033 2150850 67635 0 21919 172421 0 0\ncpu0 913726 0 121182 1344912 16334 0 1229 80806 0 0\n',
  ] as const;

  it('reads the all-cores line; guest time is left out, as user time already counts it', () => {
    expect(parseCpuTicks(quiet[0])).toEqual({ total: 2187026 + 345022 + 2148865 + 67635 + 21919 + 172420, steal: 172420 });
    expect(parseCpuTicks('cpu  10 0 0 10 0 0 0 5 7 7\n')).toEqual({ total: 25, steal: 5 });
  });

  it('is the stolen share of all the time between two readings', () => {
    // 1,998 ticks passed, one of them stolen.
    expect(stolenPercent(parseCpuTicks(quiet[0]), parseCpuTicks(quiet[1]))).toBe(0.1);
    // A busy host, made up: 1,000 ticks on, 250 stolen.
    expect(stolenPercent({ total: 5000, steal: 100 }, { total: 6000, steal: 350 })).toBe(25);
  });

  it('is null without both readings, or without time between them', () => {
    expect(parseCpuTicks('intr 1 2 3\n')).toBeNull();
    expect(parseCpuTicks('cpu  1 2 3\n')).toBeNull();
    expect(stolenPercent(null, parseCpuTicks(quiet[1]))).toBeNull();
    expect(stolenPercent(parseCpuTicks(quiet[1]), parseCpuTicks(quiet[1]))).toBeNull();
  });
});
