import type { ErrorObject } from 'ajv';

/**
 * Turn ajv's errors into one rejection reason that names the field, in the house form:
 * `data.personId: is required`, `data.kind: must be one of service_account, machine_user, …`,
 * `data.grants[0].level: must be one of read, write, admin`. The first error is enough, except
 * that a failed `anyOf` is explained as a whole (its branches' errors come before it).
 */
export interface FieldReason {
  readonly field: string;
  readonly reason: string;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  'date-time': 'an RFC 3339 date-time',
  email: 'an email address',
};

export function reasonFromAjvErrors(errors: readonly ErrorObject[], root: string): FieldReason {
  const first = errors[0];
  if (!first) return { field: root, reason: `${root}: is invalid` };
  const union = errors.find((e) => e.keyword === 'anyOf' && first.schemaPath.startsWith(`${e.schemaPath}/`));
  if (union) return unionReason(errors.slice(0, errors.indexOf(union)), union, root);
  return single(first, root);
}

function single(error: ErrorObject, root: string): FieldReason {
  const at = fieldPath(root, error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const field = child(at, String(params['missingProperty']));
      return { field, reason: `${field}: is required` };
    }
    case 'type':
      return { field: at, reason: `${at}: must be ${typeName(params['type'])}` };
    case 'enum':
      return {
        field: at,
        reason: `${at}: must be one of ${(params['allowedValues'] as unknown[]).map(String).join(', ')}`,
      };
    case 'const':
      return { field: at, reason: `${at}: must be ${JSON.stringify(params['allowedValue'])}` };
    case 'format': {
      const format = String(params['format']);
      return { field: at, reason: `${at}: must be ${FORMAT_NAMES[format] ?? `in ${format} format`}` };
    }
    case 'minLength':
      return {
        field: at,
        reason:
          params['limit'] === 1
            ? `${at}: must not be empty`
            : `${at}: must be at least ${String(params['limit'])} characters`,
      };
    case 'maxLength':
      return { field: at, reason: `${at}: must be at most ${String(params['limit'])} characters` };
    case 'minItems':
      return { field: at, reason: `${at}: must have at least ${String(params['limit'])} items` };
    case 'maxItems':
      return { field: at, reason: `${at}: must have at most ${String(params['limit'])} items` };
    default:
      return { field: at, reason: `${at}: ${error.message ?? 'is invalid'}` };
  }
}

/**
 * A value matched no branch of an `anyOf`. When a branch got past the value's own shape (an
 * array whose second item is not a string), that branch fits best: report its error. Otherwise
 * combine the branches: `data.credentialId: is required (or data.nhiId)`, `data.deployedTo: must
 * be a string or an array`.
 */
function unionReason(branches: readonly ErrorObject[], union: ErrorObject, root: string): FieldReason {
  const deeper = branches.find((e) => e.instancePath.length > union.instancePath.length);
  if (deeper) return single(deeper, root);
  const at = fieldPath(root, union.instancePath);
  if (branches.length > 0 && branches.every((e) => e.keyword === 'required')) {
    const [field, ...others] = branches.map((e) =>
      child(at, String((e.params as Record<string, unknown>)['missingProperty'])),
    );
    return { field: field!, reason: `${field!}: is required (or ${others.join(', or ')})` };
  }
  if (branches.length > 0 && branches.every((e) => e.keyword === 'type')) {
    const names = branches.map((e) => typeName((e.params as Record<string, unknown>)['type']));
    return { field: at, reason: `${at}: must be ${names.join(' or ')}` };
  }
  return branches[0] ? single(branches[0], root) : { field: at, reason: `${at}: is invalid` };
}

function typeName(type: unknown): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  return types.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(' or ');
}

/** `/grants/0/level` under `data` → `data.grants[0].level`; JSON Pointer escapes undone. */
export function fieldPath(root: string, instancePath: string): string {
  let path = root;
  if (instancePath === '') return path;
  for (const raw of instancePath.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^\d+$/.test(segment) ? `${path}[${segment}]` : child(path, segment);
  }
  return path;
}

function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}
