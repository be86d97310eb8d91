import type { ApolloServerPlugin } from '@apollo/server';
import depthLimit from 'graphql-depth-limit';
import type { ValidationRule } from 'graphql';
import { GraphQLError } from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';

/** Deepest selection accepted (introspection fields do not count). */
export const MAX_QUERY_DEPTH = 10;
/**
 * Highest cost accepted. Every field costs 1; a field with `first` (50 when not given) costs
 * `first` times its selection. `orphans(first: 500) { edges { node { id name } } }` costs about
 * 2,500; an NHI's roles with each role's grants (50 × 50 with a few fields) about 15,000; the
 * orphans page above with each orphan's credentials (first: 50) inside would cost 75,000: refused.
 */
export const MAX_QUERY_COST = 50_000;

// The package's types say `any`; what it returns is a validation rule.
export const depthLimitRule = depthLimit(MAX_QUERY_DEPTH) as ValidationRule;

/** Connections: `first` items, each as costly as the selection under it. */
export const connectionEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first: unknown = args['first'];
  return typeof first === 'number' && first > 0 ? 1 + first * childComplexity : undefined;
};

/** Measures each operation once it is parsed and validated, and refuses one over `maxCost`. */
export function queryCostPlugin(maxCost: number = MAX_QUERY_COST): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const cost = getComplexity({
            schema,
            query: document,
            variables: request.variables ?? {},
            ...(request.operationName ? { operationName: request.operationName } : {}),
            estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
          });
          if (cost > maxCost) {
            throw new GraphQLError(
              `query cost ${cost} exceeds the limit of ${maxCost}: ask for fewer items (first) or fewer nested fields`,
              {
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED', cost, maxCost, http: { status: 400 } },
              },
            );
          }
        },
      };
    },
  };
}
