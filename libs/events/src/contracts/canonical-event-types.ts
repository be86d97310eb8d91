/** The canonical event types of PRODUCT.md ("Events"), one per row of its table. */
export const CANONICAL_EVENT_TYPES = [
  'hr.person.joined',
  'hr.person.moved',
  'hr.person.left',
  'vendor.onboarded',
  'vendor.contract.ended',
  'iam.nhi.created',
  'iam.nhi.deleted',
  'iam.owner.assigned',
  'iam.credential.created',
  'iam.credential.rotated',
  'iam.credential.deleted',
  'iam.role.defined',
  'iam.role.granted',
  'iam.role.revoked',
  'iam.trust.granted',
  'iam.trust.revoked',
  'audit.credential.used',
  'ci.pipeline.ran',
  'ci.secret.stored',
  'workload.deployed',
] as const;

export type CanonicalEventType = (typeof CANONICAL_EVENT_TYPES)[number];

const TYPE_SET: ReadonlySet<string> = new Set(CANONICAL_EVENT_TYPES);

export function isCanonicalEventType(value: unknown): value is CanonicalEventType {
  return typeof value === 'string' && TYPE_SET.has(value);
}
