/**
 * The native (vendor) formats the decoders understand, and what a decoding yields. A native
 * record is decoded into zero or more canonical CloudEvents (plain objects); those then pass the
 * canonical validator like any other event.
 */

export const NATIVE_FORMATS = [
  'aws.cloudtrail',
  'gcp.auditlog',
  'azure.entra',
  'okta.systemlog',
  'k8s.audit',
  'github.webhook',
  'github.audit',
  'gitlab.webhook',
  'gitlab.audit',
  'scim',
] as const;

export type NativeFormat = (typeof NATIVE_FORMATS)[number];

export interface NativeDecodeResult {
  format: NativeFormat;
  /** Canonical events (plain objects) this record yields; [] when the record is recognised but says nothing
   *  the graph keeps (e.g. a read-only API call). */
  events: Record<string, unknown>[];
}

export type NativeDecoded =
  | { ok: true; value: NativeDecodeResult }
  | { ok: false; reason: string; field: string | null; format: NativeFormat | null };

/** What travels with a record besides its body: HTTP headers (lower-cased names), when there are any. */
export interface NativeHint {
  format?: NativeFormat;
  headers?: Record<string, string>;
}

export function isNativeFormat(value: unknown): value is NativeFormat {
  return typeof value === 'string' && (NATIVE_FORMATS as readonly string[]).includes(value);
}
