import type { EpochMs, GraphNode, PageRequest } from '../model/graph-types';

/** The OWASP Non-Human Identities Top 10 (2025). */
export const OWASP_NHI_RISKS = ['NHI1', 'NHI2', 'NHI3', 'NHI4', 'NHI5', 'NHI6', 'NHI7', 'NHI8', 'NHI9', 'NHI10'] as const;
export type OwaspNhiRisk = (typeof OWASP_NHI_RISKS)[number];

export const OWASP_NHI_TITLES: Readonly<Record<OwaspNhiRisk, string>> = {
  NHI1: 'Improper Offboarding',
  NHI2: 'Secret Leakage',
  NHI3: 'Vulnerable Third-Party NHI',
  NHI4: 'Insecure Authentication',
  NHI5: 'Overprivileged NHI',
  NHI6: 'Insecure Cloud Deployment Configurations',
  NHI7: 'Long-Lived Secrets',
  NHI8: 'Environment Isolation',
  NHI9: 'NHI Reuse',
  NHI10: 'Human Use of NHI',
};

export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  /** Stable across runs: derived from the risk and the subject, so triage survives. */
  readonly id: string;
  readonly risk: OwaspNhiRisk;
  readonly subject: GraphNode;
  readonly severity: Severity;
  readonly summary: string;
  readonly evidence: readonly string[];
  readonly since: EpochMs | null;
}

export interface FindingsPolicy {
  /** A credential not rotated for this many days is long-lived (NHI7). */
  readonly rotationDays: number;
  /** A credential whose expiry lies further out than this many days from its creation (NHI7). */
  readonly maxExpiryDays: number;
  /** Grants unused for this many days count as unused (NHI5), where usage is known. */
  readonly usageWindowDays: number;
}

export const DEFAULT_FINDINGS_POLICY: FindingsPolicy = { rotationDays: 90, maxExpiryDays: 365, usageWindowDays: 90 };

export interface FindingsQuery {
  readonly risks: readonly OwaspNhiRisk[] | null;
  readonly subjectId: string | null;
  readonly asOf: EpochMs;
  readonly page: PageRequest;
  readonly policy: FindingsPolicy;
  /** Counting means evaluating every rule over the whole graph: only when asked (else -1). */
  readonly withTotal?: boolean;
}

/** Risks no graph fact can show (insecure authentication, cloud deployment configuration). */
export const UNMAPPED_RISKS: readonly OwaspNhiRisk[] = ['NHI4', 'NHI6'];

/** The order findings are listed in: by risk (OWASP order), then by subject id. */
export function riskIndex(risk: OwaspNhiRisk): number {
  return OWASP_NHI_RISKS.indexOf(risk);
}

export function findingId(risk: OwaspNhiRisk, subjectId: string): string {
  return `${risk}:${subjectId}`;
}
