import type { AttributeValue } from '@lineage/domain';
import { int, isInt } from 'neo4j-driver';

/**
 * Values across the driver boundary. JavaScript numbers travel as Cypher FLOATs unless wrapped,
 * so every integral number (epoch milliseconds, counters, sequence numbers) is sent as an
 * INTEGER; the driver runs with `disableLosslessIntegers`, so integers come back as numbers, but
 * the readers here also accept the driver's `Integer` objects (a driver configured otherwise,
 * and the unit tests, produce them).
 */

/** Parameters for a query: integral numbers become Cypher INTEGERs, recursively through lists and maps. */
export function toCypher(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? int(value) : value;
  if (Array.isArray(value)) return value.map(toCypher);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = toCypher(item);
    return out;
  }
  return value;
}

/** `toCypher` for a whole parameter map. */
export function params(map: Record<string, unknown>): Record<string, unknown> {
  return toCypher(map) as Record<string, unknown>;
}

/** A stored value that does not have the shape the adapter wrote: a corrupt or foreign database. */
export class StoredValueError extends Error {
  constructor(what: string, value: unknown) {
    super(`stored ${what} has an unexpected value: ${describe(value)}`);
    this.name = 'StoredValueError';
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value;
}

export function readNumber(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  if (isInt(value)) return value.toNumber();
  throw new StoredValueError(what, value);
}

export function readNullableNumber(value: unknown, what: string): number | null {
  return value === null || value === undefined ? null : readNumber(value, what);
}

export function readString(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  throw new StoredValueError(what, value);
}

export function readNullableString(value: unknown, what: string): string | null {
  return value === null || value === undefined ? null : readString(value, what);
}

export function readBoolean(value: unknown, what: string): boolean {
  if (typeof value === 'boolean') return value;
  throw new StoredValueError(what, value);
}

export function readStringList(value: unknown, what: string): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new StoredValueError(what, value);
}

/** An attribute as the domain holds it. An absent property is an attribute that was cleared (null). */
export function readAttribute(value: unknown, what: string): AttributeValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (isInt(value)) return value.toNumber();
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new StoredValueError(what, value);
}
