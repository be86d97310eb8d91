import type { ValidationError } from 'class-validator';
import { DomainError } from '@lineage/domain';

/**
 * The global ValidationPipe's errors as BAD_USER_INPUT naming the argument: the first failed
 * constraint of the first invalid argument (`first must not be less than 1`, field `first`).
 */
export function validationErrorFactory(errors: ValidationError[]): DomainError {
  const first = firstLeaf(errors);
  if (!first) return new DomainError('BAD_USER_INPUT', 'invalid arguments');
  const message = Object.values(first.error.constraints ?? {})[0] ?? `${first.path} is invalid`;
  return new DomainError('BAD_USER_INPUT', message, first.path);
}

function firstLeaf(errors: readonly ValidationError[], prefix = ''): { error: ValidationError; path: string } | null {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints && Object.keys(error.constraints).length > 0) return { error, path };
    const nested = firstLeaf(error.children ?? [], path);
    if (nested) return nested;
  }
  return null;
}
