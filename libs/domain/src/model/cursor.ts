import { badInput } from '../errors/domain-error';

/**
 * Opaque pagination cursors: base64url of a JSON array of the sort key of the last item seen.
 * Every store pages by a total order (a key plus a unique tie-breaker), so a cursor never skips
 * or repeats an item when rows are added meanwhile.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number, field = 'after'): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput(field, 'is not a cursor this API returned');
  }
  if (!Array.isArray(parsed) || parsed.length !== arity || !parsed.every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw badInput(field, 'is not a cursor this API returned');
  }
  return parsed;
}
