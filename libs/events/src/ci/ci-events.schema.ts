import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { Id, IdOrIds, Label, Text } from '../contracts/common.schema';

export const PipelineRanData = Type.Object({
  pipelineId: Id,
  repo: Type.Optional(Text),
  /** A person, NHI or workload; its id prefix says which. */
  triggeredBy: Type.Optional(Id),
  /** Credential ids the run read. */
  secretsUsed: Type.Optional(IdOrIds),
  /** Role ids the run assumed. */
  assumedRoles: Type.Optional(IdOrIds),
  /** Workload ids the run deployed. */
  deployedTo: Type.Optional(IdOrIds),
});

export const SecretStoredData = Type.Object({
  credentialId: Id,
  location: Type.Object({
    /** `vault`, `secrets_manager`, `key_vault`, `secret_manager`, `k8s_secret` (vaults) or `ci_variable`, `repo_file`, `env_file`… */
    kind: Label,
    /** The store's node id (`store:vault:kv/payments/db`). */
    id: Id,
  }),
});

export type PipelineRanData = Static<typeof PipelineRanData>;
export type SecretStoredData = Static<typeof SecretStoredData>;
