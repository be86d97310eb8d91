import { badInput } from '../errors/domain-error';
import type { Page } from './graph-types';

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

/**
 * A page from rows fetched with `LIMIT first + 1` (the extra row only says there is more),
 * with a cursor for every item built from its sort key.
 */
export function pageOf<T>(
  rows: readonly T[],
  first: number,
  keyOf: (item: T) => readonly (string | number)[],
  totalCount: number,
): Page<T> {
  const items = rows.slice(0, first);
  const cursors = items.map((item) => encodeCursor(keyOf(item)));
  return { items, cursors, totalCount, endCursor: cursors[cursors.length - 1] ?? null, hasNextPage: rows.length > first };
}

/** The same page with its items mapped (cursors stay with their items). */
export function mapPage<T, U>(page: Page<T>, map: (item: T) => U): Page<U> {
  return { ...page, items: page.items.map(map) };
}

/**
 * A timeline pages by event time, then by the event's source and id (its idempotency key): an
 * order every store, and every replay of the same events, gives alike — unlike arrival order.
 */
export type TimelineKey = readonly [time: number, source: string, eventId: string];

export function timelineKey(entry: { readonly time: number; readonly source: string; readonly eventId: string }): TimelineKey {
  return [entry.time, entry.source, entry.eventId];
}

export function decodeTimelineCursor(cursor: string, field = 'after'): TimelineKey {
  const [time, source, eventId] = decodeCursor(cursor, 3, field);
  if (typeof time !== 'number' || typeof source !== 'string' || typeof eventId !== 'string') {
    throw badInput(field, 'is not a cursor this API returned');
  }
  return [time, source, eventId];
}
