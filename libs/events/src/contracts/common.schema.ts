import type { TString, TUnion, TArray, TUnsafe } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

/**
 * Building blocks shared by every event contract. Every string is bounded: an event is at most
 * 256 KiB, but a bound per field keeps one value from filling the graph or a log line.
 */
export const FIELD_LIMITS = {
  /** Node ids: namespaced and stable (`nhi:aws:arn:aws:iam::123456789012:role/deployer`); ARNs reach 2048. */
  id: 2048,
  name: 256,
  /** RFC 5321 caps an address at 254 characters in practice, 320 in theory. */
  email: 320,
  /** Free text: a purpose, a leaving reason, an action name. */
  text: 1024,
  /** Short classifiers: a platform, a department, a store kind. */
  label: 128,
  /** Entries of a list of ids (secrets a pipeline used, a role's grants). */
  listItems: 1000,
} as const;

/** A node id. Non-empty; the transforms use it exactly as sent. */
export const Id = Type.String({ minLength: 1, maxLength: FIELD_LIMITS.id });
export const Name = Type.String({ minLength: 1, maxLength: FIELD_LIMITS.name });
export const Label = Type.String({ minLength: 1, maxLength: FIELD_LIMITS.label });
export const Text = Type.String({ minLength: 1, maxLength: FIELD_LIMITS.text });
export const Email = Type.String({ format: 'email', maxLength: FIELD_LIMITS.email });
/** An RFC 3339 date-time (`date-time` is served by `parseRfc3339`, see canonical-validator.ts). */
export const DateTime = Type.String({ format: 'date-time', maxLength: 64 });

/** A list of ids, or a single id (producers send either; transforms read both through `idList`). */
export const IdOrIds: TUnion<[TString, TArray<TString>]> = Type.Union([
  Id,
  Type.Array(Id, { maxItems: FIELD_LIMITS.listItems }),
]);

/**
 * A string enum derived from one of the domain's `as const` lists, as a plain JSON-Schema `enum`
 * (TypeBox's literal unions compile to `anyOf`, whose errors name no allowed value).
 */
export function StringEnum<const T extends readonly string[]>(values: T): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}

/** `IdOrIds` as a list: absent → [], one id → [id]; duplicates removed, first occurrence wins. */
export function idList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...new Set(value)];
}
