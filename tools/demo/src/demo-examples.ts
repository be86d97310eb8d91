import type { EpochMs, GraphReader } from '@lineage/domain';
import type { CanonicalEventLike } from '../../bench/src/generator';

/**
 * The demo's three example queries, chosen from the loaded data by asking the store: a leaver
 * with the most orphaned NHIs, an NHI whose lineage runs through a creator chain (an NHI or a
 * pipeline that created it), and a credential whose blast radius reaches admin access through
 * an assumed role. The generated events only nominate candidates; the store's answers decide.
 */

/** How many candidates of each kind are asked about, at most: the demo must start quickly. */
export const MAX_CANDIDATES = 400;

/** Ids worth asking about, collected while the events stream by. */
export class DemoCandidates {
  readonly leavers: string[] = [];
  /** NHIs created by another NHI or a workload: their lineage is a chain. */
  readonly chainedNhis: string[] = [];
  /** Principals given a role or a trust, in the order they were first given one. */
  private readonly principals = new Set<string>();
  private readonly credentialsByNhi = new Map<string, string[]>();
  /** Rotations: a credential's successor. */
  private readonly successors = new Map<string, string>();
  private readonly deleted = new Set<string>();

  observe(event: CanonicalEventLike): void {
    if (event.type === 'hr.person.left') {
      this.leavers.push(event.data.personId);
    } else if (event.type === 'iam.nhi.created') {
      const creator = event.data.createdBy;
      if (creator && !creator.startsWith('person:') && this.chainedNhis.length < MAX_CANDIDATES)
        this.chainedNhis.push(event.data.nhiId);
    } else if (event.type === 'iam.credential.created') {
      const list = this.credentialsByNhi.get(event.data.nhiId) ?? [];
      list.push(event.data.credentialId);
      this.credentialsByNhi.set(event.data.nhiId, list);
    } else if (event.type === 'iam.credential.rotated') {
      if (event.data.newCredentialId) this.successors.set(event.data.credentialId, event.data.newCredentialId);
    } else if (event.type === 'iam.credential.deleted') {
      this.deleted.add(event.data.credentialId);
    } else if (event.type === 'iam.role.granted' || event.type === 'iam.trust.granted') {
      this.principals.add(event.data.principalId);
    }
  }

  /** The current version of one live credential for each of the first principals that have one. */
  privilegedCredentials(): string[] {
    const credentials: string[] = [];
    for (const principal of this.principals) {
      const current = (this.credentialsByNhi.get(principal) ?? [])
        .map((id) => this.currentVersion(id))
        .find((id) => !this.deleted.has(id));
      if (current) credentials.push(current);
      if (credentials.length >= MAX_CANDIDATES) break;
    }
    return credentials;
  }

  private currentVersion(id: string): string {
    let current = id;
    for (let hops = 0; hops < 64 && this.successors.has(current); hops++) current = this.successors.get(current)!;
    return current;
  }
}

export interface LeaverExample {
  readonly personId: string;
  readonly orphaned: number;
}

export interface LineageExample {
  readonly nhiId: string;
  readonly accountableId: string | null;
  readonly chain: readonly string[];
}

export interface BlastExample {
  readonly credentialId: string;
  readonly adminResources: number;
  readonly resources: number;
  /** The path of one admin grant: credential, NHI, roles…, resource. */
  readonly adminPath: readonly string[];
}

export interface DemoExamples {
  readonly leaver: LeaverExample | null;
  readonly lineage: LineageExample | null;
  readonly blast: BlastExample | null;
}

export async function pickDemoExamples(
  store: GraphReader,
  candidates: DemoCandidates,
  asOf: EpochMs,
): Promise<DemoExamples> {
  return {
    leaver: await pickLeaver(store, candidates.leavers, asOf),
    lineage: await pickLineage(store, candidates.chainedNhis, asOf),
    blast: await pickBlast(store, candidates.privilegedCredentials(), asOf),
  };
}

/** The leaver who left the most NHIs without an accountable human. */
async function pickLeaver(
  store: GraphReader,
  leavers: readonly string[],
  asOf: EpochMs,
): Promise<LeaverExample | null> {
  let best: LeaverExample | null = null;
  for (const personId of leavers.slice(0, MAX_CANDIDATES)) {
    const orphaned = (await store.orphanedBy(personId, asOf)).length;
    if (orphaned > 0 && (!best || orphaned > best.orphaned)) best = { personId, orphaned };
  }
  return best;
}

/** An accountable NHI with the longest chain that passes through a non-human creator. */
async function pickLineage(
  store: GraphReader,
  nhiIds: readonly string[],
  asOf: EpochMs,
): Promise<LineageExample | null> {
  let best: LineageExample | null = null;
  for (const nhiId of nhiIds) {
    const lineage = await store.lineage(nhiId, asOf);
    if (!lineage || lineage.status !== 'ACCOUNTABLE') continue;
    const throughCreator = lineage.chain.some((step) => step.relation === 'CREATED' && step.from.kind !== 'Person');
    if (!throughCreator) continue;
    const chain = [lineage.chain[0]!.from.id, ...lineage.chain.map((step) => step.to.id)];
    if (!best || chain.length > best.chain.length)
      best = { nhiId, accountableId: lineage.accountable?.id ?? null, chain };
  }
  return best;
}

/**
 * The credential that reaches the most admin-level resources through a role it can assume (an
 * escalation path: credential, NHI, at least two roles, resource), then the most admin-level
 * resources at all.
 */
async function pickBlast(
  store: GraphReader,
  credentialIds: readonly string[],
  asOf: EpochMs,
): Promise<BlastExample | null> {
  let best: { example: BlastExample; assumedAdmin: number } | null = null;
  for (const credentialId of credentialIds) {
    const radius = await store.blastRadius({ rootId: credentialId, maxDepth: 4, asOf });
    const admin = radius?.resources.filter((reached) => reached.level === 'admin') ?? [];
    if (admin.length === 0) continue;
    const assumed = admin.filter((reached) => reached.path.length >= 5);
    const candidate = {
      example: {
        credentialId,
        adminResources: admin.length,
        resources: radius!.resources.length,
        adminPath: (assumed[0] ?? admin[0]!).path,
      },
      assumedAdmin: assumed.length,
    };
    const better =
      !best ||
      candidate.assumedAdmin > best.assumedAdmin ||
      (candidate.assumedAdmin === best.assumedAdmin && candidate.example.adminResources > best.example.adminResources);
    if (better) best = candidate;
  }
  return best?.example ?? null;
}
