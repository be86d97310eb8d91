import { DEFAULT_BLAST_DEPTH } from '../blast/blast-radius';
import { DEFAULT_FINDINGS_POLICY } from '../findings/finding';
import type { Lineage } from '../lineage/accountability';
import { findOrphanedBy, isPersonActive, personLeftBy, resolveLineage } from '../lineage/accountability';
import { LineageGraph } from '../lineage/lineage-graph';
import type { EpochMs, GraphNode, GraphRelationship } from '../model/graph-types';
import { compareIds, isCredentialLive, isValidAt } from '../model/graph-types';
import type {
  OffboardingAction,
  OffboardingActionKind,
  OffboardingContext,
  OffboardingPlan,
  OffboardingPolicy,
  OffboardingTrigger,
} from './offboarding-plan';

/**
 * The offboarding rules (docs/offboarding.md). Given what the store fetched around a leaver (or
 * an ended vendor) and the trigger, build the plan, evaluated as of the leaving time T:
 *
 * - REASSIGN an NHI the leaver leaves without an accountable human (`findOrphanedBy`) to a
 *   suggested owner: the leaver's manager, else the manager's manager (a manager who has left
 *   is skipped: escalate), else the active owner of a workload that runs as it. For a vendor's
 *   NHI: the vendor's sponsor, else an active declared owner, else a workload owner.
 * - DISABLE such an NHI when no one can take it over and nothing used it within the usage window.
 *   (Used but with no one to take it over: REASSIGN with no suggested owner.)
 * - ROTATE the live credentials the leaver created, and those kept in a secret store the leaver
 *   could read just before leaving (a role the leaver held — or a role it can assume — GRANTS the
 *   store's id, or `<prefix>/*` above it). For an ended vendor: the credentials of its NHIs.
 * - REVOKE the leaver's own `pat` credentials that workloads use; for an ended vendor, the
 *   credentials of an NHI that is to be disabled.
 *
 * One action per target (REVOKE wins over ROTATE); each carries its reason in words and the ids
 * of the events that are its evidence, the trigger first. Actions come in a fixed order.
 */

/** How far up the manager chain a suggested owner is looked for: the manager, then theirs. */
export const MAX_MANAGER_ESCALATION = 2;
/** Role hops followed from the leaver (HAS_ROLE, then CAN_ASSUME between roles) to find readable stores. */
export const OFFBOARDING_ROLE_DEPTH = DEFAULT_BLAST_DEPTH;

export const DEFAULT_OFFBOARDING_POLICY: OffboardingPolicy = {
  usageWindowDays: DEFAULT_FINDINGS_POLICY.usageWindowDays,
};

const DAY_MS = 86_400_000;

/**
 * Plan order (NHIs first, then credentials), which is also the strength order when two rules
 * pick different actions for one target: the later one wins (REVOKE over ROTATE).
 */
const PLAN_ORDER: Readonly<Record<OffboardingActionKind, number>> = { REASSIGN: 0, DISABLE: 1, ROTATE: 2, REVOKE: 3 };

/**
 * A grant on `grantedId` lets its holder read the store `storeId`: the same id, or `<prefix>/*`
 * with the store's id under `<prefix>/` (path-scoped policies, as in Vault).
 */
export function grantCoversStore(grantedId: string, storeId: string): boolean {
  if (grantedId === storeId) return true;
  return grantedId.endsWith('/*') && storeId.startsWith(grantedId.slice(0, -1));
}

/** Build the plan for a trigger. A null context (the subject is unknown to the graph) gives a plan with no actions. */
export function planOffboarding(
  context: OffboardingContext | null,
  trigger: OffboardingTrigger,
  createdAt: EpochMs,
  policy: OffboardingPolicy = DEFAULT_OFFBOARDING_POLICY,
): OffboardingPlan {
  return {
    subjectId: trigger.subjectId,
    subjectKind: trigger.subjectKind,
    triggeredBy: trigger.eventId,
    triggerSource: trigger.eventSource,
    triggerType: trigger.eventType,
    effectiveAt: trigger.effectiveAt,
    createdAt,
    actions: context ? new OffboardingPlanner(context, trigger, policy).plan() : [],
    supersededAt: null,
  };
}

/** Who should take an NHI over, which rule chose them, and the evidence for it. */
interface Successor {
  readonly person: GraphNode;
  readonly rule: string;
  readonly evidence: readonly string[];
}

interface SuccessorSearch {
  readonly successor: Successor | null;
  /** Why earlier candidates were passed over (a manager who left, an inactive sponsor). */
  readonly skipped: readonly string[];
}

interface RecentUse {
  readonly used: boolean;
  readonly signs: readonly string[];
  readonly evidence: readonly string[];
}

class OffboardingPlanner {
  private readonly graph: LineageGraph;
  private readonly subject: GraphNode;
  /** The leaving time. */
  private readonly at: EpochMs;
  /** Just before it: what the leaver held and could read. */
  private readonly before: EpochMs;
  private readonly usedSince: EpochMs;
  private readonly actions: ActionSet;

  constructor(
    private readonly context: OffboardingContext,
    private readonly trigger: OffboardingTrigger,
    private readonly policy: OffboardingPolicy,
  ) {
    this.at = trigger.effectiveAt;
    this.before = trigger.effectiveAt - 1;
    this.usedSince = trigger.effectiveAt - policy.usageWindowDays * DAY_MS;
    // The node holds the latest state, which may be a later rejoin: as of this plan, the subject has left.
    this.subject = leftAt(context.subject, trigger);
    const nodes = context.nodes.filter((node) => node.id !== this.subject.id);
    this.graph = new LineageGraph([...nodes, this.subject], context.relationships);
    this.actions = new ActionSet(trigger.eventId);
  }

  plan(): OffboardingAction[] {
    if (this.trigger.subjectKind === 'Person') {
      for (const lineage of findOrphanedBy(this.graph, this.subject.id, this.context.candidateNhiIds, this.at)) {
        if (!isValidAt(lineage.root, this.at)) continue;
        const why = `${this.subject.id} was the accountable human for it and no active person is now (${lineage.reason})`;
        this.planNhi(lineage, why, this.managerSuccessor(lineage.root));
      }
      this.planCreatedCredentials();
      this.planReadableStores();
    } else {
      this.planVendorNhis();
    }
    return this.actions.list();
  }

  // ---- NHIs ----

  /** REASSIGN or DISABLE one NHI left without an accountable human; returns which. */
  private planNhi(lineage: Lineage, why: string, search: SuccessorSearch): OffboardingActionKind {
    const nhi = lineage.root;
    const use = this.recentUse(nhi.id);
    const useText = use.used
      ? `still in use: ${use.signs.join(', ')}`
      : `not used in the last ${this.policy.usageWindowDays} days`;
    const skipped = search.skipped.length > 0 ? ` (${search.skipped.join('; ')})` : '';
    const evidence = [...lineage.chain.flatMap((step) => step.evidence), ...use.evidence];
    const { successor } = search;
    if (successor) {
      this.actions.add(
        nhi.id,
        'REASSIGN',
        `${why}; ${useText}; suggested owner ${successor.person.id}: ${successor.rule}${skipped}`,
        [...evidence, ...successor.evidence],
        successor.person.id,
      );
      return 'REASSIGN';
    }
    const nobody = `no active manager, sponsor or workload owner can take it over${skipped}`;
    if (use.used) {
      this.actions.add(nhi.id, 'REASSIGN', `${why}; ${useText}; ${nobody}: choose an owner`, evidence, null);
      return 'REASSIGN';
    }
    this.actions.add(nhi.id, 'DISABLE', `${why}; ${useText}; ${nobody}`, evidence, null);
    return 'DISABLE';
  }

  /** The leaver's manager, else the manager's manager (skipping managers who left), else a workload owner. */
  private managerSuccessor(nhi: GraphNode): SuccessorSearch {
    const skipped: string[] = [];
    const evidence: string[] = [];
    let report = this.subject;
    for (let level = 1; level <= MAX_MANAGER_ESCALATION; level++) {
      const link = this.managerOf(report);
      if (!link) break;
      evidence.push(...link.rel.evidence);
      const title =
        level === 1
          ? `the manager of ${this.subject.id}`
          : `the manager of ${report.id}, who managed ${this.subject.id}`;
      if (isPersonActive(link.manager, this.at)) {
        return {
          successor: { person: link.manager, rule: level === 1 ? title : `${title} (escalated)`, evidence },
          skipped,
        };
      }
      skipped.push(`${link.manager.id}, ${title}, ${departure(link.manager, this.at)}`);
      report = link.manager;
    }
    if (skipped.length === 0) skipped.push(`${this.subject.id} has no manager on record`);
    return { successor: this.workloadOwner(nhi), skipped };
  }

  /**
   * A person's manager, as of when they last were one: the leaving time for someone still there,
   * just before leaving for someone who left (HR may close the relationship when they go).
   */
  private managerOf(person: GraphNode): { manager: GraphNode; rel: GraphRelationship } | null {
    const leftAt = personLeftBy(person, this.at);
    const asOf = leftAt === null ? this.at : leftAt - 1;
    const rel = this.graph
      .into(person.id, 'MANAGES', asOf)
      .filter((r) => r.from !== person.id)
      .at(-1);
    const manager = rel ? this.graph.node(rel.from) : undefined;
    return rel && manager?.kind === 'Person' ? { manager, rel } : null;
  }

  /** The active owner (not the leaver) of a workload that runs as the NHI. */
  private workloadOwner(nhi: GraphNode): Successor | null {
    for (const runsAs of this.graph.into(nhi.id, 'RUNS_AS', this.at)) {
      const workload = this.graph.node(runsAs.from);
      if (!workload || !isValidAt(workload, this.at)) continue;
      for (const owns of this.graph.into(workload.id, 'OWNS', this.at)) {
        const owner = this.graph.node(owns.from);
        if (owner && owner.id !== this.subject.id && isPersonActive(owner, this.at)) {
          return {
            person: owner,
            rule: `the owner of workload ${workload.id}, which runs as ${nhi.id}`,
            evidence: [...owns.evidence, ...runsAs.evidence],
          };
        }
      }
    }
    return null;
  }

  /** Does the NHI still do work: used within the window (itself or a credential), or a workload runs as it or uses its credential. */
  private recentUse(nhiId: string): RecentUse {
    const signs: string[] = [];
    const evidence: string[] = [];
    const nhi = this.graph.node(nhiId);
    const credentials = this.liveCredentials(nhiId);
    const lastUsed = Math.max(...[nhi, ...credentials].map((node) => numberAttribute(node, 'lastUsedAt') ?? -Infinity));
    if (lastUsed >= this.usedSince) signs.push(`last used ${iso(lastUsed)}`);
    for (const runsAs of this.graph.into(nhiId, 'RUNS_AS', this.at)) {
      if (!this.isLiveNode(runsAs.from)) continue;
      signs.push(`workload ${runsAs.from} runs as it`);
      evidence.push(...runsAs.evidence);
    }
    for (const credential of credentials) {
      for (const uses of this.users(credential.id)) {
        signs.push(`workload ${uses.from} uses its credential ${credential.id}`);
        evidence.push(...uses.evidence);
      }
    }
    return { used: signs.length > 0, signs, evidence };
  }

  // ---- credentials ----

  /** ROTATE what the leaver created; REVOKE instead the leaver's personal tokens that workloads use. */
  private planCreatedCredentials(): void {
    for (const created of this.graph.outOf(this.subject.id, 'CREATED', this.before)) {
      const credential = this.graph.node(created.to);
      if (!credential || credential.kind !== 'Credential' || !isCredentialLive(credential, this.at)) continue;
      const users = this.users(credential.id);
      if (credential.attributes['credentialKind'] === 'pat' && users.length > 0) {
        const names = users.map((uses) => uses.from).join(', ');
        this.actions.add(
          credential.id,
          'REVOKE',
          `personal access token of ${this.subject.id}, used by ${names}: revoke it and give ${users.length === 1 ? 'that workload' : 'those workloads'} a credential of their own`,
          [...created.evidence, ...users.flatMap((uses) => uses.evidence)],
          null,
        );
        continue;
      }
      this.actions.add(
        credential.id,
        'ROTATE',
        `created by ${this.subject.id}, who may know its secret`,
        created.evidence,
        null,
      );
    }
  }

  /** ROTATE the live credentials kept in a secret store the leaver could read just before leaving. */
  private planReadableStores(): void {
    // In id order, not in the order the store listed the nodes: it decides which reason comes first.
    const stores = [...this.graph.allNodes()]
      .filter((node) => node.kind === 'SecretStore' && isValidAt(node, this.before))
      .sort((a, b) => compareIds(a.id, b.id));
    if (stores.length === 0) return;
    for (const reach of this.reachableRoles()) {
      for (const grant of this.graph.outOf(reach.roleId, 'GRANTS', this.before)) {
        for (const store of stores) {
          if (!grantCoversStore(grant.to, store.id)) continue;
          const level = typeof grant.attributes['level'] === 'string' ? `${grant.attributes['level']} ` : '';
          const through = reach.path.length > 1 ? `role ${reach.path.join(' → ')}` : `role ${reach.roleId}`;
          for (const stored of this.graph.into(store.id, 'STORED_IN', this.before)) {
            const credential = this.graph.node(stored.from);
            if (!credential || credential.kind !== 'Credential' || !isCredentialLive(credential, this.at)) continue;
            this.actions.add(
              credential.id,
              'ROTATE',
              `kept in secret store ${store.id}, which ${this.subject.id} could read through ${through} (${level}grant on ${grant.to})`,
              [...reach.evidence, ...grant.evidence, ...stored.evidence],
              null,
            );
          }
        }
      }
    }
  }

  /** Roles the leaver held just before leaving, and the roles those can assume, breadth first (shortest path wins). */
  private reachableRoles(): { roleId: string; path: readonly string[]; evidence: readonly string[] }[] {
    const reached = new Map<string, { roleId: string; path: readonly string[]; evidence: readonly string[] }>();
    let frontier = this.graph
      .outOf(this.subject.id, 'HAS_ROLE', this.before)
      .map((rel) => ({ roleId: rel.to, path: [rel.to], evidence: rel.evidence }));
    for (let depth = 1; depth <= OFFBOARDING_ROLE_DEPTH && frontier.length > 0; depth++) {
      const next: typeof frontier = [];
      for (const reach of frontier) {
        if (reached.has(reach.roleId)) continue;
        reached.set(reach.roleId, reach);
        for (const assume of this.graph.outOf(reach.roleId, 'CAN_ASSUME', this.before)) {
          next.push({
            roleId: assume.to,
            path: [...reach.path, assume.to],
            evidence: [...reach.evidence, ...assume.evidence],
          });
        }
      }
      frontier = next;
    }
    return [...reached.values()];
  }

  // ---- vendors ----

  /**
   * An ended vendor's NHIs (supplied, or created down the line by what it supplied) that no
   * active person answers for any more: REASSIGN to the sponsor (else an active declared owner,
   * else a workload owner) or DISABLE; their credentials, which the vendor held, ROTATE (or REVOKE when the NHI goes).
   */
  private planVendorNhis(): void {
    const vendorId = this.subject.id;
    for (const id of [...new Set(this.context.candidateNhiIds)].sort()) {
      const nhi = this.graph.node(id);
      if (!nhi || nhi.kind !== 'NHI' || !isValidAt(nhi, this.at)) continue;
      const lineage = resolveLineage(this.graph, id, this.at);
      if (!lineage || lineage.status === 'ACCOUNTABLE') continue;
      if (!lineage.chain.some((step) => step.from.id === vendorId || step.to.id === vendorId)) continue;
      const action = this.planNhi(
        lineage,
        `the contract of ${vendorId} ended and no active person answers for it (${lineage.reason})`,
        this.sponsorSuccessor(nhi),
      );
      for (const credential of this.liveCredentials(id)) {
        const authenticates = this.graph.into(id, 'AUTHENTICATES', this.at).filter((rel) => rel.from === credential.id);
        const evidence = authenticates.flatMap((rel) => rel.evidence);
        if (action === 'DISABLE') {
          this.actions.add(
            credential.id,
            'REVOKE',
            `credential of ${id}, an NHI of ${vendorId} that is to be disabled`,
            evidence,
            null,
          );
        } else {
          this.actions.add(
            credential.id,
            'ROTATE',
            `credential of ${id}, held by ${vendorId} whose contract ended`,
            evidence,
            null,
          );
        }
      }
    }
  }

  private sponsorSuccessor(nhi: GraphNode): SuccessorSearch {
    const sponsorship = this.graph.into(this.subject.id, 'SPONSORS', this.before).at(-1);
    const sponsor = sponsorship ? this.graph.node(sponsorship.from) : undefined;
    if (sponsorship && sponsor && isPersonActive(sponsor, this.at)) {
      return {
        successor: { person: sponsor, rule: `the sponsor of ${this.subject.id}`, evidence: sponsorship.evidence },
        skipped: [],
      };
    }
    const skipped = sponsor
      ? [`sponsor ${sponsor.id} ${departure(sponsor, this.at)}`]
      : [`${this.subject.id} has no sponsor on record`];
    return { successor: this.declaredOwner(nhi) ?? this.workloadOwner(nhi), skipped };
  }

  /**
   * An active declared owner of a vendor's NHI. The lineage rules call such an NHI orphaned
   * whatever its owners (the contract that justified it is over), but an owner who is still
   * here is the one to decide whether it stays.
   */
  private declaredOwner(nhi: GraphNode): Successor | null {
    for (const owns of this.graph.into(nhi.id, 'OWNS', this.at)) {
      const owner = this.graph.node(owns.from);
      if (owner && isPersonActive(owner, this.at))
        return { person: owner, rule: `a declared owner of ${nhi.id}`, evidence: owns.evidence };
    }
    return null;
  }

  // ---- helpers ----

  private liveCredentials(nhiId: string): GraphNode[] {
    const result: GraphNode[] = [];
    for (const rel of this.graph.into(nhiId, 'AUTHENTICATES', this.at)) {
      const credential = this.graph.node(rel.from);
      if (credential && isCredentialLive(credential, this.at) && !result.some((c) => c.id === credential.id))
        result.push(credential);
    }
    return result;
  }

  /** Workloads that use a credential at the leaving time. */
  private users(credentialId: string): GraphRelationship[] {
    return this.graph.into(credentialId, 'USES', this.at).filter((rel) => this.isLiveNode(rel.from));
  }

  private isLiveNode(id: string): boolean {
    const node = this.graph.node(id);
    return node !== undefined && isValidAt(node, this.at);
  }
}

/** Actions by target: one per target, merged when several rules reach it. */
class ActionSet {
  private readonly byTarget = new Map<
    string,
    { action: OffboardingActionKind; reasons: string[]; evidence: string[]; suggestedOwnerId: string | null }
  >();

  constructor(private readonly triggerEventId: string) {}

  add(
    targetId: string,
    action: OffboardingActionKind,
    reason: string,
    evidence: readonly string[],
    suggestedOwnerId: string | null,
  ): void {
    const known = this.byTarget.get(targetId);
    if (!known) {
      this.byTarget.set(targetId, { action, reasons: [reason], evidence: [...evidence], suggestedOwnerId });
      return;
    }
    if (PLAN_ORDER[action] > PLAN_ORDER[known.action]) {
      // The stronger action leads; what the weaker rule found stays in the reason.
      known.action = action;
      known.reasons.unshift(reason);
      known.evidence.unshift(...evidence);
      known.suggestedOwnerId = suggestedOwnerId;
    } else if (!known.reasons.includes(reason)) {
      known.reasons.push(reason);
      known.evidence.push(...evidence);
    }
  }

  list(): OffboardingAction[] {
    return [...this.byTarget.entries()]
      .map(([targetId, entry]) => ({
        targetId,
        action: entry.action,
        reason: entry.reasons.join('; also '),
        suggestedOwnerId: entry.suggestedOwnerId,
        // The trigger (the person left, the contract ended) is evidence for every action.
        evidence: [...new Set([this.triggerEventId, ...entry.evidence])],
      }))
      .sort(
        (a, b) =>
          PLAN_ORDER[a.action] - PLAN_ORDER[b.action] ||
          (a.targetId < b.targetId ? -1 : a.targetId > b.targetId ? 1 : 0),
      );
  }
}

/** The subject as of the plan: left (or ended) at the trigger's time, whatever happened since. */
function leftAt(subject: GraphNode, trigger: OffboardingTrigger): GraphNode {
  const attributes =
    trigger.subjectKind === 'Person'
      ? { ...subject.attributes, status: 'left', leftAt: trigger.effectiveAt }
      : { ...subject.attributes, contractStatus: 'ended', endedAt: trigger.effectiveAt };
  return { ...subject, attributes };
}

/** "left on 2025-03-01" for a person who left; "is not active" for anyone else not active. */
function departure(person: GraphNode, asOf: EpochMs): string {
  const leftAt = personLeftBy(person, asOf);
  return leftAt === null ? 'is not active' : `left on ${iso(leftAt).slice(0, 10)}`;
}

function numberAttribute(node: GraphNode | undefined, key: string): number | null {
  const value = node?.attributes[key];
  return typeof value === 'number' ? value : null;
}

function iso(ms: EpochMs): string {
  return new Date(ms).toISOString();
}
