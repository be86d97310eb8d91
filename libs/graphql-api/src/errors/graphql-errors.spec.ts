import { GraphQLError } from 'graphql';
import { DomainError, DOMAIN_ERROR_CODES } from '@lineage/domain';
import { StoreUnavailableError } from '@lineage/pipeline';
import { JsonLogger } from '@lineage/observability';
import { createErrorFormatter, graphqlCodeOf, requestError } from './graphql-errors';
import { validationErrorFactory } from './validation-error.factory';
import { ValidationError } from 'class-validator';

describe('GraphQL error mapping', () => {
  const lines: string[] = [];
  const format = createErrorFormatter(new JsonLogger('error', { write: (line: string) => lines.push(line) }));
  const resolverError = (original: Error) =>
    new GraphQLError(original.message, { originalError: original, path: ['lineage'] });

  test('every domain code has a GraphQL code', () => {
    expect(Object.fromEntries(DOMAIN_ERROR_CODES.map((code) => [code, graphqlCodeOf(code)]))).toEqual({
      NOT_FOUND: 'NOT_FOUND',
      BAD_USER_INPUT: 'BAD_USER_INPUT',
      UNAUTHENTICATED: 'UNAUTHENTICATED',
      FORBIDDEN: 'FORBIDDEN',
      CONFLICT: 'CONFLICT',
      UNAVAILABLE: 'SERVICE_UNAVAILABLE',
    });
  });

  test('a domain error keeps its message and gets its code and field', () => {
    const error = resolverError(new DomainError('BAD_USER_INPUT', 'first must not be less than 1', 'first'));
    expect(format({ message: error.message, path: ['lineage'] }, error)).toEqual({
      message: 'first must not be less than 1',
      path: ['lineage'],
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
  });

  test('a store outage is SERVICE_UNAVAILABLE without the driver message', () => {
    const error = resolverError(new StoreUnavailableError(new Error('SQLITE_BUSY at /secret/path')));
    const formatted = format({ message: error.message }, error);
    expect(formatted.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    expect(formatted.message).not.toContain('/secret/path');
  });

  test('an unexpected error is logged and answered as an internal error without detail', () => {
    lines.length = 0;
    const error = resolverError(new TypeError('cannot read x of undefined'));
    const formatted = format(
      { message: error.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } },
      error,
    );
    expect(formatted).toEqual({ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines.join('')).toContain('cannot read x of undefined');
  });

  test('validation errors keep their extensions but lose any stack trace', () => {
    const formatted = format(
      {
        message: 'query cost 9 exceeds',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', cost: 9, stacktrace: ['x'] },
      },
      new GraphQLError('x'),
    );
    expect(formatted.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', cost: 9 });
  });

  test('a request-level UNAUTHENTICATED carries HTTP 401 and WWW-Authenticate for Apollo', () => {
    const error = requestError(new DomainError('UNAUTHENTICATED', 'no key')) as GraphQLError;
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.extensions['code']).toBe('UNAUTHENTICATED');
    expect(error.extensions['http']).toEqual({ status: 401, headers: new Map([['www-authenticate', 'Bearer']]) });
    const other = new Error('not ours');
    expect(requestError(other)).toBe(other);
  });

  test('the ValidationPipe’s first failed constraint becomes BAD_USER_INPUT naming the argument', () => {
    const first = Object.assign(new ValidationError(), {
      property: 'first',
      constraints: { min: 'first must not be less than 1' },
    });
    const nested = Object.assign(new ValidationError(), {
      property: 'owasp',
      children: [
        Object.assign(new ValidationError(), {
          property: '0',
          constraints: { isIn: 'each value in owasp must be one of …' },
        }),
      ],
    });
    expect(validationErrorFactory([first])).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
      message: 'first must not be less than 1',
    });
    expect(validationErrorFactory([nested])).toMatchObject({ code: 'BAD_USER_INPUT', field: 'owasp.0' });
  });
});
