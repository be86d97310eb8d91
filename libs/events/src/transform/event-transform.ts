import type { CanonicalEventData } from '../contracts/canonical-event';
import type { CanonicalEventType } from '../contracts/canonical-event-types';
import type { FactBuilder } from './fact-builder';

/** What a transform says about its event besides the facts. */
export interface TransformResult {
  /** The event's main id (personId, nhiId, credentialId…): its subject when the envelope has none. */
  readonly subjectId: string;
  /** One line for timelines, built from ids and labels only (never a secret: see secret-detector.ts). */
  readonly summary: string;
}

/** A pure function from one type's validated `data` to graph facts (written into `facts`). */
export type EventTransform<K extends CanonicalEventType> = (
  data: CanonicalEventData[K],
  facts: FactBuilder,
) => TransformResult;

/** The transforms of a family of types, one per type. */
export type EventTransforms<K extends CanonicalEventType> = { readonly [T in K]: EventTransform<T> };

/** ` (a, b)` for the parts that are present, or nothing. */
export function details(...parts: ReadonlyArray<string | false | null | undefined>): string {
  const present = parts.filter((part): part is string => typeof part === 'string' && part.length > 0);
  return present.length === 0 ? '' : ` (${present.join(', ')})`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
