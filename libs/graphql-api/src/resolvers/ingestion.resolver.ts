import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE } from '@lineage/domain';
import { Roles } from '@lineage/auth';
import { PageArgs } from '../args/query.args';
import type { ConnectionShape } from '../models/connection.model';
import { toConnection } from '../models/connection.model';
import type { DeadLetterModel } from '../models/ingestion.model';
import {
  DeadLetterConnection,
  IngestionStatusModel,
  toDeadLetterModel,
  toIngestionStatusModel,
} from '../models/ingestion.model';

@Resolver()
export class IngestionResolver {
  constructor(@Inject(GRAPH_STORE) private readonly store: GraphStore) {}

  @Query(() => IngestionStatusModel, {
    description:
      'Accepted, duplicate and rejected events per CloudEvents source (and type), and the dead-letter count.',
  })
  @Roles('analyst')
  async ingestionStatus(): Promise<IngestionStatusModel> {
    return toIngestionStatusModel(await this.store.ingestionStatus());
  }

  @Query(() => DeadLetterConnection, {
    description: 'Rejected input, oldest first: where it came from and why (never its bytes).',
  })
  @Roles('responder')
  async deadLetters(@Args() args: PageArgs): Promise<ConnectionShape<DeadLetterModel>> {
    const page = await this.store.deadLetters({ first: args.first, after: args.after ?? null });
    return toConnection(page, toDeadLetterModel);
  }
}
