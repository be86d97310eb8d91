import { createHash } from 'node:crypto';
import { validateCanonical } from '@lineage/events';
import type { CanonicalEventLike, GeneratedEventType } from './canonical-event-like';
import { GENERATED_EVENT_TYPES } from './canonical-event-like';
import type { GeneratedSummary } from './enterprise-generator';
import { describeEnterprise, generateEnterprise, sampleTargets } from './enterprise-generator';
import { DAY_MS } from './enterprise-profile';

/**
 * The generator, checked on small enterprises by replaying what it emits: every reference must
 * point at something an earlier event introduced, and the shape (proportions, chains, fan-out,
 * leakage, leavers) must be the one the benchmark relies on.
 */

const PEOPLE = 60;
const SEED = 7;

interface Generated {
  readonly events: CanonicalEventLike[];
  readonly summary: GeneratedSummary;
}

function generate(people: number, seed: number, nhisPerPerson?: number): Generated {
  const iterator = generateEnterprise({ people, seed, nhisPerPerson });
  const events: CanonicalEventLike[] = [];
  for (let step = iterator.next(); ; step = iterator.next()) {
    if (step.done) return { events, summary: step.value };
    events.push(step.value);
  }
}

let main: { generated: Generated; world: World } | undefined;

/** The enterprise most tests look at, generated and replayed once. */
function mainEnterprise(): { generated: Generated; world: World } {
  if (!main) {
    const generated = generate(PEOPLE, SEED);
    main = { generated, world: replay(generated.events) };
  }
  return main;
}

function ndjson(events: readonly CanonicalEventLike[]): string {
  return events.map((event) => `${JSON.stringify(event)}\n`).join('');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** PRODUCT.md's events table: the fields in bold. */
const REQUIRED: Readonly<Record<GeneratedEventType, readonly string[]>> = {
  'hr.person.joined': ['personId', 'email'],
  'hr.person.moved': ['personId'],
  'hr.person.left': ['personId'],
  'vendor.onboarded': ['vendorId', 'name'],
  'vendor.contract.ended': ['vendorId'],
  'iam.nhi.created': ['nhiId', 'kind'],
  'iam.nhi.deleted': ['nhiId'],
  'iam.owner.assigned': ['nhiId', 'ownerId'],
  'iam.credential.created': ['credentialId', 'nhiId', 'kind'],
  'iam.credential.rotated': ['credentialId'],
  'iam.credential.deleted': ['credentialId'],
  'iam.role.defined': ['roleId'],
  'iam.role.granted': ['principalId', 'roleId'],
  'iam.role.revoked': ['principalId', 'roleId'],
  'iam.trust.granted': ['principalId', 'roleId'],
  'iam.trust.revoked': ['principalId', 'roleId'],
  'audit.credential.used': [],
  'ci.pipeline.ran': ['pipelineId'],
  'ci.secret.stored': ['credentialId', 'location'],
  'workload.deployed': ['workloadId'],
};

/** The id each type is about: the event's subject, so a Kafka key keeps its events in order. */
function mainId(event: CanonicalEventLike): string | undefined {
  switch (event.type) {
    case 'hr.person.joined':
    case 'hr.person.moved':
    case 'hr.person.left':
      return event.data.personId;
    case 'vendor.onboarded':
    case 'vendor.contract.ended':
      return event.data.vendorId;
    case 'iam.nhi.created':
    case 'iam.nhi.deleted':
    case 'iam.owner.assigned':
      return event.data.nhiId;
    case 'iam.credential.created':
    case 'iam.credential.rotated':
    case 'iam.credential.deleted':
    case 'ci.secret.stored':
      return event.data.credentialId;
    case 'iam.role.defined':
      return event.data.roleId;
    case 'iam.role.granted':
    case 'iam.role.revoked':
    case 'iam.trust.granted':
    case 'iam.trust.revoked':
      return event.data.principalId;
    case 'audit.credential.used':
      return event.data.credentialId ?? event.data.nhiId;
    case 'ci.pipeline.ran':
      return event.data.pipelineId;
    case 'workload.deployed':
      return event.data.workloadId;
  }
}

interface World {
  readonly violations: string[];
  readonly joined: Set<string>;
  readonly left: Map<string, number>;
  readonly nhis: Map<string, { createdBy?: string; deleted: boolean }>;
  /** Credential id → its state at the end. */
  readonly credentials: Map<string, { nhiId: string; state: 'active' | 'rotated' | 'deleted' }>;
  readonly managers: Set<string>;
}

/**
 * Replays the events in order, keeping what exists, and records every reference to something
 * that does not exist (yet, or any more) at the event's time.
 */
function replay(events: readonly CanonicalEventLike[]): World {
  const violations: string[] = [];
  const joined = new Set<string>();
  const left = new Map<string, number>();
  const vendors = new Map<string, boolean>();
  const nhis = new Map<string, { createdBy?: string; deleted: boolean }>();
  const credentials = new Map<string, { nhiId: string; state: 'active' | 'rotated' | 'deleted' }>();
  const roles = new Set<string>();
  const workloads = new Set<string>();
  const managers = new Set<string>();
  const fail = (event: CanonicalEventLike, what: string): void => {
    violations.push(`${event.id} ${event.type}: ${what}`);
  };
  const activePerson = (id: string | undefined): boolean => id !== undefined && joined.has(id) && !left.has(id);
  const liveNhi = (id: string | undefined): boolean => id !== undefined && nhis.get(id)?.deleted === false;
  const activeCredential = (id: string | undefined): boolean =>
    id !== undefined && credentials.get(id)?.state === 'active';
  const knownCreator = (id: string): boolean => activePerson(id) || liveNhi(id) || workloads.has(id);

  for (const event of events) {
    switch (event.type) {
      case 'hr.person.joined':
        if (event.data.managerId !== undefined && !joined.has(event.data.managerId))
          fail(event, 'manager not joined yet');
        if (event.data.managerId !== undefined) managers.add(event.data.managerId);
        joined.add(event.data.personId);
        break;
      case 'hr.person.moved':
        if (!activePerson(event.data.personId) || !activePerson(event.data.managerId))
          fail(event, 'unknown person or manager');
        break;
      case 'hr.person.left':
        if (!activePerson(event.data.personId)) fail(event, 'leaver not an active person');
        left.set(event.data.personId, Date.parse(event.time));
        break;
      case 'vendor.onboarded':
        if (!activePerson(event.data.sponsorId)) fail(event, 'sponsor not an active person');
        vendors.set(event.data.vendorId, true);
        break;
      case 'vendor.contract.ended':
        if (vendors.get(event.data.vendorId) !== true) fail(event, 'vendor not active');
        vendors.set(event.data.vendorId, false);
        break;
      case 'iam.nhi.created': {
        const { createdBy, ownerId, vendorId, nhiId } = event.data;
        if (nhis.has(nhiId)) fail(event, 'NHI created twice');
        if (createdBy !== undefined && !knownCreator(createdBy)) fail(event, `unknown creator ${createdBy}`);
        if (ownerId !== undefined && !activePerson(ownerId)) fail(event, 'owner not an active person');
        if (vendorId !== undefined && vendors.get(vendorId) !== true) fail(event, 'vendor not active');
        nhis.set(nhiId, { createdBy, deleted: false });
        break;
      }
      case 'iam.nhi.deleted':
        if (!liveNhi(event.data.nhiId)) fail(event, 'NHI not alive');
        nhis.get(event.data.nhiId)!.deleted = true;
        break;
      case 'iam.owner.assigned':
        if (!liveNhi(event.data.nhiId) || !activePerson(event.data.ownerId))
          fail(event, 'NHI not alive or owner not active');
        break;
      case 'iam.credential.created':
        if (!liveNhi(event.data.nhiId)) fail(event, 'credential for an NHI not created before it');
        if (credentials.has(event.data.credentialId)) fail(event, 'credential created twice');
        if (event.data.createdBy !== undefined && !knownCreator(event.data.createdBy)) fail(event, 'unknown creator');
        credentials.set(event.data.credentialId, { nhiId: event.data.nhiId, state: 'active' });
        break;
      case 'iam.credential.rotated': {
        const old = credentials.get(event.data.credentialId);
        const next = event.data.newCredentialId;
        if (!old || old.state !== 'active' || next === undefined || credentials.has(next)) {
          fail(event, 'rotation of an inactive credential, or to a known one');
          break;
        }
        old.state = 'rotated';
        credentials.set(next, { nhiId: old.nhiId, state: 'active' });
        break;
      }
      case 'iam.credential.deleted':
        if (!activeCredential(event.data.credentialId)) fail(event, 'credential not active');
        else credentials.get(event.data.credentialId)!.state = 'deleted';
        break;
      case 'iam.role.defined':
        if (roles.has(event.data.roleId)) fail(event, 'role defined twice');
        roles.add(event.data.roleId);
        break;
      case 'iam.role.granted':
      case 'iam.role.revoked':
      case 'iam.trust.granted':
      case 'iam.trust.revoked':
        if (!roles.has(event.data.roleId)) fail(event, 'role not defined');
        if (!liveNhi(event.data.principalId) && !roles.has(event.data.principalId)) fail(event, 'principal unknown');
        break;
      case 'audit.credential.used': {
        const { credentialId, nhiId, actorId, interactive } = event.data;
        const owner = credentialId !== undefined ? credentials.get(credentialId)?.nhiId : nhiId;
        if (credentialId !== undefined ? !activeCredential(credentialId) : !liveNhi(nhiId))
          fail(event, 'used while not alive');
        if (interactive === true ? !activePerson(actorId) : actorId !== owner)
          fail(event, `unexpected actor ${actorId}`);
        if (!event.data.resourceId?.startsWith('resource:')) fail(event, 'no resource');
        break;
      }
      case 'ci.pipeline.ran': {
        const { pipelineId, triggeredBy, secretsUsed = [], assumedRoles = [], deployedTo = [] } = event.data;
        if (!workloads.has(pipelineId)) fail(event, 'pipeline not registered');
        if (triggeredBy !== undefined && !activePerson(triggeredBy)) fail(event, 'trigger not an active person');
        for (const id of secretsUsed) if (!activeCredential(id)) fail(event, `secret ${id} not active`);
        for (const id of assumedRoles) if (!roles.has(id)) fail(event, `role ${id} not defined`);
        for (const id of deployedTo) if (!workloads.has(id)) fail(event, `workload ${id} unknown`);
        break;
      }
      case 'ci.secret.stored':
        if (!activeCredential(event.data.credentialId)) fail(event, 'credential not active');
        break;
      case 'workload.deployed':
        if (event.data.runsAs !== undefined && !liveNhi(event.data.runsAs)) fail(event, 'runs as an NHI not alive');
        if (event.data.ownerId !== undefined && !activePerson(event.data.ownerId)) fail(event, 'owner not active');
        workloads.add(event.data.workloadId);
        break;
    }
  }
  return { violations, joined, left, nhis, credentials, managers };
}

function ofType<K extends GeneratedEventType>(
  events: readonly CanonicalEventLike[],
  type: K,
): Extract<CanonicalEventLike, { type: K }>[] {
  return events.filter((event): event is Extract<CanonicalEventLike, { type: K }> => event.type === type);
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

describe('generateEnterprise', () => {
  let events: CanonicalEventLike[];
  let summary: GeneratedSummary;
  let world: World;

  beforeAll(() => {
    ({
      generated: { events, summary },
      world,
    } = mainEnterprise());
  });

  it('is deterministic: the same seed gives byte-identical output, another seed another enterprise', () => {
    const again = generate(PEOPLE, SEED);
    expect(sha256(ndjson(again.events))).toBe(sha256(ndjson(events)));
    expect(again.summary).toEqual(summary);

    // Event ids carry the seed, so compare without them: the content itself must differ.
    const withoutIds = (list: readonly CanonicalEventLike[]): string =>
      list.map(({ id: _id, ...rest }) => JSON.stringify(rest)).join('\n');
    expect(withoutIds(generate(20, SEED + 1).events)).not.toBe(withoutIds(generate(20, SEED).events));
  });

  it('emits valid canonical events: every one passes @lineage/events validation', () => {
    const rejected = events
      .map((event) => ({ event, result: validateCanonical(JSON.parse(JSON.stringify(event)) as unknown) }))
      .filter(({ result }) => !result.ok)
      .map(({ event, result }) => `${event.id}: ${result.ok ? '' : result.reason}`);
    expect(rejected).toEqual([]);
  });

  it('fills the required fields of every type (PRODUCT.md) and uses all twenty types', () => {
    const missing: string[] = [];
    for (const event of events) {
      if (event.specversion !== '1.0') missing.push(`${event.id}: specversion`);
      const data = event.data as unknown as Record<string, unknown>;
      for (const field of REQUIRED[event.type]) {
        if (data[field] === undefined || data[field] === '') missing.push(`${event.id}: data.${field}`);
      }
      if (event.type === 'audit.credential.used' && data['credentialId'] === undefined && data['nhiId'] === undefined) {
        missing.push(`${event.id}: data.credentialId or data.nhiId`);
      }
      if (event.type === 'iam.role.defined') {
        for (const grant of event.data.grants ?? [])
          if (!grant.resourceId || !grant.level) missing.push(`${event.id}: grant`);
      }
      if (event.type === 'ci.secret.stored' && (!event.data.location.kind || !event.data.location.id))
        missing.push(`${event.id}: location`);
    }
    expect(missing).toEqual([]);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(GENERATED_EVENT_TYPES));
  });

  it('gives every event a unique id, a namespaced subject (the main id) and a source', () => {
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    const prefixes = ['person:e', 'vendor:', 'nhi:', 'cred:', 'role:', 'workload:'];
    const wrong = events.filter(
      (event) =>
        event.subject !== mainId(event) ||
        !prefixes.some((prefix) => event.subject.startsWith(prefix)) ||
        !/^[a-z0-9]+\.[a-z0-9]+$/.test(event.source),
    );
    expect(wrong).toEqual([]);
    const sources = new Set(events.map((event) => event.source));
    for (const source of ['hr.workday', 'iam.aws', 'iam.github', 'audit.aws', 'secrets.vault'])
      expect(sources).toContain(source);
    expect([...sources].some((source) => source === 'ci.github' || source === 'ci.gitlab')).toBe(true);
  });

  it('orders events by time, over about two years ending at a fixed date', () => {
    const times = events.map((event) => Date.parse(event.time));
    const backwards = times.filter((time, i) => i > 0 && time < times[i - 1]!);
    expect(backwards).toEqual([]);
    expect(times[0]!).toBeGreaterThanOrEqual(Date.parse(summary.from));
    expect(times[times.length - 1]!).toBeLessThanOrEqual(Date.parse(summary.to));
    expect(Date.parse(summary.to) - Date.parse(summary.from)).toBe(730 * DAY_MS);
  });

  it('refers only to what earlier events introduced: every credential after its NHI, every actor alive', () => {
    expect(world.violations).toEqual([]);
    // The replay did look at references: credentials and NHIs were tracked.
    expect(world.credentials.size).toBeGreaterThan(summary.nhis);
  });

  it('creates 45 NHIs per person by default, or as asked', () => {
    expect(ofType(events, 'iam.nhi.created')).toHaveLength(PEOPLE * 45);
    expect(summary.nhis).toBe(PEOPLE * 45);
    expect(summary.nhisPerPerson).toBe(45);
    expect(generate(20, SEED, 5).summary.nhis).toBe(100);
  });

  it('counts what it emitted in the summary', () => {
    expect(summary.events).toBe(events.length);
    for (const type of GENERATED_EVENT_TYPES) expect(summary.eventsByType[type]).toBe(ofType(events, type).length);
    expect(summary.credentials).toBe(ofType(events, 'iam.credential.created').length);
    expect(summary.rotations).toBe(ofType(events, 'iam.credential.rotated').length);
    expect(describeEnterprise({ people: PEOPLE, seed: SEED })).toEqual(
      expect.objectContaining({ leavers: summary.leavers, people: PEOPLE, endedVendors: summary.endedVendors }),
    );
  });

  it('builds a management tree, managers first, with about 15% contractors', () => {
    const joins = ofType(events, 'hr.person.joined');
    expect(joins).toHaveLength(PEOPLE);
    expect(joins.filter((join) => join.data.managerId === undefined)).toHaveLength(1);
    expect(new Set(joins.map((join) => join.data.department)).size).toBeGreaterThanOrEqual(5);
    const large = describeEnterprise({ people: 5000, seed: SEED });
    expect(share(large.contractors, large.people)).toBeGreaterThan(0.1);
    expect(share(large.contractors, large.people)).toBeLessThan(0.16);
  });

  it('has realistic NHI kinds, platforms and environments', () => {
    const created = ofType(events, 'iam.nhi.created');
    const count = (pick: (e: (typeof created)[number]) => string | undefined): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const event of created) counts.set(pick(event) ?? '-', (counts.get(pick(event) ?? '-') ?? 0) + 1);
      return counts;
    };
    const kinds = count((event) => event.data.kind);
    expect([...kinds.keys()].sort()).toEqual([
      'ai_agent',
      'bot',
      'github_app',
      'machine_user',
      'oauth_app',
      'service_account',
      'workload_identity',
    ]);
    // Mostly service accounts and workload identities.
    expect(
      share((kinds.get('service_account') ?? 0) + (kinds.get('workload_identity') ?? 0), created.length),
    ).toBeGreaterThan(0.5);
    expect(kinds.get('service_account')!).toBeGreaterThan(kinds.get('ai_agent')!);
    expect([...count((event) => event.data.platform).keys()].sort()).toEqual([
      'aws',
      'azure',
      'gcp',
      'github',
      'gitlab',
      'k8s',
      'okta',
    ]);
    expect([...count((event) => event.data.environment).keys()].sort()).toEqual(['dev', 'prod', 'staging']);
  });

  it('mixes ownership: declared owners, person, NHI and pipeline creators, workloads, vendors, and nothing', () => {
    const created = ofType(events, 'iam.nhi.created');
    const runsAs = new Set(ofType(events, 'workload.deployed').map((event) => event.data.runsAs));
    const by = (prefix: string): number => created.filter((event) => event.data.createdBy?.startsWith(prefix)).length;
    const owned = created.filter((event) => event.data.ownerId !== undefined).length;
    const vendored = created.filter((event) => event.data.vendorId !== undefined).length;
    const workloadRun = created.filter((event) => runsAs.has(event.data.nhiId)).length;
    const nothing = created.filter(
      (event) => !event.data.ownerId && !event.data.createdBy && !event.data.vendorId && !runsAs.has(event.data.nhiId),
    ).length;
    for (const part of [owned, by('person:'), by('nhi:'), by('workload:ci:'), workloadRun, vendored, nothing]) {
      expect(share(part, created.length)).toBeGreaterThan(0.02);
    }
    // Many NHIs have only a creator, no declared owner.
    expect(share(owned, created.length)).toBeLessThan(0.5);
  });

  it('has chains of NHIs created by NHIs, at most three NHI hops deep', () => {
    const depth = (id: string, seen = 0): number => {
      const creator = world.nhis.get(id)?.createdBy;
      return creator?.startsWith('nhi:') && seen < 10 ? 1 + depth(creator, seen + 1) : 0;
    };
    const depths = [...world.nhis.keys()].map((id) => depth(id));
    expect(Math.max(...depths)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...depths)).toBeLessThanOrEqual(3);
  });

  it('issues 1–3 credentials per NHI, with fingerprints, expiries, rotations, rotation debt and deletions', () => {
    const created = ofType(events, 'iam.credential.created');
    const perNhi = new Map<string, number>();
    for (const event of created) perNhi.set(event.data.nhiId, (perNhi.get(event.data.nhiId) ?? 0) + 1);
    expect(perNhi.size).toBe(summary.nhis);
    expect(Math.min(...perNhi.values())).toBe(1);
    expect(Math.max(...perNhi.values())).toBe(3);
    expect(created.filter((event) => !/^sha256:[0-9a-f]{64}$/.test(event.data.fingerprint ?? ''))).toEqual([]);
    expect(new Set(created.map((event) => event.data.fingerprint)).size).toBe(created.length);

    const expiring = share(created.filter((event) => event.data.expiresAt !== undefined).length, created.length);
    expect(expiring).toBeGreaterThan(0.15);
    expect(expiring).toBeLessThan(0.7);
    const rotatedOnce = new Set(ofType(events, 'iam.credential.rotated').map((event) => event.data.credentialId));
    const baseRotated = created.filter((event) => rotatedOnce.has(event.data.credentialId)).length;
    expect(share(baseRotated, created.length)).toBeGreaterThan(0.1);
    // Rotation debt: most credentials are never rotated.
    expect(share(baseRotated, created.length)).toBeLessThan(0.5);
    expect(ofType(events, 'iam.credential.deleted').length).toBeGreaterThan(0);
  });

  it('keeps most secrets in vaults but leaks some to repo files, CI variables and env files', () => {
    const kinds = ofType(events, 'ci.secret.stored').map((event) => event.data.location.kind);
    const vaults = ['vault', 'secrets_manager', 'key_vault', 'secret_manager', 'k8s_secret'];
    for (const kind of ['repo_file', 'ci_variable', 'env_file']) expect(kinds).toContain(kind);
    expect(share(kinds.filter((kind) => vaults.includes(kind)).length, kinds.length)).toBeGreaterThan(0.6);
    expect(ofType(events, 'ci.secret.stored').filter((event) => !event.data.location.id.startsWith('store:'))).toEqual(
      [],
    );
  });

  it('gives roles skewed fan-out (a few admin roles reach hundreds) and chains of roles assuming roles', () => {
    const grantCounts = ofType(events, 'iam.role.defined')
      .map((event) => event.data.grants?.length ?? 0)
      .sort((a, b) => a - b);
    const median = grantCounts[Math.floor(grantCounts.length / 2)]!;
    expect(median).toBeLessThanOrEqual(5);
    expect(grantCounts[grantCounts.length - 1]!).toBeGreaterThanOrEqual(20 * median);

    const assumes = new Map<string, string[]>();
    for (const event of ofType(events, 'iam.trust.granted')) {
      if (!event.data.principalId.startsWith('role:')) continue;
      assumes.set(event.data.principalId, [...(assumes.get(event.data.principalId) ?? []), event.data.roleId]);
    }
    const chained = [...assumes.entries()].filter(([, targets]) => targets.some((target) => assumes.has(target)));
    expect(chained.length).toBeGreaterThan(0);
    expect(ofType(events, 'iam.trust.granted').some((event) => event.data.principalId.startsWith('nhi:'))).toBe(true);
  });

  it('runs pipelines that read secrets, assume roles and deploy workloads, some sharing a credential', () => {
    const runs = ofType(events, 'ci.pipeline.ran');
    expect(runs.some((run) => (run.data.secretsUsed?.length ?? 0) > 0)).toBe(true);
    expect(runs.some((run) => (run.data.assumedRoles?.length ?? 0) > 0)).toBe(true);
    expect(runs.some((run) => (run.data.deployedTo?.length ?? 0) > 0)).toBe(true);
    const readers = new Map<string, Set<string>>();
    for (const run of runs) {
      for (const secret of run.data.secretsUsed ?? [])
        readers.set(secret, (readers.get(secret) ?? new Set()).add(run.data.pipelineId));
    }
    expect([...readers.values()].some((pipelines) => pipelines.size > 1)).toBe(true);
  });

  it('records usage, a few uses interactive by a person', () => {
    const uses = ofType(events, 'audit.credential.used');
    expect(uses.length).toBeGreaterThan(0);
    const interactive = uses.filter((use) => use.data.interactive === true);
    expect(interactive.length).toBeGreaterThan(0);
    expect(share(interactive.length, uses.length)).toBeLessThan(0.15);
    for (const use of interactive) expect(use.data.actorId).toMatch(/^person:/);
  });

  it('makes about 3% of people leave late in the history, some of them managers', () => {
    const leaves = ofType(events, 'hr.person.left');
    expect(leaves.map((event) => event.data.personId).sort()).toEqual([...summary.leavers].sort());
    expect(summary.leavers).toHaveLength(Math.round(PEOPLE * 0.03));
    for (const id of summary.leavers) expect(world.joined.has(id)).toBe(true);
    expect(summary.leavers.some((id) => world.managers.has(id))).toBe(true);
    const lateFrom = Date.parse(summary.to) - 60 * DAY_MS;
    for (const event of leaves) expect(Date.parse(event.time)).toBeGreaterThanOrEqual(lateFrom);
    const large = describeEnterprise({ people: 10_000 });
    expect(large.leavers).toHaveLength(300);
    expect(ofType(events, 'vendor.contract.ended').map((event) => event.data.vendorId)).toEqual(summary.endedVendors);
  });

  it('rejects bad options with an error naming the option', () => {
    expect(() => generateEnterprise({ people: 1 })).toThrow(/^people: /);
    expect(() => generateEnterprise({ people: 2.5 })).toThrow(/^people: /);
    expect(() => generateEnterprise({ people: 10, seed: -1 })).toThrow(/^seed: /);
    expect(() => generateEnterprise({ people: 10, nhisPerPerson: 0 })).toThrow(/^nhisPerPerson: /);
    expect(() => sampleTargets({ people: 10 }, 0)).toThrow(/^count: /);
  });
});

describe('sampleTargets', () => {
  it('draws the same targets for a seed, all of which exist at the end of the history', () => {
    const {
      generated: { summary },
      world,
    } = mainEnterprise();
    const targets = sampleTargets({ people: PEOPLE, seed: SEED }, 50);

    expect(sampleTargets({ people: PEOPLE, seed: SEED }, 50)).toEqual(targets);
    expect(targets.nhiIds).toHaveLength(50);
    expect(new Set(targets.nhiIds).size).toBe(50);
    for (const id of targets.nhiIds) expect(world.nhis.get(id)?.deleted).toBe(false);
    expect(targets.credentialIds.length).toBeGreaterThan(40);
    for (const id of targets.credentialIds) expect(world.credentials.get(id)?.state).toBe('active');
    expect([...targets.leaverIds].sort()).toEqual([...summary.leavers].sort());
    expect(targets.personIds).toHaveLength(50);
    for (const id of targets.personIds) expect(world.joined.has(id)).toBe(true);

    const fewer = sampleTargets({ people: PEOPLE, seed: SEED }, 1);
    expect(fewer.leaverIds).toHaveLength(1);
    expect(sampleTargets({ people: PEOPLE, seed: SEED + 1 }, 50).nhiIds).not.toEqual(targets.nhiIds);
  });

  it('draws another sample of the same enterprise for another draw', () => {
    const { world } = mainEnterprise();
    const first = sampleTargets({ people: PEOPLE, seed: SEED }, 50);
    const second = sampleTargets({ people: PEOPLE, seed: SEED }, 50, 1);
    expect(second.nhiIds).not.toEqual(first.nhiIds);
    expect(second.credentialIds).not.toEqual(first.credentialIds);
    for (const id of second.nhiIds) expect(world.nhis.get(id)?.deleted).toBe(false);
    for (const id of second.credentialIds) expect(world.credentials.get(id)?.state).toBe('active');
  });
});
