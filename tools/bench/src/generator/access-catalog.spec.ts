import { AccessCatalog } from './access-catalog';
import { enterpriseScale, MAX_GRANTS_PER_ROLE, PLATFORM_CYCLE, resolveOptions } from './enterprise-profile';
import { SeededRandom } from './seeded-random';

describe('AccessCatalog', () => {
  const options = resolveOptions({ people: 10_000, seed: 42 });
  const catalog = new AccessCatalog(options, enterpriseScale(options));

  /** Every resource a role reaches, through the roles it can assume, transitively. */
  function reach(roleIndex: number, seen = new Set<number>()): Set<string> {
    const resources = new Set<string>();
    if (seen.has(roleIndex)) return resources;
    seen.add(roleIndex);
    const role = catalog.role(roleIndex);
    for (const grant of role.grants) resources.add(catalog.resourceId(grant.resource));
    for (const trust of role.assumes) for (const id of reach(trust.roleIndex, seen)) resources.add(id);
    return resources;
  }

  it('gives a top admin role thousands of resources through the admin roles it can assume', () => {
    const top = catalog.role(0);
    expect(top.adminTier).toBe(0);
    expect(top.assumes.map((trust) => catalog.role(trust.roleIndex).adminTier)).toEqual([1]);
    expect(reach(0).size).toBeGreaterThan(1500);
  });

  it('keeps every role within the events contract, and most roles small', () => {
    const counts: number[] = [];
    for (let index = 0; index < catalog.roleCount; index += 7) counts.push(catalog.role(index).grants.length);
    expect(Math.max(...counts)).toBeLessThanOrEqual(MAX_GRANTS_PER_ROLE);
    counts.sort((a, b) => a - b);
    expect(counts[Math.floor(counts.length / 2)]!).toBeLessThanOrEqual(4);
    expect(counts.filter((count) => count >= 20).length).toBeGreaterThan(0);
  });

  it('grants only resources of the role’s own platform, and picks roles of the platform asked for', () => {
    const random = SeededRandom.of(1, 2, 3);
    for (const platform of new Set(PLATFORM_CYCLE)) {
      const role = catalog.role(catalog.pickRole(random, platform));
      expect(role.platform).toBe(platform);
      expect(role.adminTier).toBeNull();
      for (const grant of role.grants)
        expect(catalog.resourceId(grant.resource)).toMatch(new RegExp(`^resource:${platform}:`));
    }
  });

  it('defines roles in index order and lets roles assume only roles defined before the trust', () => {
    for (let index = 1; index < 500; index++)
      expect(catalog.roleDefinedAt(index)).toBeGreaterThan(catalog.roleDefinedAt(index - 1));
    for (let index = 0; index < 2000; index++) {
      for (const trust of catalog.role(index).assumes) {
        expect(trust.at).toBeGreaterThan(catalog.roleDefinedAt(trust.roleIndex));
        expect(trust.roleIndex).not.toBe(index);
      }
    }
  });
});
