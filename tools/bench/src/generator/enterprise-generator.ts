import type { CanonicalEventLike, GeneratedEventType } from './canonical-event-like';
import { GENERATED_EVENT_TYPES } from './canonical-event-like';
import type { EnterpriseOptions } from './enterprise-profile';
import { ADMIN_TIERS, PLATFORM_CYCLE, resolveOptions, TIMELINE_END, TIMELINE_START } from './enterprise-profile';
import { isoTime } from './event-plans';
import { NhiPopulation } from './nhi-population';
import { sample } from './people-directory';
import { SeededRandom } from './seeded-random';
import { FAMILY } from './stream-families';
import { SyntheticEnterprise } from './synthetic-enterprise';
import { mergeByTime } from './time-ordered-merge';

/**
 * The synthetic-enterprise generator's public face: the events (a lazy, time-ordered stream),
 * what the enterprise holds (known before generating), what was generated (counted while
 * generating), and deterministic targets for the benchmark's queries.
 */

/** What an enterprise holds, known from the options alone, without generating. */
export interface EnterpriseOutline {
  readonly seed: number;
  readonly people: number;
  readonly managers: number;
  readonly contractors: number;
  /** Ids of the people who leave (`hr.person.left`), in id order. */
  readonly leavers: string[];
  readonly vendors: number;
  readonly endedVendors: string[];
  readonly roles: number;
  readonly adminRoles: number;
  readonly resources: number;
  readonly pipelines: number;
  readonly pipelineRuns: number;
  /** The generated history's first and last instants (RFC 3339). */
  readonly from: string;
  readonly to: string;
}

/** What a generation produced: the outline, and counts of what was emitted. */
export interface GeneratedSummary extends EnterpriseOutline {
  readonly nhis: number;
  readonly nhisPerPerson: number;
  /** Credentials created (`iam.credential.created`); rotations add `rotations` more versions. */
  readonly credentials: number;
  readonly rotations: number;
  readonly events: number;
  readonly eventsByType: Readonly<Record<GeneratedEventType, number>>;
}

/** Pools of ids for the benchmark to draw its query targets from; the same for a seed. */
export interface BenchTargets {
  /** NHIs that still exist at the end of the history. */
  readonly nhiIds: string[];
  /** Credentials alive at the end of the history, as their current (possibly rotated) ids. */
  readonly credentialIds: string[];
  /** People who left (all of them, or `count` of them when there are more). */
  readonly leaverIds: string[];
  readonly personIds: string[];
}

/**
 * The enterprise's events, ordered by event time, generated lazily: memory stays flat whatever
 * the scale. The generator's return value (`next()` once `done`) is the summary.
 * Options are checked at once: a bad one throws a RangeError naming it.
 */
export function generateEnterprise(
  options: EnterpriseOptions,
): Generator<CanonicalEventLike, GeneratedSummary, undefined> {
  const enterprise = new SyntheticEnterprise(resolveOptions(options));
  return emit(enterprise);
}

function* emit(enterprise: SyntheticEnterprise): Generator<CanonicalEventLike, GeneratedSummary, undefined> {
  const counts = Object.fromEntries(GENERATED_EVENT_TYPES.map((type) => [type, 0])) as Record<
    GeneratedEventType,
    number
  >;
  let events = 0;
  for (const event of mergeByTime(enterprise.families())) {
    counts[event.type]++;
    events++;
    yield event;
  }
  const outline = outlineOf(enterprise);
  return {
    ...outline,
    nhis: counts['iam.nhi.created'],
    nhisPerPerson: counts['iam.nhi.created'] / outline.people,
    credentials: counts['iam.credential.created'],
    rotations: counts['iam.credential.rotated'],
    events,
    eventsByType: counts,
  };
}

export function describeEnterprise(options: EnterpriseOptions): EnterpriseOutline {
  return outlineOf(new SyntheticEnterprise(resolveOptions(options)));
}

function outlineOf(enterprise: SyntheticEnterprise): EnterpriseOutline {
  const { people, vendors, scale, options } = enterprise;
  return {
    seed: options.seed,
    people: scale.people,
    managers: people.managers,
    contractors: people.contractors,
    leavers: people.leavers.map((index) => people.get(index).id),
    vendors: scale.vendors,
    endedVendors: vendors.vendors.filter((vendor) => vendor.endedAt !== null).map((vendor) => vendor.id),
    roles: scale.roles,
    adminRoles: Math.min(scale.roles, ADMIN_TIERS * PLATFORM_CYCLE.length),
    resources: scale.resources,
    pipelines: scale.pipelines,
    pipelineRuns: scale.pipelineRuns,
    from: isoTime(TIMELINE_START),
    to: isoTime(TIMELINE_END),
  };
}

/**
 * Up to `count` ids of each kind, drawn at random (seeded) among those that exist at the end of
 * the history. Computed from the enterprise's model, without generating its events. Each `draw`
 * is another sample of the same enterprise (the benchmark warms up on draw 1, times draw 0).
 */
export function sampleTargets(options: EnterpriseOptions, count: number, draw = 0): BenchTargets {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`count: must be a positive integer, got ${String(count)}`);
  const enterprise = new SyntheticEnterprise(resolveOptions(options));
  const { nhis, people } = enterprise;
  const random = SeededRandom.of(enterprise.options.seed, FAMILY.targets, draw);
  const nhiIds: string[] = [];
  const credentialIds: string[] = [];
  const seenNhis = new Set<number>();
  const seenCredentials = new Set<string>();
  // Bounded attempts: a tiny enterprise may have fewer live NHIs or credentials than asked for.
  for (let attempt = 0; attempt < count * 8 && (nhiIds.length < count || credentialIds.length < count); attempt++) {
    const index = random.int(0, nhis.count - 1);
    if (nhis.isDeleted(index)) continue;
    if (nhiIds.length < count && !seenNhis.has(index)) {
      seenNhis.add(index);
      nhiIds.push(nhis.identity(index).id);
    }
    if (credentialIds.length < count) {
      const credential = random.pick(nhis.model(index).credentials);
      const current = NhiPopulation.versionAt(credential, TIMELINE_END);
      if (current !== null && !seenCredentials.has(current)) {
        seenCredentials.add(current);
        credentialIds.push(current);
      }
    }
  }
  const leaverIds = sample(random, people.leavers, count).map((index) => people.get(index).id);
  const personIds = sample(
    random,
    people.people.map((person) => person.index),
    count,
  ).map((index) => people.get(index).id);
  return { nhiIds, credentialIds, leaverIds, personIds };
}
