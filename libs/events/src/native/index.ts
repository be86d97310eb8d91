import { decodeCloudTrail, isCloudTrailRecord } from './cloudtrail-decoder';
import { decodeEntraAudit, isEntraRecord } from './entra-audit-decoder';
import { decodeGcpAudit, isGcpAuditRecord } from './gcp-audit-decoder';
import { decodeGithubAudit, isGithubAuditEntry } from './github-audit-decoder';
import { decodeGithubWebhook, isGithubWebhook, namesGithubEvent } from './github-webhook-decoder';
import { decodeGitlabAudit, isGitlabAuditEvent } from './gitlab-audit-decoder';
import { decodeGitlabWebhook, isGitlabWebhook } from './gitlab-webhook-decoder';
import { decodeK8sAudit, isK8sAuditRecord } from './k8s-audit-decoder';
import type { NativeDecoded, NativeFormat, NativeHint } from './native-format';
import { isNativeFormat } from './native-format';
import type { JsonObject, NativeDecoder } from './native-helpers';
import { NativeDecodeError, isObject } from './native-helpers';
import { decodeOktaSystemLog, isOktaRecord } from './okta-systemlog-decoder';
import { decodeScim, isScimMessage } from './scim-decoder';

export type { NativeDecodeResult, NativeDecoded, NativeFormat } from './native-format';
export { NATIVE_FORMATS, isNativeFormat } from './native-format';

type Headers = Readonly<Record<string, string>>;

const DECODERS: { readonly [F in NativeFormat]: NativeDecoder } = {
  'aws.cloudtrail': decodeCloudTrail,
  'gcp.auditlog': decodeGcpAudit,
  'azure.entra': decodeEntraAudit,
  'okta.systemlog': decodeOktaSystemLog,
  'k8s.audit': decodeK8sAudit,
  'github.webhook': decodeGithubWebhook,
  'github.audit': decodeGithubAudit,
  'gitlab.webhook': decodeGitlabWebhook,
  'gitlab.audit': decodeGitlabAudit,
  scim: decodeScim,
};

/**
 * Log types a security data lake (Panther) stamps on the records it exports, in `p_log_type`: the
 * exporter's own word for the format, so it decides before any shape does.
 */
const VENDOR_LOG_TYPES: Readonly<Record<string, NativeFormat>> = {
  'AWS.CloudTrail': 'aws.cloudtrail',
  'GCP.AuditLog': 'gcp.auditlog',
  'Azure.Audit': 'azure.entra',
  'Microsoft365.Audit.AzureActiveDirectory': 'azure.entra',
  'Okta.SystemLog': 'okta.systemlog',
  'Amazon.EKS.Audit': 'k8s.audit',
  'GitHub.Audit': 'github.audit',
  'GitHub.Webhook': 'github.webhook',
  'GitLab.Audit': 'gitlab.audit',
};

/**
 * Detection, most specific first: a vendor's log type; then formats that carry a marker of their
 * own (SCIM's schema URNs, a Kubernetes audit `kind`, a webhook's event header); then the ones
 * recognised by field shape. GitHub webhooks without their header come last: their shape is the
 * least distinctive. A canonical CloudEvent matches none of them.
 */
const DETECTORS: readonly (readonly [NativeFormat, (record: JsonObject, headers: Headers) => boolean])[] = [
  ...Object.entries(VENDOR_LOG_TYPES).map(
    ([logType, format]) => [format, (record: JsonObject) => record['p_log_type'] === logType] as const,
  ),
  ['scim', isScimMessage],
  ['k8s.audit', isK8sAuditRecord],
  ['github.webhook', namesGithubEvent],
  ['gitlab.webhook', isGitlabWebhook],
  ['aws.cloudtrail', isCloudTrailRecord],
  ['gcp.auditlog', isGcpAuditRecord],
  ['okta.systemlog', isOktaRecord],
  ['azure.entra', isEntraRecord],
  ['gitlab.audit', isGitlabAuditEvent],
  ['github.audit', isGithubAuditEntry],
  ['github.webhook', isGithubWebhook],
];

/** The native format `value` is in, or null when it is none we know. Never throws. */
export function detectNativeFormat(value: unknown): NativeFormat | null {
  return isObject(value) ? detect(value, {}) : null;
}

/**
 * Decode a native record into canonical events. `hint.format` skips detection; `hint.headers`
 * carries what travels beside a webhook body (`x-github-event`, `x-github-delivery`, `date`…).
 * Returns null when `value` is not any native format we know (the caller then treats it as
 * canonical), a rejection naming the field when it is one but cannot be decoded, and never throws.
 */
export function decodeNative(
  value: unknown,
  hint?: { format?: NativeFormat; headers?: Record<string, string> },
): NativeDecoded | null {
  const given: NativeHint = hint ?? {};
  if (given.format !== undefined && !isNativeFormat(given.format)) {
    return { ok: false, reason: 'hint.format: is not a native format', field: 'hint.format', format: null };
  }
  // The hot path: a canonical CloudEvent is no native record; say so before any other work.
  if (given.format === undefined && isCanonicalCloudEvent(value)) return null;
  const headers = lowerCaseHeaders(given.headers);
  const format = given.format ?? (isObject(value) ? detect(value, headers) : null);
  if (format === null) return null;
  if (!isObject(value)) return { ok: false, reason: 'the record must be a JSON object', field: null, format };
  try {
    return { ok: true, value: { format, events: DECODERS[format](value, { headers }) } };
  } catch (error) {
    if (error instanceof NativeDecodeError) return { ok: false, reason: error.message, field: error.field, format };
    // A record shaped to defeat a decoder (a cycle, a getter that throws) is rejected, not thrown.
    return { ok: false, reason: 'the record could not be decoded', field: null, format };
  }
}

function detect(record: JsonObject, headers: Headers): NativeFormat | null {
  if (isCanonicalCloudEvent(record)) return null;
  try {
    return DETECTORS.find(([, matches]) => matches(record, headers))?.[0] ?? null;
  } catch {
    return null;
  }
}

/** A CloudEvents envelope (it names its `specversion`): canonical, whatever else it holds. */
function isCanonicalCloudEvent(value: unknown): boolean {
  return isObject(value) && Object.prototype.hasOwnProperty.call(value, 'specversion');
}

/** Header names are case-insensitive; the decoders read them lower-cased. Non-string values are dropped. */
function lowerCaseHeaders(headers: Record<string, string> | undefined): Headers {
  const out: Record<string, string> = {};
  if (!isObject(headers)) return out;
  for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') out[name.toLowerCase()] = value;
  return out;
}
