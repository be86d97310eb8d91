import type { Lineage } from '../lineage/accountability';
import type { EpochMs, GraphNode } from '../model/graph-types';
import type { Finding, FindingsPolicy, OwaspNhiRisk, Severity } from './finding';
import { SEVERITIES, findingId } from './finding';

/**
 * Turning a rule's answer into a Finding: the parts every store shares. A store's rule query
 * (SQL or Cypher) decides which subjects match, how bad each is, and returns the detail the
 * sentence is written from; everything after that — the sentence, the evidence list, the NHI1
 * finding from a resolved lineage — is here, so that both stores say exactly the same thing.
 */

/** Milliseconds in a day: policies are stated in days, rules compare epoch milliseconds. */
export const DAY_MS = 86_400_000;

/** At most this many event ids prove one finding (the first ones the rule returned). */
export const MAX_FINDING_EVIDENCE = 20;

/** A findings policy as the rule queries take it: windows in milliseconds. */
export interface PolicyWindows {
  readonly rotationMs: number;
  readonly maxExpiryMs: number;
  readonly usageWindowMs: number;
}

export function policyWindows(policy: FindingsPolicy): PolicyWindows {
  return {
    rotationMs: policy.rotationDays * DAY_MS,
    maxExpiryMs: policy.maxExpiryDays * DAY_MS,
    usageWindowMs: policy.usageWindowDays * DAY_MS,
  };
}

/** One rule's answer for one subject, as a store's query returns it, before the subject node is attached. */
export interface RuleRow {
  readonly severity: Severity;
  /** What the summary sentence names (stores, vendors, roles, workloads, people, ages): see `summariseFinding`. */
  readonly detail: Readonly<Record<string, unknown>>;
  readonly since: EpochMs | null;
  /** The evidence lists of the relationships the rule matched, one per relationship (null: none recorded). */
  readonly evidence: readonly (readonly string[] | null)[];
}

export function isSeverity(value: unknown): value is Severity {
  return SEVERITIES.some((severity) => severity === value);
}

/** The finding one rule row makes about `subject`. */
export function toFinding(risk: OwaspNhiRisk, subject: GraphNode, row: RuleRow): Finding {
  return {
    id: findingId(risk, subject.id),
    risk,
    subject,
    severity: row.severity,
    summary: summariseFinding(risk, subject, row.detail),
    evidence: flattenEvidence(row.evidence),
    since: row.since,
  };
}

/** Every relationship's evidence as one list: each event id once, in the order given, at most MAX_FINDING_EVIDENCE. */
export function flattenEvidence(lists: readonly (readonly string[] | null)[]): string[] {
  return [...new Set(lists.flatMap((list) => list ?? []))].slice(0, MAX_FINDING_EVIDENCE);
}

/** The NHI1 (improper offboarding) finding for a resolved lineage; null when someone active answers for it. */
export function improperOffboardingFinding(lineage: Lineage): Finding | null {
  if (lineage.status === 'ACCOUNTABLE') return null;
  const id = lineage.root.id;
  const orphaned = lineage.status === 'ORPHANED';
  const leftAt = lineage.lastAccountable?.attributes['leftAt'];
  return {
    id: findingId('NHI1', id),
    risk: 'NHI1',
    subject: lineage.root,
    severity: orphaned ? 'CRITICAL' : 'HIGH',
    summary: orphaned
      ? `${id} still has an active credential but nobody active answers for it: ${lineage.reason}.`
      : `${id} still has an active credential and has no owner, creator, workload owner or vendor sponsor.`,
    evidence: flattenEvidence(lineage.chain.map((step) => step.evidence)),
    since: typeof leftAt === 'number' ? leftAt : null,
  };
}

/** The distinct non-null members of a detail list, comma-separated ('' when the detail is not a list). */
const list = (value: unknown): string =>
  Array.isArray(value) ? [...new Set(value.filter((v) => v !== null && v !== undefined))].join(', ') : '';

/** One sentence per finding, from the rule's detail (the same keys on every store). */
export function summariseFinding(
  risk: OwaspNhiRisk,
  subject: GraphNode,
  detail: Readonly<Record<string, unknown>>,
): string {
  switch (risk) {
    case 'NHI2':
      return `${subject.id} is kept outside a vault (${list(detail['stores'])}: ${list(detail['kinds'])}).`;
    case 'NHI3':
      return detail['ended']
        ? `${subject.id} is supplied by a vendor whose contract has ended (${list(detail['vendors'])}).`
        : `${subject.id} is supplied by a vendor nobody sponsors (${list(detail['vendors'])}).`;
    case 'NHI5': {
      const admin = list(detail['adminRoles']);
      const unused = list(detail['unusedRoles']);
      return admin
        ? `${subject.id} holds admin access through ${admin}${unused ? `, and grants it has not used through ${unused}` : ''}.`
        : `${subject.id} holds grants it has not used within the usage window through ${unused}.`;
    }
    case 'NHI7': {
      const reasons: string[] = [];
      if (detail['noExpiry']) reasons.push('it never expires');
      else if (typeof detail['expiryDays'] === 'number')
        reasons.push(`it is valid for ${Math.round(detail['expiryDays'])} days`);
      if (typeof detail['ageDays'] === 'number')
        reasons.push(`it was last rotated ${Math.floor(detail['ageDays'])} days ago`);
      return `${subject.id} is a long-lived secret: ${reasons.join(' and ')}.`;
    }
    case 'NHI8':
      return `${subject.id} is used across environments (${list(detail['environments'])}) by ${list(detail['workloads'])}.`;
    case 'NHI9':
      return `${subject.id} is shared by several workloads: ${list(detail['workloads'])}.`;
    case 'NHI10':
      return `${subject.id} was used by a person: ${list(detail['people'])}.`;
    case 'NHI1':
    case 'NHI4':
    case 'NHI6':
      return `${subject.id}: ${risk}.`;
  }
}
