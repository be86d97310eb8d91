import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N = 2^15, r = 8, p = 1 (OWASP's minimum for scrypt), 32-byte output, 16-byte salt. */
export interface ScryptParams {
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { log2N: 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** Stored parameters outside these bounds are refused rather than run (a corrupt row must not cost a minute of CPU). */
const MAX_LOG2N = 20;
const MAX_R = 32;
const MAX_P = 16;

/**
 * Hashes the secret part of API keys with scrypt and a per-key salt. The stored form names its
 * parameters (`scrypt$15$8$1$<salt>$<hash>`, base64url), so the cost can rise later without
 * invalidating older keys. Verification compares in constant time.
 */
export class ApiKeyHasher {
  constructor(private readonly params: ScryptParams = DEFAULT_SCRYPT) {}

  async hash(secret: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const derived = await derive(secret, salt, this.params);
    const { log2N, r, p } = this.params;
    return ['scrypt', log2N, r, p, salt.toString('base64url'), derived.toString('base64url')].join('$');
  }

  async verify(secret: string, stored: string): Promise<boolean> {
    const parsed = parseStored(stored);
    if (!parsed) return false;
    const derived = await derive(secret, parsed.salt, parsed.params);
    return derived.length === parsed.hash.length && timingSafeEqual(derived, parsed.hash);
  }
}

function derive(secret: string, salt: Buffer, { log2N, r, p }: ScryptParams): Promise<Buffer> {
  const N = 2 ** log2N;
  // scrypt needs 128 * N * r bytes; Node refuses above `maxmem` (32 MiB by default).
  const maxmem = 256 * N * r;
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, { N, r, p, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function parseStored(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [log2N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const inRange = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!inRange(log2N, MAX_LOG2N) || !inRange(r, MAX_R) || !inRange(p, MAX_P)) return null;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const hash = Buffer.from(parts[5]!, 'base64url');
  if (salt.length === 0 || hash.length !== KEY_LENGTH) return null;
  return { params: { log2N, r, p }, salt, hash };
}
