import type { Static, TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { CredentialUsedData } from '../audit/audit-events.schema';
import { PipelineRanData, SecretStoredData } from '../ci/ci-events.schema';
import { PersonJoinedData, PersonLeftData, PersonMovedData } from '../hr/hr-events.schema';
import {
  CredentialCreatedData,
  CredentialDeletedData,
  CredentialRotatedData,
  NhiCreatedData,
  NhiDeletedData,
  OwnerAssignedData,
  RoleAssignmentData,
  RoleDefinedData,
} from '../iam/iam-events.schema';
import { VendorContractEndedData, VendorOnboardedData } from '../vendor/vendor-events.schema';
import { WorkloadDeployedData } from '../workload/workload-events.schema';
import type { CanonicalEventType } from './canonical-event-types';
import { DateTime } from './common.schema';

/**
 * The CloudEvents 1.0 envelope (structured JSON mode). `data` is checked by the schema of the
 * event's type, so here it only has to be present. Extension attributes are allowed and ignored.
 */
export const Envelope = Type.Object({
  specversion: Type.Literal('1.0'),
  id: Type.String({ minLength: 1, maxLength: 256 }),
  source: Type.String({ minLength: 1, maxLength: 1024 }),
  type: Type.String({ minLength: 1, maxLength: 128 }),
  time: DateTime,
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
  datacontenttype: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  data: Type.Unknown(),
});

/** One `data` schema per type. Fields not declared are allowed, but transforms never read them. */
export const DATA_SCHEMAS = {
  'hr.person.joined': PersonJoinedData,
  'hr.person.moved': PersonMovedData,
  'hr.person.left': PersonLeftData,
  'vendor.onboarded': VendorOnboardedData,
  'vendor.contract.ended': VendorContractEndedData,
  'iam.nhi.created': NhiCreatedData,
  'iam.nhi.deleted': NhiDeletedData,
  'iam.owner.assigned': OwnerAssignedData,
  'iam.credential.created': CredentialCreatedData,
  'iam.credential.rotated': CredentialRotatedData,
  'iam.credential.deleted': CredentialDeletedData,
  'iam.role.defined': RoleDefinedData,
  'iam.role.granted': RoleAssignmentData,
  'iam.role.revoked': RoleAssignmentData,
  'iam.trust.granted': RoleAssignmentData,
  'iam.trust.revoked': RoleAssignmentData,
  'audit.credential.used': CredentialUsedData,
  'ci.pipeline.ran': PipelineRanData,
  'ci.secret.stored': SecretStoredData,
  'workload.deployed': WorkloadDeployedData,
} as const satisfies { readonly [K in CanonicalEventType]: TSchema };

export type CanonicalEventData = { readonly [K in CanonicalEventType]: Static<(typeof DATA_SCHEMAS)[K]> };

interface EnvelopeAttributes {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  /** RFC 3339; transforms convert it to epoch ms. */
  readonly time: string;
  readonly subject?: string;
  readonly datacontenttype?: string;
}

/** A validated canonical event of one type. */
export interface CanonicalEventOf<K extends CanonicalEventType> extends EnvelopeAttributes {
  readonly type: K;
  readonly data: CanonicalEventData[K];
}

/** A validated canonical event: a union discriminated by `type`. */
export type CanonicalEvent = { [K in CanonicalEventType]: CanonicalEventOf<K> }[CanonicalEventType];
