/**
 * Secret values are never accepted: an event carries identifiers and fingerprints, never the
 * secret. This detector finds string values that look like secrets so that the validator can
 * reject the event (naming the field, never echoing the value).
 *
 * Three kinds of evidence, strongest first:
 *  1. the value's shape, whatever the field: a PEM private key, a provider token with a
 *     documented prefix (GitHub, GitLab, Slack, Stripe, Google), a JWT;
 *  2. the field's name: a field named like a password, a secret, a private key or a token holds
 *     a secret unless its value is a redaction or a reference to a secret store; a field named
 *     like a key or a value holds one when the value is long and high-entropy (an AWS secret
 *     access key is the classic case);
 *  3. a `fingerprint` field must look like a fingerprint (`SHA256:…`, hex, colon-separated hex,
 *     a UUID or an access key id); anything else is treated as the secret sent by mistake.
 */

export const SECRET_RULES = [
  'private-key',
  'github-token',
  'gitlab-token',
  'slack-token',
  'stripe-key',
  'google-api-key',
  'jwt',
  'aws-secret-key',
  'secret-field',
  'high-entropy',
  'not-a-fingerprint',
  /** Not a secret: a value nested too deep to be checked, which is refused for that reason. */
  'too-deep',
] as const;
export type SecretRule = (typeof SECRET_RULES)[number];

export interface SecretFinding {
  /** Where the value is, in the validator's notation: `data.grants[0].token`. */
  readonly path: string;
  readonly rule: SecretRule;
}

/** The rejection reason, after the path. It never contains the value. */
export const SECRET_REASON = 'looks like a secret value; send a fingerprint, never the secret';

/** How deep `findSecret` looks. Canonical data nests four levels at most; anything deeper is refused. */
export const MAX_SCAN_DEPTH = 32;

/** Shape patterns, as one alternation so each string is scanned once; group i ↔ SHAPE_RULES[i]. */
const SHAPE_PATTERNS: ReadonlyArray<readonly [SecretRule, string]> = [
  // PEM: RSA, EC, DSA, OPENSSH, ENCRYPTED and PKCS#8 private keys, PGP private key blocks.
  ['private-key', String.raw`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----`],
  // GitHub: classic PATs, OAuth, user-to-server, server-to-server and refresh tokens; fine-grained PATs.
  ['github-token', String.raw`\bgh[pousr]_[A-Za-z0-9]{36,251}\b`],
  ['github-token', String.raw`\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b`],
  ['gitlab-token', String.raw`\bglpat-[A-Za-z0-9_-]{20,}`],
  ['slack-token', String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`],
  ['stripe-key', String.raw`\b[sr]k_live_[A-Za-z0-9]{16,}`],
  ['google-api-key', String.raw`\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])`],
  // header.payload.signature, both JSON objects in base64url (`{"` → `eyJ`); an unsigned one too.
  ['jwt', String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`],
];
const SHAPES = new RegExp(SHAPE_PATTERNS.map(([, source]) => `(${source})`).join('|'));
/** The shortest string any shape pattern can match (`xoxb-` and ten characters). */
const SHORTEST_SHAPE = 15;

/** Field names (lower case, without `_` and `-`) that always hold a secret. */
const SECRET_FIELD =
  /(?:password|passwd|passphrase|pwd|secret|secretvalue|secretkey|secretaccesskey|privatekey|token|apikey|authorization|cookie)s?$/;
/** Field names that hold a secret when the value is long and high-entropy. */
const KEYISH_FIELD = /(?:key|value|credential|signature)$/;
/** Field names that name or describe something rather than hold it (`tokenId`, `secretName`, `publicKey`). */
const DESCRIPTIVE_FIELD =
  /(?:id|ids|name|names|kind|type|types|path|url|uri|ref|arn|count|length|version|format|algorithm|usage|policy|location|store|fingerprint|hash|publickey|expiresat|createdat|rotatedat|at)$/;
const FINGERPRINT_FIELD = /fingerprint$/;

/** A redaction, not a value: `***`, `REDACTED`, `<masked>`, `xxxxxxxx`. */
const REDACTED = /^(?:[-*x•#.]+|[<[(]?(?:redacted|masked|hidden|removed|omitted|sensitive)[>\])]?)$/i;
/** A reference to where the secret lives, not the secret itself. */
const SECRET_REFERENCE =
  /^(?:arn:aws[\w-]*:(?:secretsmanager|ssm|kms):|vault:|op:\/\/|projects\/[^/\s]+\/secrets\/|https:\/\/[\w-]+\.vault\.azure\.net\/|\$\{\{\s*[\w.-]+\s*\}\}$|\$\{[\w.-]+\}$|(?:env|secret|store|cred|kv):)/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** AWS: a secret access key is 40 characters of base64 (no padding). */
const AWS_SECRET_KEY = /^[A-Za-z0-9/+]{40}$/;
/** AWS access key ids (an identifier, safe to send): `AKIA…`, `ASIA…` and the other unique-id prefixes. */
const AWS_KEY_ID = /^(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}$/;
const FINGERPRINT_FORMS = [
  /^(?:sha1|sha224|sha256|sha384|sha512|md5):[A-Za-z0-9+/=_-]{16,172}$/i,
  /^[0-9a-f]{16,128}$/i,
  /^[0-9a-f]{2}(?::[0-9a-f]{2}){7,63}$/i,
  UUID,
  AWS_KEY_ID,
];

/** What a field's name says about its values; computed once per name. */
type FieldClass = 'plain' | 'descriptive' | 'fingerprint' | 'secret' | 'keyish' | 'secret-named';

/** Why `value` (found in a field named `fieldName`, if any) looks like a secret, or null. */
export function secretRule(value: string, fieldName: string | null): SecretRule | null {
  return ruleFor(value, fieldName === null ? null : fieldClass(fieldName));
}

function ruleFor(value: string, field: FieldClass | null): SecretRule | null {
  if (value.length >= SHORTEST_SHAPE && SHAPES.test(value)) return shapeRule(value);
  if (field === null || field === 'plain' || field === 'descriptive' || REDACTED.test(value)) return null;
  if (field === 'fingerprint') return looksLikeFingerprint(value) ? null : 'not-a-fingerprint';
  if (SECRET_REFERENCE.test(value)) return null;
  if (field === 'secret') return value.length >= 8 ? 'secret-field' : null;
  if (AWS_SECRET_KEY.test(value) && hasMixedCase(value)) return 'aws-secret-key';
  if (field === 'keyish' && isHighEntropy(value)) return 'high-entropy';
  return null;
}

function shapeRule(value: string): SecretRule {
  const match = SHAPES.exec(value)!;
  return SHAPE_PATTERNS[match.slice(1).findIndex((group) => group !== undefined)]![0];
}

/** A fingerprint or an identifier of a key, as opposed to the key. */
export function looksLikeFingerprint(value: string): boolean {
  return FINGERPRINT_FORMS.some((form) => form.test(value));
}

const FIELD_CLASSES = new Map<string, FieldClass>();
/** Field names are few and repeat in every event; the cache is bounded against arbitrary ones. */
const FIELD_CLASS_CACHE_SIZE = 4096;

function fieldClass(fieldName: string): FieldClass {
  let known = FIELD_CLASSES.get(fieldName);
  if (known === undefined) {
    known = classify(fieldName.toLowerCase().replace(/[-_\s]/g, ''));
    if (FIELD_CLASSES.size >= FIELD_CLASS_CACHE_SIZE) FIELD_CLASSES.clear();
    FIELD_CLASSES.set(fieldName, known);
  }
  return known;
}

function classify(name: string): FieldClass {
  if (FINGERPRINT_FIELD.test(name)) return 'fingerprint';
  if (DESCRIPTIVE_FIELD.test(name)) return 'descriptive';
  if (SECRET_FIELD.test(name)) return 'secret';
  if (KEYISH_FIELD.test(name)) return 'keyish';
  return name.includes('secret') ? 'secret-named' : 'plain';
}

/**
 * The first string in `value` (an event or any part of one) that looks like a secret, walking
 * objects and arrays depth-first in key order; array elements are judged by their array's field
 * name. A container nested deeper than MAX_SCAN_DEPTH is reported as `too-deep`: what cannot be
 * checked is not accepted. The path is built only for a finding.
 */
export function findSecret(value: unknown, rootPath = ''): SecretFinding | null {
  const found = locateSecret(value);
  return found === null ? null : { path: formatPath(rootPath, found.segments), rule: found.rule };
}

/** Like `findSecret`, with the location as path segments (property names and array indexes). */
export function locateSecret(value: unknown): { segments: ReadonlyArray<string | number>; rule: SecretRule } | null {
  const path: Array<string | number> = [];
  const rule = walk(value, null, 0, path);
  return rule === null ? null : { segments: path, rule };
}

function walk(
  value: unknown,
  field: FieldClass | null,
  depth: number,
  path: Array<string | number>,
): SecretRule | null {
  if (typeof value === 'string') return ruleFor(value, field);
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_SCAN_DEPTH) return 'too-deep';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const rule = walk(value[i], field, depth + 1, path);
      if (rule !== null) return rule;
      path.pop();
    }
    return null;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    path.push(key);
    const rule = walk(record[key], fieldClass(key), depth + 1, path);
    if (rule !== null) return rule;
    path.pop();
  }
  return null;
}

function formatPath(root: string, path: ReadonlyArray<string | number>): string {
  let result = root;
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else result = result === '' ? segment : `${result}.${segment}`;
  }
  return result;
}

/**
 * Long, without spaces, mixing character classes and close to uniformly random: what generated
 * keys and tokens look like, and what identifiers, words and sentences do not. Thresholds: a
 * random 20-character base62 string has a Shannon entropy near 4.0 bits per character,
 * kebab-case words and dates stay below 3.7 (see the spec's near misses).
 */
export function isHighEntropy(value: string): boolean {
  if (value.length < 20 || /\s/.test(value) || UUID.test(value)) return false;
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  return classes >= 2 && shannonEntropy(value) >= 3.7;
}

/** Bits per character of the value's own character distribution. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const length = [...value].length;
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function hasMixedCase(value: string): boolean {
  return /[a-z]/.test(value) && /[A-Z]/.test(value);
}
