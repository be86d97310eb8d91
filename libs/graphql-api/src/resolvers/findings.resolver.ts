import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { FindingsPolicy, GraphStore } from '@lineage/domain';
import { GRAPH_STORE } from '@lineage/domain';
import { LineageConfig } from '@lineage/config';
import { Clock, Roles } from '@lineage/auth';
import { FindingsArgs } from '../args/query.args';
import type { ConnectionShape } from '../models/connection.model';
import { toConnection } from '../models/connection.model';
import type { FindingModel } from '../models/finding.model';
import { FindingConnection, toFindingModel } from '../models/finding.model';
import { timeOf } from './resolver-helpers';

@Resolver()
@Roles('analyst')
export class FindingsResolver {
  private readonly policy: FindingsPolicy;

  constructor(
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly clock: Clock,
    config: LineageConfig,
  ) {
    this.policy = {
      rotationDays: config.LINEAGE_ROTATION_DAYS,
      maxExpiryDays: config.LINEAGE_MAX_EXPIRY_DAYS,
      usageWindowDays: config.LINEAGE_USAGE_WINDOW_DAYS,
    };
  }

  @Query(() => FindingConnection, {
    description: 'Findings mapped to the OWASP NHI Top 10, optionally for some risks or one node.',
  })
  async findings(@Args() args: FindingsArgs): Promise<ConnectionShape<FindingModel>> {
    const asOf = timeOf(args.asOf, this.clock);
    const page = await this.store.findings({
      risks: args.owasp && args.owasp.length > 0 ? args.owasp : null,
      subjectId: args.subjectId ?? null,
      asOf,
      page: { first: args.first, after: args.after ?? null },
      policy: this.policy,
    });
    return toConnection(page, (finding) => toFindingModel(finding, asOf));
  }
}
