import type { EnterpriseScale, ResolvedOptions } from './enterprise-profile';
import { TIMELINE, VENDOR_ENDED_SHARE } from './enterprise-profile';
import type { PeopleDirectory } from './people-directory';
import { sample } from './people-directory';
import { SeededRandom } from './seeded-random';
import { FAMILY } from './stream-families';

/** Third parties: each onboarded early with a sponsoring person; a few contracts end late. */

export interface VendorRecord {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly sponsorIndex: number;
  readonly onboardedAt: number;
  readonly endedAt: number | null;
}

const PREFIXES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Cyberdyne',
  'Tyrell',
  'Wonka',
];
const PRODUCTS = ['Analytics', 'Cloud', 'Security', 'Payments', 'CRM', 'Monitoring', 'Backup', 'AI', 'Chat', 'Docs'];

export class VendorRoster {
  readonly vendors: readonly VendorRecord[];

  constructor(options: ResolvedOptions, scale: EnterpriseScale, people: PeopleDirectory) {
    const count = scale.vendors;
    const ending = new Set(
      sample(
        SeededRandom.of(options.seed, FAMILY.enterprise, 2),
        Array.from({ length: count }, (_, i) => i),
        Math.max(1, Math.round(count * VENDOR_ENDED_SHARE)),
      ),
    );
    const [from, to] = TIMELINE.vendorsOnboard;
    const slot = (to - from) / count;
    const combinations = PREFIXES.length * PRODUCTS.length;
    this.vendors = Array.from({ length: count }, (_, i) => {
      const random = SeededRandom.of(options.seed, FAMILY.vendor, i);
      const base = `${PREFIXES[i % PREFIXES.length]!} ${PRODUCTS[Math.floor(i / PREFIXES.length) % PRODUCTS.length]!}`;
      const name = i < combinations ? base : `${base} ${Math.floor(i / combinations) + 1}`;
      return {
        index: i,
        id: `vendor:${name.toLowerCase().replace(/ /g, '-')}`,
        name,
        sponsorIndex: people.pickCreator(random),
        onboardedAt: Math.floor(from + (i + random.between(0.05, 0.95)) * slot),
        endedAt: ending.has(i) ? Math.floor(random.between(TIMELINE.departures[0], TIMELINE.departures[1])) : null,
      };
    });
  }

  get(index: number): VendorRecord {
    const vendor = this.vendors[index];
    if (!vendor) throw new RangeError(`no vendor ${index}`);
    return vendor;
  }
}
