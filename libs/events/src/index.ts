/**
 * Canonical event contracts and transforms: bytes → validated CloudEvents → graph facts.
 * Native formats (CloudTrail, Okta, …) are decoded into canonical events by `./native`.
 */
export { CANONICAL_EVENT_TYPES, isCanonicalEventType } from './contracts/canonical-event-types';
export type { CanonicalEventType } from './contracts/canonical-event-types';
export { DATA_SCHEMAS, Envelope } from './contracts/canonical-event';
export type { CanonicalEvent, CanonicalEventData, CanonicalEventOf } from './contracts/canonical-event';
export { FIELD_LIMITS } from './contracts/common.schema';
export type { Decoded, Rejection } from './contracts/decoded';
export { EMPLOYMENT_TYPES } from './hr/hr-events.schema';
export { MAX_EVENT_BYTES, checkSize, parseJson } from './decoding/json-decoder';
export { fromHttpBinary } from './decoding/http-binary-decoder';
export type { HttpHeaders } from './decoding/http-binary-decoder';
export { validateCanonical } from './validation/canonical-validator';
export { parseRfc3339, toEpochMs } from './validation/rfc3339';
export { findSecret, locateSecret, looksLikeFingerprint, secretRule, SECRET_REASON, SECRET_RULES } from './secrets/secret-detector';
export { REDACTED, redactSecrets } from './secrets/secret-redaction';
export type { SecretFinding, SecretRule } from './secrets/secret-detector';
export { transformEvent } from './transform/event-transformer';
export { decodeNative, detectNativeFormat } from './native';
export type { NativeDecoded, NativeDecodeResult, NativeFormat } from './native';
// Native formats (CloudTrail, GCP audit, Entra, Okta, Kubernetes, GitHub, GitLab, SCIM) → canonical events.
export * from './native';
