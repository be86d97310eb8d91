import type { CanonicalEventType } from '@lineage/events';
import { CANONICAL_EVENT_TYPES } from '@lineage/events';
/**
 * The shape of what the generator emits: CloudEvents 1.0 in structured JSON mode, with the `data`
 * of PRODUCT.md's events table. Declared here, structurally, so the generator stands on its own;
 * `@lineage/events` validates the same shape on the way in.
 */

export type EnvironmentName = 'prod' | 'staging' | 'dev';
export type GrantLevel = 'read' | 'write' | 'admin';

export interface GeneratedEventData {
  'hr.person.joined': {
    personId: string;
    email: string;
    name?: string;
    employmentType?: 'employee' | 'contractor';
    managerId?: string;
    department?: string;
  };
  'hr.person.moved': { personId: string; managerId?: string; department?: string; title?: string };
  'hr.person.left': { personId: string; leftAt?: string; reason?: string };
  'vendor.onboarded': { vendorId: string; name: string; sponsorId?: string };
  'vendor.contract.ended': { vendorId: string };
  'iam.nhi.created': {
    nhiId: string;
    kind: string;
    name?: string;
    platform?: string;
    environment?: EnvironmentName;
    createdBy?: string;
    ownerId?: string;
    vendorId?: string;
    purpose?: string;
    expiresAt?: string;
  };
  'iam.nhi.deleted': { nhiId: string };
  'iam.owner.assigned': { nhiId: string; ownerId: string };
  'iam.credential.created': {
    credentialId: string;
    nhiId: string;
    kind: string;
    createdBy?: string;
    expiresAt?: string;
    fingerprint?: string;
  };
  'iam.credential.rotated': { credentialId: string; newCredentialId?: string };
  'iam.credential.deleted': { credentialId: string };
  'iam.role.defined': {
    roleId: string;
    name?: string;
    grants?: { resourceId: string; actions?: string[]; level: GrantLevel }[];
  };
  'iam.role.granted': { principalId: string; roleId: string };
  'iam.role.revoked': { principalId: string; roleId: string };
  'iam.trust.granted': { principalId: string; roleId: string };
  'iam.trust.revoked': { principalId: string; roleId: string };
  'audit.credential.used': {
    credentialId?: string;
    nhiId?: string;
    actorId?: string;
    action?: string;
    resourceId?: string;
    sourceIp?: string;
    interactive?: boolean;
  };
  'ci.pipeline.ran': {
    pipelineId: string;
    repo?: string;
    triggeredBy?: string;
    secretsUsed?: string[];
    assumedRoles?: string[];
    deployedTo?: string[];
  };
  'ci.secret.stored': { credentialId: string; location: { kind: string; id: string } };
  'workload.deployed': {
    workloadId: string;
    name?: string;
    runsAs?: string;
    ownerId?: string;
    environment?: EnvironmentName;
  };
}

export type GeneratedEventType = keyof GeneratedEventData;

/**
 * Every type the generator emits: all of the canonical contract's, in its order. The assignment
 * fails to compile if the generator's data shapes and the contract's types ever part ways.
 */
export const GENERATED_EVENT_TYPES: readonly GeneratedEventType[] = CANONICAL_EVENT_TYPES satisfies readonly GeneratedEventType[];
// And the other way round: a canonical type the generator has no data shape for fails here.
const everyCanonicalTypeIsGenerated: CanonicalEventType extends GeneratedEventType ? true : never = true;
void everyCanonicalTypeIsGenerated;

export interface CanonicalEventOfType<K extends GeneratedEventType> {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: K;
  /** RFC 3339, UTC. */
  readonly time: string;
  /** The main id the event is about: the Kafka key, so one subject's events stay in order. */
  readonly subject: string;
  readonly data: GeneratedEventData[K];
}

/** A generated event: a union discriminated by `type`. */
export type CanonicalEventLike = { [K in GeneratedEventType]: CanonicalEventOfType<K> }[GeneratedEventType];
