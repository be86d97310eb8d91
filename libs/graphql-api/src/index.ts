export * from './graphql-api.module';
export * from './http/events-http.module';
export * from './http/events.controller';
export * from './http/cloudevents-http';
export * from './limits/query-limits';
export * from './errors/graphql-errors';
export * from './ide/graphiql-assets';
