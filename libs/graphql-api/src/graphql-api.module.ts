import type { MiddlewareConsumer, NestModule } from '@nestjs/common';
import { Module, RequestMethod, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloDriver } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import type { AuthenticatedRequest } from '@lineage/auth';
import { ApiKeyAuthenticator } from '@lineage/auth';
import { JsonLogger } from '@lineage/observability';
import { OffboardingModule } from '@lineage/offboarding';
import { createRequestContext } from './context/graphql-context';
import { createErrorFormatter } from './errors/graphql-errors';
import { validationErrorFactory } from './errors/validation-error.factory';
import { GraphqlBodyMiddleware } from './http/graphql-body.middleware';
import { GraphiqlIdeController } from './ide/graphiql-ide.controller';
import { GraphiqlPageMiddleware } from './ide/graphiql-page.middleware';
import { depthLimitRule, queryCostPlugin } from './limits/query-limits';
import { ApiKeyResolver } from './resolvers/api-key.resolver';
import { BlastRadiusResolver } from './resolvers/blast-radius.resolver';
import { FindingsResolver } from './resolvers/findings.resolver';
import { GRAPH_WALK_RESOLVERS } from './resolvers/graph-walk.resolvers';
import { GraphWalker } from './resolvers/graph-walker';
import { IngestionResolver } from './resolvers/ingestion.resolver';
import { LineageResolver } from './resolvers/lineage.resolver';
import { LookupResolver } from './resolvers/lookup.resolver';
import { OffboardingActionResolver, OffboardingResolver } from './resolvers/offboarding.resolver';
import { OwnerResolver } from './resolvers/owner.resolver';
import { TimelineResolver } from './resolvers/timeline.resolver';

export const GRAPHQL_PATH = '/graphql';

/**
 * The GraphQL API at `/graphql` (code-first, Apollo Server 5 on Express 5): the lineage,
 * blast-radius, timeline, lookup, ingestion, offboarding, findings and key-management
 * operations, with the depth and cost limits, the error mapping, the global ValidationPipe for
 * arguments, and the local GraphiQL IDE. Needs `AuthModule`, `ObservabilityModule` and the
 * store (`PipelineModule`); imports `OffboardingModule` for the delivery retry.
 */
@Module({
  imports: [
    OffboardingModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [ApiKeyAuthenticator, JsonLogger],
      useFactory: (authenticator: ApiKeyAuthenticator, logger: JsonLogger): ApolloDriverConfig => ({
        path: GRAPHQL_PATH,
        autoSchemaFile: true,
        // Types sorted by name; fields and arguments in the order they are declared (the issues' order).
        sortSchema: false,
        // Apollo's landing page loads from a CDN; the IDE is served locally instead (GraphiqlPageMiddleware).
        playground: false,
        // The access guard also runs on field resolvers: every graph-walking field declares its least role.
        fieldResolverEnhancers: ['guards'],
        introspection: true,
        includeStacktraceInErrorResponses: false,
        validationRules: [depthLimitRule],
        plugins: [queryCostPlugin()],
        formatError: createErrorFormatter(logger),
        context: ({ req }: { req: AuthenticatedRequest }) => createRequestContext(req, authenticator),
        logger: {
          debug: (message: string) => logger.debug(message, 'Apollo'),
          info: (message: string) => logger.log(message, 'Apollo'),
          warn: (message: string) => logger.warn(message, 'Apollo'),
          error: (message: string) => logger.error(message, undefined, 'Apollo'),
        },
      }),
    }),
  ],
  controllers: [GraphiqlIdeController],
  providers: [
    {
      provide: APP_PIPE,
      useFactory: () =>
        new ValidationPipe({
          whitelist: true,
          forbidNonWhitelisted: true,
          transform: true,
          exceptionFactory: validationErrorFactory,
        }),
    },
    GraphWalker,
    LineageResolver,
    BlastRadiusResolver,
    TimelineResolver,
    LookupResolver,
    IngestionResolver,
    OffboardingResolver,
    OffboardingActionResolver,
    FindingsResolver,
    ApiKeyResolver,
    OwnerResolver,
    ...GRAPH_WALK_RESOLVERS,
  ],
})
export class GraphqlApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(GraphiqlPageMiddleware).forRoutes({ path: 'graphql', method: RequestMethod.GET });
    consumer.apply(GraphqlBodyMiddleware).forRoutes({ path: 'graphql', method: RequestMethod.POST });
  }
}
