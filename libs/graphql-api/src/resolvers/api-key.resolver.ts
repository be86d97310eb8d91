import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE } from '@lineage/domain';
import type { RequestContext } from '@lineage/auth';
import { ApiKeyService, Clock, Roles, unauthenticated } from '@lineage/auth';
import { CreateApiKeyArgs, RevokeApiKeyArgs } from '../args/mutation.args';
import { ApiKeyModel, CreatedApiKeyModel, ViewerModel, toApiKeyModel, toViewerModel } from '../models/api-key.model';
import { NhiModel, PersonModel, personView, viewOfKind } from '../models/node.model';

/** Key management (admin), and who the caller is (any role). Keys are never shown again after creation; hashes never. */
@Resolver(() => ApiKeyModel)
@Roles('admin')
export class ApiKeyResolver {
  constructor(
    private readonly keys: ApiKeyService,
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly clock: Clock,
  ) {}

  @Query(() => [ApiKeyModel], { description: 'Every API key, active or not, oldest first.' })
  async apiKeys(): Promise<ApiKeyModel[]> {
    const now = this.clock.now();
    return (await this.keys.list()).map((record) => toApiKeyModel(record, now));
  }

  @Query(() => ViewerModel, { description: 'The key making this request.' })
  @Roles('analyst')
  viewer(@Context() context: RequestContext): ViewerModel {
    if (!context.principal) throw unauthenticated();
    return toViewerModel(context.principal);
  }

  @Mutation(() => CreatedApiKeyModel, {
    description:
      'Create a key. Its secret is in `key`, this once. The key also becomes an NHI (kind api_token) owned by `ownerId`.',
  })
  async createApiKey(@Args() args: CreateApiKeyArgs, @Context() context: RequestContext): Promise<CreatedApiKeyModel> {
    const { key, record } = await this.keys.create({
      role: args.role,
      ownerId: args.ownerId,
      expiresInDays: args.expiresInDays,
      description: args.description ?? null,
      createdBy: context.principal?.nhiId ?? null,
    });
    return { key, apiKey: toApiKeyModel(record, this.clock.now()) };
  }

  @Mutation(() => ApiKeyModel, {
    description: 'Revoke a key: refused at once by this instance, within 30 seconds by every other one.',
  })
  async revokeApiKey(@Args() args: RevokeApiKeyArgs): Promise<ApiKeyModel> {
    return toApiKeyModel(await this.keys.revoke(args.id), this.clock.now());
  }

  @ResolveField(() => PersonModel, { nullable: true })
  async owner(@Parent() key: Readonly<ApiKeyModel>): Promise<PersonModel | null> {
    return personView(await this.store.getNode(key.ownerId), this.clock.now());
  }

  @ResolveField(() => NhiModel, { nullable: true, description: 'The key as an NHI: walk to its lineage from here.' })
  async nhi(@Parent() key: Readonly<ApiKeyModel>): Promise<NhiModel | null> {
    return viewOfKind(await this.store.getNode(key.nhiId), 'NHI', this.clock.now()) as NhiModel | null;
  }
}
