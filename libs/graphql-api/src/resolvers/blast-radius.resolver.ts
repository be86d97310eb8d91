import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE, badInput, notFound } from '@lineage/domain';
import { Clock, Roles } from '@lineage/auth';
import { BlastRadiusArgs } from '../args/query.args';
import { BlastRadiusModel, toBlastRadiusModel } from '../models/blast-radius.model';
import { timeOf } from './resolver-helpers';

@Resolver()
@Roles('analyst')
export class BlastRadiusResolver {
  constructor(
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly clock: Clock,
  ) {}

  @Query(() => BlastRadiusModel, {
    description:
      'What a credential (or an NHI) could reach: resources through its roles and the roles they can assume, the strongest level and the path for each, and who else holds the credential.',
  })
  async blastRadius(@Args() args: BlastRadiusArgs): Promise<BlastRadiusModel> {
    const asOf = timeOf(args.asOf, this.clock);
    // The ValidationPipe has checked that exactly one is given.
    const [field, kind, rootId] = args.credentialId
      ? (['credentialId', 'Credential', args.credentialId] as const)
      : (['nhiId', 'NHI', args.nhiId!] as const);
    const blast = await this.store.blastRadius({ rootId, maxDepth: args.maxDepth, asOf });
    if (!blast) throw notFound(kind === 'NHI' ? 'NHI' : 'credential', rootId);
    if (blast.root.kind !== kind)
      throw badInput(field, `names a ${blast.root.kind}, not ${kind === 'NHI' ? 'an NHI' : 'a credential'}`);
    return toBlastRadiusModel(blast, args.maxDepth, asOf);
  }
}
