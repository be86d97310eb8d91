import type { ResolvedOptions } from './enterprise-profile';
import {
  BUILDER_DEPARTMENTS,
  CONTRACTOR_SHARE,
  DEPARTMENTS,
  LEAVER_SHARE,
  MANAGER_LEAVER_SHARE,
  MOVER_SHARE,
  SPAN_OF_CONTROL,
  TIMELINE,
} from './enterprise-profile';
import { SeededRandom } from './seeded-random';
import { FAMILY } from './stream-families';

/**
 * The people of the enterprise, computed once (a few hundred bytes per person): a management tree
 * of SPAN_OF_CONTROL reports per manager, managers first, so everyone joins after their manager.
 */

export interface PersonMove {
  readonly at: number;
  readonly managerIndex: number;
  readonly department: string;
  readonly title: string;
}

export interface PersonRecord {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly department: string;
  /** -1 for the CEO. */
  readonly managerIndex: number;
  readonly employmentType: 'employee' | 'contractor';
  readonly isManager: boolean;
  readonly joinedAt: number;
  readonly move: PersonMove | null;
  readonly leftAt: number | null;
  readonly leaveReason: string | null;
}

// prettier-ignore
const FIRST_NAMES = [
  'ada', 'alan', 'amara', 'ana', 'ben', 'carla', 'chen', 'dana', 'diego', 'elena', 'emeka', 'farah', 'grace',
  'hana', 'ivan', 'jade', 'jonas', 'kai', 'lara', 'leo', 'maya', 'mei', 'nadia', 'nils', 'omar', 'priya',
  'quinn', 'rafael', 'rosa', 'sam', 'sara', 'tariq', 'theo', 'uma', 'vera', 'wei', 'yara', 'yusuf', 'zoe', 'ines',
];
// prettier-ignore
const LAST_NAMES = [
  'adeyemi', 'alvarez', 'bauer', 'becker', 'costa', 'dubois', 'eriksen', 'fischer', 'garcia', 'haddad', 'ito',
  'jensen', 'kaur', 'kowalski', 'larsen', 'lopez', 'moreau', 'nakamura', 'novak', 'okafor', 'patel', 'quispe',
  'rossi', 'santos', 'schmidt', 'silva', 'tanaka', 'torres', 'umarov', 'varga', 'wang', 'weber', 'yilmaz', 'zhang',
];
// prettier-ignore
const TITLES = [
  'software engineer', 'senior software engineer', 'staff engineer', 'site reliability engineer', 'data engineer',
  'security engineer', 'engineering manager', 'analyst', 'product manager', 'account executive',
];

export function personId(index: number): string {
  return `person:e${String(index).padStart(6, '0')}`;
}

export class PeopleDirectory {
  readonly people: readonly PersonRecord[];
  /** People in departments that build things: they create and own most NHIs. */
  readonly builders: readonly number[];
  readonly leavers: readonly number[];
  readonly managers: number;
  readonly contractors: number;

  constructor(options: ResolvedOptions) {
    const count = options.people;
    // Everyone up to this index has at least one report.
    const lastManager = Math.floor((count - 2) / SPAN_OF_CONTROL);
    const leaving = chooseLeavers(options, lastManager);
    const [joinFrom, joinTo] = TIMELINE.peopleJoin;
    const slot = (joinTo - joinFrom) / count;
    const people: PersonRecord[] = [];
    const builders: number[] = [];
    let contractors = 0;
    for (let i = 0; i < count; i++) {
      const random = SeededRandom.of(options.seed, FAMILY.person, i);
      const managerIndex = i === 0 ? -1 : Math.floor((i - 1) / SPAN_OF_CONTROL);
      const isManager = i <= lastManager;
      const department = departmentOf(i, people);
      const contractor = !isManager && random.chance(CONTRACTOR_SHARE);
      if (contractor) contractors++;
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      const joinedAt = Math.floor(joinFrom + (i + random.between(0.05, 0.95)) * slot);
      const move =
        i > SPAN_OF_CONTROL && random.chance(MOVER_SHARE)
          ? drawMove(random, i, managerIndex, lastManager, people)
          : null;
      const leftAt = leaving.has(i) ? Math.floor(random.between(TIMELINE.departures[0], TIMELINE.departures[1])) : null;
      const leaveReason =
        leftAt === null
          ? null
          : contractor
            ? 'contract_end'
            : random.pick(['resignation', 'resignation', 'termination', 'retirement']);
      people.push({
        index: i,
        id: personId(i),
        name: `${capitalise(first)} ${capitalise(last)}`,
        email: `${first}.${last}${i}@${contractor ? 'contractors.' : ''}example.com`,
        department,
        managerIndex,
        employmentType: contractor ? 'contractor' : 'employee',
        isManager,
        joinedAt,
        move,
        leftAt,
        leaveReason,
      });
      if (BUILDER_DEPARTMENTS.includes(move?.department ?? department)) builders.push(i);
    }
    this.people = people;
    this.builders = builders.length > 0 ? builders : people.map((p) => p.index);
    this.leavers = [...leaving].sort((a, b) => a - b);
    this.managers = lastManager + 1;
    this.contractors = contractors;
  }

  get(index: number): PersonRecord {
    const person = this.people[index];
    if (!person) throw new RangeError(`no person ${index}`);
    return person;
  }

  /** Joined by `time` and not (yet) left: fit to act at that time. */
  isActiveAt(index: number, time: number): boolean {
    const person = this.get(index);
    return person.joinedAt < time && (person.leftAt === null || time < person.leftAt);
  }

  /** A builder most of the time, anyone otherwise: who creates and owns NHIs. */
  pickCreator(random: SeededRandom): number {
    return random.chance(0.8) ? random.pick(this.builders) : random.int(0, this.people.length - 1);
  }

  /** Like `pickCreator`, but someone active at `time` (a few tries, then the CEO, who never leaves). */
  pickActive(random: SeededRandom, time: number): number {
    for (let attempt = 0; attempt < 8; attempt++) {
      const candidate = this.pickCreator(random);
      if (this.isActiveAt(candidate, time)) return candidate;
    }
    return 0;
  }
}

/** The department of person i: that of its level-1 ancestor (a vice-president heads one). */
function departmentOf(index: number, earlier: readonly PersonRecord[]): string {
  if (index === 0) return 'executive';
  if (index <= SPAN_OF_CONTROL) return DEPARTMENTS[(index - 1) % DEPARTMENTS.length]!;
  return earlier[Math.floor((index - 1) / SPAN_OF_CONTROL)]!.department;
}

/** A reorganisation: a new manager among the earlier managers (so the tree stays acyclic). */
function drawMove(
  random: SeededRandom,
  index: number,
  managerIndex: number,
  lastManager: number,
  earlier: readonly PersonRecord[],
): PersonMove | null {
  const newManager = random.int(1, Math.min(index - 1, lastManager));
  if (newManager === managerIndex) return null;
  return {
    at: Math.floor(random.between(TIMELINE.reorganisations[0], TIMELINE.reorganisations[1])),
    managerIndex: newManager,
    department: earlier[newManager]!.department,
    title: random.pick(TITLES),
  };
}

/** ~3% of people leave (never the CEO), some of them managers. */
function chooseLeavers(options: ResolvedOptions, lastManager: number): Set<number> {
  const count = options.people;
  const random = SeededRandom.of(options.seed, FAMILY.enterprise, 1);
  const total = Math.max(1, Math.round(count * LEAVER_SHARE));
  const managerPool = range(1, lastManager);
  const otherPool = range(lastManager + 1, count - 1);
  const fromManagers = Math.min(
    managerPool.length,
    total >= 2 ? Math.max(1, Math.round(total * MANAGER_LEAVER_SHARE)) : 0,
  );
  const chosen = new Set<number>();
  for (const index of sample(random, managerPool, fromManagers)) chosen.add(index);
  for (const index of sample(random, otherPool, total - chosen.size)) chosen.add(index);
  return chosen;
}

function range(from: number, to: number): number[] {
  const values: number[] = [];
  for (let i = from; i <= to; i++) values.push(i);
  return values;
}

/** `size` distinct values of `pool` (a partial Fisher–Yates shuffle). */
export function sample(random: SeededRandom, pool: readonly number[], size: number): number[] {
  const copy = [...pool];
  const take = Math.min(size, copy.length);
  for (let i = 0; i < take; i++) {
    const j = random.int(i, copy.length - 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, take);
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
