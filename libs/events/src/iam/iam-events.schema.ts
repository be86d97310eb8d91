import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { ACCESS_LEVELS, CREDENTIAL_KINDS, ENVIRONMENTS, NHI_KINDS } from '@lineage/domain';
import { DateTime, FIELD_LIMITS, Id, Label, Name, StringEnum, Text } from '../contracts/common.schema';

export const NhiCreatedData = Type.Object({
  nhiId: Id,
  kind: StringEnum(NHI_KINDS),
  name: Type.Optional(Name),
  platform: Type.Optional(Label),
  environment: Type.Optional(StringEnum(ENVIRONMENTS)),
  /** A person, NHI or workload; its id prefix says which (`inferKind`). */
  createdBy: Type.Optional(Id),
  ownerId: Type.Optional(Id),
  vendorId: Type.Optional(Id),
  purpose: Type.Optional(Text),
  expiresAt: Type.Optional(DateTime),
});

export const NhiDeletedData = Type.Object({ nhiId: Id });

export const OwnerAssignedData = Type.Object({ nhiId: Id, ownerId: Id });

export const CredentialCreatedData = Type.Object({
  credentialId: Id,
  nhiId: Id,
  kind: StringEnum(CREDENTIAL_KINDS),
  createdBy: Type.Optional(Id),
  expiresAt: Type.Optional(DateTime),
  /** A fingerprint of the secret (`SHA256:…`, hex, an access key id) — never the secret itself. */
  fingerprint: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
});

export const CredentialRotatedData = Type.Object({
  credentialId: Id,
  /** The successor, when rotation issued a new credential rather than re-keying this one. */
  newCredentialId: Type.Optional(Id),
});

export const CredentialDeletedData = Type.Object({ credentialId: Id });

export const RoleGrant = Type.Object({
  resourceId: Id,
  actions: Type.Optional(Type.Array(Label, { maxItems: FIELD_LIMITS.listItems })),
  level: StringEnum(ACCESS_LEVELS),
});

export const RoleDefinedData = Type.Object({
  roleId: Id,
  name: Type.Optional(Name),
  /** The role's complete grants: resources not listed any more stop being granted. */
  grants: Type.Optional(Type.Array(RoleGrant, { maxItems: FIELD_LIMITS.listItems })),
});

/** iam.role.granted / iam.role.revoked (HAS_ROLE) and iam.trust.granted / revoked (CAN_ASSUME). */
export const RoleAssignmentData = Type.Object({ principalId: Id, roleId: Id });

export type NhiCreatedData = Static<typeof NhiCreatedData>;
export type NhiDeletedData = Static<typeof NhiDeletedData>;
export type OwnerAssignedData = Static<typeof OwnerAssignedData>;
export type CredentialCreatedData = Static<typeof CredentialCreatedData>;
export type CredentialRotatedData = Static<typeof CredentialRotatedData>;
export type CredentialDeletedData = Static<typeof CredentialDeletedData>;
export type RoleGrant = Static<typeof RoleGrant>;
export type RoleDefinedData = Static<typeof RoleDefinedData>;
export type RoleAssignmentData = Static<typeof RoleAssignmentData>;
