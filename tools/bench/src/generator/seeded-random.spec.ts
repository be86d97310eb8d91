import { hash32, SeededRandom } from './seeded-random';

describe('SeededRandom', () => {
  const draw = (random: SeededRandom, count: number): number[] => Array.from({ length: count }, () => random.next());

  it('repeats a stream for the same seed and differs between families and indexes', () => {
    expect(draw(SeededRandom.of(42, 6, 100), 5)).toEqual(draw(SeededRandom.of(42, 6, 100), 5));
    expect(draw(SeededRandom.of(42, 6, 100), 5)).not.toEqual(draw(SeededRandom.of(42, 6, 101), 5));
    expect(draw(SeededRandom.of(42, 6, 100), 5)).not.toEqual(draw(SeededRandom.of(42, 7, 100), 5));
    expect(draw(SeededRandom.of(42, 6, 100), 5)).not.toEqual(draw(SeededRandom.of(43, 6, 100), 5));
    expect(hash32(1, 2, 3)).not.toBe(hash32(3, 2, 1));
  });

  it('draws uniformly in [0, 1) and integers within their bounds', () => {
    const random = new SeededRandom(7);
    const values = draw(random, 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    const ints = Array.from({ length: 2000 }, () => random.int(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
  });

  it('follows the weights of a weighted choice', () => {
    const random = new SeededRandom(11);
    const picks = Array.from({ length: 20_000 }, () =>
      random.weighted([
        ['a', 1],
        ['b', 3],
      ] as const),
    );
    const share = picks.filter((pick) => pick === 'b').length / picks.length;
    expect(share).toBeGreaterThan(0.72);
    expect(share).toBeLessThan(0.78);
  });

  it('skews towards the first entries, staying in range', () => {
    const random = new SeededRandom(5);
    const picks = Array.from({ length: 20_000 }, () => random.skewed(100, 3));
    expect(Math.min(...picks)).toBe(0);
    expect(Math.max(...picks)).toBeLessThan(100);
    // u^3 < 0.1 for u < 0.464: the first tenth gets nearly half the picks.
    const firstTenth = picks.filter((pick) => pick < 10).length / picks.length;
    expect(firstTenth).toBeGreaterThan(0.42);
    expect(firstTenth).toBeLessThan(0.51);
  });
});
