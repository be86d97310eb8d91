/**
 * Families of random streams and of event streams. A family number is mixed into every seed,
 * so two families never share a stream; the order here is also the tie-break between events of
 * different families at the same millisecond (people before what refers to them).
 */
export const FAMILY = {
  person: 1,
  vendor: 2,
  role: 3,
  pipeline: 4,
  run: 5,
  nhi: 6,
  /** The cheap part of an NHI (kind, platform, creator), drawn apart so chains can look it up. */
  nhiIdentity: 7,
  /** Draws that concern the whole enterprise (who leaves, which vendors end). */
  enterprise: 8,
  targets: 9,
  fingerprint: 10,
  /** Hashes (no stream) for per-index attributes: a resource's kind and team, a repo's CI. */
  resourceKind: 11,
  resourceTeam: 12,
  repoPlatform: 13,
} as const;

export type FamilyName = keyof typeof FAMILY;
