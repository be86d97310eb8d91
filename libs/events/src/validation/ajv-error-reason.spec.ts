import type { ErrorObject } from 'ajv';
import { fieldPath, reasonFromAjvErrors } from './ajv-error-reason';

function error(
  keyword: string,
  instancePath: string,
  schemaPath: string,
  params: Record<string, unknown>,
  message?: string,
): ErrorObject {
  return { keyword, instancePath, schemaPath, params, ...(message === undefined ? {} : { message }) };
}

describe('ajv errors as rejection reasons', () => {
  it('writes JSON Pointers as dotted paths with indexes, escapes undone', () => {
    expect(fieldPath('data', '')).toBe('data');
    expect(fieldPath('data', '/grants/0/level')).toBe('data.grants[0].level');
    expect(fieldPath('', '/time')).toBe('time');
    expect(fieldPath('data', '/a~1b/c~0d')).toBe('data.a/b.c~d');
  });

  it.each([
    [
      error('required', '/grants/2', '#/properties/grants/items/required', { missingProperty: 'level' }),
      'data.grants[2].level',
      'data.grants[2].level: is required',
    ],
    [
      error('type', '/personId', '#/properties/personId/type', { type: 'string' }),
      'data.personId',
      'data.personId: must be a string',
    ],
    [error('type', '', '#/type', { type: 'object' }), 'data', 'data: must be an object'],
    [
      error('enum', '/level', '#/properties/level/enum', { allowedValues: ['read', 'write', 'admin'] }),
      'data.level',
      'data.level: must be one of read, write, admin',
    ],
    [
      error('format', '/email', '#/properties/email/format', { format: 'email' }),
      'data.email',
      'data.email: must be an email address',
    ],
    [
      error('format', '/leftAt', '#/properties/leftAt/format', { format: 'date-time' }),
      'data.leftAt',
      'data.leftAt: must be an RFC 3339 date-time',
    ],
    [
      error('minLength', '/name', '#/properties/name/minLength', { limit: 1 }),
      'data.name',
      'data.name: must not be empty',
    ],
    [
      error('minLength', '/name', '#/properties/name/minLength', { limit: 3 }),
      'data.name',
      'data.name: must be at least 3 characters',
    ],
    [
      error('maxLength', '/name', '#/properties/name/maxLength', { limit: 256 }),
      'data.name',
      'data.name: must be at most 256 characters',
    ],
    [
      error('maxItems', '/grants', '#/properties/grants/maxItems', { limit: 1000 }),
      'data.grants',
      'data.grants: must have at most 1000 items',
    ],
    [
      error('pattern', '/id', '#/properties/id/pattern', { pattern: '^x' }, 'must match pattern "^x"'),
      'data.id',
      'data.id: must match pattern "^x"',
    ],
  ])('%# %s', (ajvError, field, reason) => {
    expect(reasonFromAjvErrors([ajvError], 'data')).toEqual({ field, reason });
  });

  it('explains a failed anyOf of required properties as alternatives', () => {
    const errors = [
      error('required', '', '#/anyOf/0/required', { missingProperty: 'credentialId' }),
      error('required', '', '#/anyOf/1/required', { missingProperty: 'nhiId' }),
      error('anyOf', '', '#/anyOf', {}),
    ];
    expect(reasonFromAjvErrors(errors, 'data')).toEqual({
      field: 'data.credentialId',
      reason: 'data.credentialId: is required (or data.nhiId)',
    });
  });

  it('explains a value of neither type of a union', () => {
    const errors = [
      error('type', '/secretsUsed', '#/properties/secretsUsed/anyOf/0/type', { type: 'string' }),
      error('type', '/secretsUsed', '#/properties/secretsUsed/anyOf/1/type', { type: 'array' }),
      error('anyOf', '/secretsUsed', '#/properties/secretsUsed/anyOf', {}),
    ];
    expect(reasonFromAjvErrors(errors, 'data')).toEqual({
      field: 'data.secretsUsed',
      reason: 'data.secretsUsed: must be a string or an array',
    });
  });

  it('reports the branch that got furthest into the value', () => {
    const errors = [
      error('type', '/deployedTo', '#/properties/deployedTo/anyOf/0/type', { type: 'string' }),
      error('maxLength', '/deployedTo/3', '#/properties/deployedTo/anyOf/1/items/maxLength', { limit: 2048 }),
      error('anyOf', '/deployedTo', '#/properties/deployedTo/anyOf', {}),
    ];
    expect(reasonFromAjvErrors(errors, 'data')).toEqual({
      field: 'data.deployedTo[3]',
      reason: 'data.deployedTo[3]: must be at most 2048 characters',
    });
  });

  it('does not take an unrelated anyOf for the first error’s', () => {
    const errors = [
      error('required', '', '#/required', { missingProperty: 'pipelineId' }),
      error('anyOf', '/other', '#/properties/other/anyOf', {}),
    ];
    expect(reasonFromAjvErrors(errors, 'data')).toEqual({
      field: 'data.pipelineId',
      reason: 'data.pipelineId: is required',
    });
  });
});
