import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { ENVIRONMENTS } from '@lineage/domain';
import { Id, Name, StringEnum } from '../contracts/common.schema';

export const WorkloadDeployedData = Type.Object({
  workloadId: Id,
  name: Type.Optional(Name),
  /** The NHI the workload runs as (its single identity: a new one replaces the old). */
  runsAs: Type.Optional(Id),
  ownerId: Type.Optional(Id),
  environment: Type.Optional(StringEnum(ENVIRONMENTS)),
});

export type WorkloadDeployedData = Static<typeof WorkloadDeployedData>;
