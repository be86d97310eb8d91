import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys: `nhil_<id>_<secret>`. The id (16 hex characters) is public: it names the key in
 * logs, in the graph and in `revokeApiKey`. The secret is 32 random bytes in base64url; only a
 * scrypt hash of it is stored.
 */
export const API_KEY_PREFIX = 'nhil_';
const KEY_PATTERN = /^nhil_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const ID_BYTES = 8;
const SECRET_BYTES = 32;
/** Longer bearer tokens are rejected before any lookup or hashing. */
export const MAX_PRESENTED_KEY_LENGTH = 1024;

export interface ApiKeyParts {
  readonly id: string;
  readonly secret: string;
}

export function generateApiKey(): ApiKeyParts & { readonly key: string } {
  const id = randomBytes(ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { id, secret, key: `${API_KEY_PREFIX}${id}_${secret}` };
}

/** The parts of a key in this product's format, or null. */
export function parseApiKey(token: string): ApiKeyParts | null {
  const match = KEY_PATTERN.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

/**
 * The parts of any presented key. An operator may seed the first admin key with a string of
 * their own (`LINEAGE_ADMIN_KEY`); such a key's id is derived from it (a truncated SHA-256,
 * which reveals nothing usable about the key) and the whole string is its secret.
 */
export function keyParts(token: string): ApiKeyParts {
  return parseApiKey(token) ?? { id: derivedKeyId(token), secret: token };
}

function derivedKeyId(token: string): string {
  return createHash('sha256')
    .update('nhi-lineage:operator-key:')
    .update(token)
    .digest('hex')
    .slice(0, ID_BYTES * 2);
}

/** The key's NHI in the graph: every key is itself a governed identity. */
export function apiKeyNhiId(keyId: string): string {
  return `nhi:nhi-lineage:api-key:${keyId}`;
}
