import { percentiles } from './bench-stats';

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
