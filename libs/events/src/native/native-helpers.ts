import { createHash } from 'node:crypto';
import type { AccessLevel, Environment, NodeKind } from '@lineage/domain';
import { NODE_KINDS, levelRank } from '@lineage/domain';
import type { CanonicalEventType } from '../contracts/canonical-event-types';
import { parseRfc3339 } from '../validation/rfc3339';
import type { NativeFormat } from './native-format';

/**
 * What every native decoder needs: tolerant field access (vendor exports lower-case keys and
 * rename `@type` to `at_sign_type`), time normalisation to RFC 3339, namespaced node ids,
 * idempotent event ids, kind mapping, and the canonical envelope. Decoders are pure functions
 * that throw `NativeDecodeError` for a recognised but malformed record; `decodeNative` turns
 * that into a rejection, so nothing escapes the folder as an exception.
 */

export type JsonObject = Record<string, unknown>;

/** Headers with lower-cased names, as the decoders see them. */
export interface DecodeContext {
  readonly headers: Readonly<Record<string, string>>;
}

/** A decoder: a recognised record in, its canonical events out (or a `NativeDecodeError`). */
export type NativeDecoder = (record: JsonObject, context: DecodeContext) => Record<string, unknown>[];

export class NativeDecodeError extends Error {
  constructor(
    readonly field: string | null,
    readonly detail: string,
  ) {
    super(field === null ? detail : `${field}: ${detail}`);
    this.name = 'NativeDecodeError';
  }
}

export function fail(field: string | null, detail: string): never {
  throw new NativeDecodeError(field, detail);
}

// ---------------------------------------------------------------------------------------------
// Field access
// ---------------------------------------------------------------------------------------------

/** A dotted path (`requestParameters.userName`) or, for keys that contain dots, an array of keys. */
export type FieldPath = string | readonly string[];

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function pathName(path: FieldPath): string {
  return typeof path === 'string' ? path : path.join('.');
}

/**
 * One key of an object: the exact key first, then the same key in any case (some exports lower-case
 * every key: `eventname`, `protopayload`), then `@x` as `at_sign_x` (a vendor's rename).
 */
function member(value: JsonObject, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(value, key)) return value[key];
  const lower = key.toLowerCase();
  const alias = key.startsWith('@') ? `at_sign_${lower.slice(1)}` : null;
  for (const candidate of Object.keys(value)) {
    const folded = candidate.toLowerCase();
    if (folded === lower || folded === alias) return value[candidate];
  }
  return undefined;
}

export function at(value: unknown, path: FieldPath): unknown {
  const keys = typeof path === 'string' ? path.split('.') : path;
  let current = value;
  for (const key of keys) {
    if (Array.isArray(current) && /^\d+$/.test(key)) current = (current as unknown[])[Number(key)];
    else if (isObject(current)) current = member(current, key);
    else return undefined;
  }
  return current;
}

/** A non-empty string (trimmed) at `path`; numbers become their decimal text (numeric ids). */
export function text(value: unknown, path: FieldPath): string | undefined {
  return asText(at(value, path));
}

export function asText(found: unknown): string | undefined {
  if (typeof found === 'string') {
    const trimmed = found.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof found === 'number' && Number.isFinite(found)) return String(found);
  return undefined;
}

/** A string the decoder cannot do without: its absence rejects the record, naming the field. */
export function need(value: unknown, path: FieldPath): string {
  return text(value, path) ?? fail(pathName(path), 'is required');
}

export function objectAt(value: unknown, path: FieldPath): JsonObject | undefined {
  const found = at(value, path);
  return isObject(found) ? found : undefined;
}

export function listAt(value: unknown, path: FieldPath): unknown[] {
  const found = at(value, path);
  return Array.isArray(found) ? (found as unknown[]) : [];
}

/** `true`/`false`, also when sent as text (`"True"`, `"false"`). */
export function flag(value: unknown, path: FieldPath): boolean | undefined {
  const found = at(value, path);
  if (typeof found === 'boolean') return found;
  if (typeof found === 'string') {
    const folded = found.trim().toLowerCase();
    if (folded === 'true') return true;
    if (folded === 'false') return false;
  }
  return undefined;
}

/** The first of several paths that holds text (formats rename fields between versions). */
export function firstText(value: unknown, paths: readonly FieldPath[]): string | undefined {
  for (const path of paths) {
    const found = text(value, path);
    if (found !== undefined) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

/** RFC 3339 and its common relaxations: a space for `T`, no zone (UTC), ` UTC`, `+0200`, a date alone. */
const LOOSE_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?)?\s*(Z|z|UTC|GMT|[+-]\d{2}:?\d{2})?$/;
/** RFC 7231 IMF-fixdate, as in an HTTP `Date` header. */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const EPOCH_TEXT = /^\d{9,16}(?:\.\d+)?$/;
/** 9999-12-31T23:59:59.999Z: the last instant RFC 3339 can write. */
const MAX_TIME = 253402300799999;
/** Below this an epoch number is taken as seconds, above as milliseconds (1e11 s is year 5138). */
const SECONDS_BELOW = 1e11;

/**
 * An event time as RFC 3339 in UTC with milliseconds (`2024-06-02T19:41:40.000Z`). Accepts RFC 3339,
 * CloudTrail's and GitLab's `YYYY-MM-DD HH:MM:SS[.fffffffff][ UTC| +0200]`, a bare date, an HTTP
 * date and epoch seconds or milliseconds (number or digits). Anything else rejects the record.
 */
export function normaliseTime(value: unknown, field: string): string {
  const ms = epochMsOf(value);
  if (ms === null) fail(field, value === undefined || value === null ? 'is required' : 'is not a recognised date-time');
  return new Date(ms).toISOString();
}

export function optionalTime(value: unknown, field: string): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : normaliseTime(value, field);
}

function epochMsOf(value: unknown): number | null {
  let ms: number | null = null;
  if (typeof value === 'number' && Number.isFinite(value)) {
    ms = Math.abs(value) < SECONDS_BELOW ? value * 1000 : value;
  } else if (typeof value === 'string') {
    const trimmed = value.trim();
    if (EPOCH_TEXT.test(trimmed)) return epochMsOf(Number(trimmed));
    if (HTTP_DATE.test(trimmed)) ms = Date.parse(trimmed);
    else ms = looseDateTimeMs(trimmed);
  }
  if (ms === null || !Number.isFinite(ms) || ms < 0 || ms > MAX_TIME) return null;
  return Math.floor(ms);
}

function looseDateTimeMs(value: string): number | null {
  const match = LOOSE_DATE_TIME.exec(value);
  if (!match) return null;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction, zone] = match;
  let offset = 'Z';
  if (zone !== undefined && /^[+-]/.test(zone)) {
    const digits = zone.replace(':', '');
    offset = `${digits.slice(0, 3)}:${digits.slice(3)}`;
  }
  const fractionPart = fraction === undefined ? '' : `.${fraction.slice(0, 9)}`;
  // One RFC 3339 parser (the canonical validator's) decides what is a valid date-time.
  return parseRfc3339(`${year}-${month}-${day}T${hour}:${minute}:${second}${fractionPart}${offset}`);
}

// ---------------------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------------------

/** A namespaced node id: `<kind prefix>:<platform>:<platform's own key>` (`nhi:gcp:sa@p.iam.gserviceaccount.com`). */
export function nodeId(kind: Exclude<NodeKind, 'Person'>, platform: string, key: string): string {
  return `${NODE_KINDS[kind].idPrefix}:${platform}:${key}`;
}

/** A human, keyed by e-mail address or login, lower-cased (both are case-insensitive where they come from). */
export function personId(emailOrLogin: string): string {
  return `${NODE_KINDS.Person.idPrefix}:${emailOrLogin.trim().toLowerCase()}`;
}

/** A display name as an id segment, the way GitHub derives app slugs: `Datadog CI` → `datadog-ci`. */
export function slug(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function looksLikeEmail(value: string | undefined): value is string {
  return value !== undefined && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);
}

/** Deeper than this a record is not a log line but an attack on the decoder. */
const MAX_DEPTH = 64;

/**
 * An id for a record whose format has no unique event id (SCIM requests, webhooks delivered without
 * their delivery header): a hash of its content, so a redelivery gets the same id. A vendor's
 * top-level `p_*` enrichment fields (added per delivery) are left out of the hash.
 */
export function contentId(record: JsonObject, extra: readonly string[] = []): string {
  const hash = createHash('sha256');
  for (const part of extra) hash.update(`${part}\u0000`);
  hash.update(stableJson(record, 0, true));
  return `sha256:${hash.digest('hex').slice(0, 32)}`;
}

function stableJson(value: unknown, depth: number, top = false): string {
  if (depth > MAX_DEPTH) fail(null, `the record is nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return `[${value.map((item) => stableJson(item, depth + 1)).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((key) => !(top && key.startsWith('p_')))
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(value[key], depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The canonical `source`: the format, then the tenant the record belongs to when it names one. */
export function sourceOf(format: NativeFormat, tenant?: string): string {
  return tenant === undefined ? format : `${format}/${tenant}`;
}

// ---------------------------------------------------------------------------------------------
// Kind mapping
// ---------------------------------------------------------------------------------------------

const STAGING_WORDS = new Set(['staging', 'stage', 'stg', 'preprod', 'uat']);
const PROD_WORDS = new Set(['prod', 'production', 'prd', 'live']);
const DEV_WORDS = new Set([
  'dev',
  'development',
  'develop',
  'test',
  'testing',
  'qa',
  'sandbox',
  'sbx',
  'local',
  'preview',
  'review',
  'nonprod',
]);

/** `production`, `prod-eu`, `my-app-staging`… → an environment; unknown names → undefined. */
export function environmentOf(name: string | undefined): Environment | undefined {
  if (name === undefined) return undefined;
  const words = name
    .toLowerCase()
    .replace(/non-prod/g, 'nonprod')
    .replace(/pre-prod/g, 'preprod')
    .split(/[^a-z0-9]+/);
  if (words.some((word) => DEV_WORDS.has(word))) return 'dev';
  if (words.some((word) => STAGING_WORDS.has(word))) return 'staging';
  if (words.some((word) => PROD_WORDS.has(word))) return 'prod';
  return undefined;
}

/** Whole words (camelCase split) that grant control: wildcards, ownership, administration, RBAC escalation. */
const ADMIN_WORDS = /(^|[^a-z])(\*|admin|administrator|administration|owner|escalate|bind|impersonate)([^a-z]|$)/i;
/** Permissions that let the holder become someone else or change who holds what. */
const ADMIN_PARTS = /(tokencreator|serviceaccountuser|setiampolicy|useraccessadministrator)/i;
const WRITE_PARTS =
  /(contributor|creat|update|patch|delete|write|put|push|deploy|edit|modify|writer|developer|publisher|invoker|maintain)/i;

/**
 * The level a permission word grants: verbs (`create`, `*`), role names (`roles/editor`,
 * `roles/iam.serviceAccountTokenCreator`, `Contributor`) or access names (`write`). Impersonation
 * counts as admin.
 */
export function levelOfWord(word: string): AccessLevel {
  const spaced = word.replace(/([a-z])([A-Z])/g, '$1 $2');
  if (ADMIN_WORDS.test(spaced) || ADMIN_PARTS.test(word)) return 'admin';
  if (WRITE_PARTS.test(word)) return 'write';
  return 'read';
}

export function strongestLevel(levels: readonly AccessLevel[]): AccessLevel {
  return levels.reduce<AccessLevel>((best, level) => (levelRank(level) > levelRank(best) ? level : best), 'read');
}

// ---------------------------------------------------------------------------------------------
// Canonical events
// ---------------------------------------------------------------------------------------------

/** One canonical event a record yields, before it gets its envelope. */
export interface EventDraft {
  readonly type: CanonicalEventType;
  /** The entity the event is about; Kafka keys by it, so one entity's events stay ordered. */
  readonly subject: string;
  readonly data: Record<string, unknown>;
}

export function draft(type: CanonicalEventType, subject: string, data: Record<string, unknown>): EventDraft {
  return { type, subject, data };
}

export interface NativeEnvelope {
  /** The native unique event id. */
  readonly id: string;
  readonly source: string;
  /** RFC 3339 (from `normaliseTime`). */
  readonly time: string;
}

/**
 * CloudEvents 1.0 structured events. When a record yields several, each id gets a `#n` suffix
 * (`<eventID>#1`, `<eventID>#2`) so that `source`+`id` stays unique and redelivery idempotent.
 * Undefined data fields are dropped.
 */
export function canonicalEvents(envelope: NativeEnvelope, drafts: readonly EventDraft[]): Record<string, unknown>[] {
  return drafts.map((item, index) => ({
    specversion: '1.0',
    id: drafts.length > 1 ? `${envelope.id}#${index + 1}` : envelope.id,
    source: envelope.source,
    type: item.type,
    time: envelope.time,
    subject: item.subject,
    data: compact(item.data),
  }));
}

function compact(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value)
      ? value.map((item: unknown) => (isObject(item) ? compact(item) : item))
      : isObject(value)
        ? compact(value)
        : value;
  }
  return out;
}

/**
 * A grant scoped to one resource, as the graph models it: a role of its own (`roleId`, defined with
 * that one grant, so `blastRadius` reaches the resource) and the principal holding it.
 */
export function scopedGrant(grant: {
  principalId: string;
  roleId: string;
  roleName: string;
  resourceId: string;
  level: AccessLevel;
  actions?: readonly string[];
}): EventDraft[] {
  return [
    draft('iam.role.defined', grant.roleId, {
      roleId: grant.roleId,
      name: grant.roleName,
      grants: [{ resourceId: grant.resourceId, actions: grant.actions, level: grant.level }],
    }),
    draft('iam.role.granted', grant.principalId, { principalId: grant.principalId, roleId: grant.roleId }),
  ];
}
