import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { ApiKeyRecord, GraphStore } from '@lineage/domain';
import { DomainError, GRAPH_STORE } from '@lineage/domain';
import { ApiKeyHasher } from './api-key-hasher';
import { MAX_PRESENTED_KEY_LENGTH, apiKeyNhiId, keyParts } from './api-key-format';
import { Clock } from './clock';
import type { Principal } from './principal';

/**
 * How long a verification result is reused. scrypt on every request would cost ~100 ms of CPU
 * each; a cached answer costs a hash lookup. A revoked key stops working at once on the
 * instance that revoked it (its entries are evicted) and within this long on the others.
 */
export const VERIFICATION_TTL_MS = 30_000;
/** Cached verifications (positive and negative) kept at most; the oldest go first. */
const MAX_CACHED = 10_000;

/** The one answer to every failed authentication: no oracle for which check failed. */
export const UNAUTHENTICATED_MESSAGE = 'missing, unknown, expired, revoked or malformed API key';

export function unauthenticated(): DomainError {
  return new DomainError('UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE);
}

interface CacheEntry {
  /** null: the key did not verify. */
  readonly principal: Principal | null;
  readonly until: number;
}

/**
 * Turns an `Authorization: Bearer <key>` header into a `Principal`, or fails with
 * UNAUTHENTICATED. Results are cached by the SHA-256 of the presented key (never the key
 * itself), and concurrent requests with the same key share one verification.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<Principal | null>>();

  constructor(
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly hasher: ApiKeyHasher,
    private readonly clock: Clock,
  ) {}

  async authenticate(authorization: string | readonly string[] | undefined): Promise<Principal> {
    const token = bearerToken(authorization);
    if (token === null) throw unauthenticated();
    const principal = await this.verify(token);
    // Checked on every use, cached or not: a key expires on time.
    if (!principal || principal.expiresAt <= this.clock.now()) throw unauthenticated();
    return principal;
  }

  /** Forget every cached verification of a key (on revocation). */
  evict(keyId: string): void {
    for (const [hash, entry] of this.cache) if (entry.principal?.keyId === keyId) this.cache.delete(hash);
  }

  private async verify(token: string): Promise<Principal | null> {
    const hash = createHash('sha256').update(token).digest('hex');
    const now = this.clock.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.principal;

    let pending = this.inFlight.get(hash);
    if (!pending) {
      pending = this.verifyAgainstStore(token).finally(() => this.inFlight.delete(hash));
      this.inFlight.set(hash, pending);
      // A store error is not a verdict: it propagates (503) and nothing is cached.
      const principal = await pending;
      this.remember(hash, principal);
      return principal;
    }
    return pending;
  }

  private async verifyAgainstStore(token: string): Promise<Principal | null> {
    const { id, secret } = keyParts(token);
    let record: ApiKeyRecord | null;
    try {
      record = await this.store.findApiKey(id);
    } catch {
      // Not a verdict on the key: the caller gets 503 and may retry.
      throw new DomainError('UNAVAILABLE', 'the key store is unavailable; retry later');
    }
    if (!record || !isUsable(record, this.clock.now())) return null;
    if (!(await this.hasher.verify(secret, record.hash))) return null;
    return principalOf(record);
  }

  private remember(hash: string, principal: Principal | null): void {
    this.cache.delete(hash);
    if (this.cache.size >= MAX_CACHED) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(hash, { principal, until: this.clock.now() + VERIFICATION_TTL_MS });
  }
}

export function isUsable(record: ApiKeyRecord, now: number): boolean {
  return record.revokedAt === null && record.expiresAt > now;
}

export function principalOf(record: ApiKeyRecord): Principal {
  return {
    keyId: record.id,
    role: record.role,
    ownerId: record.ownerId,
    expiresAt: record.expiresAt,
    nhiId: apiKeyNhiId(record.id),
  };
}

/** The token of `Bearer <token>`, or null for anything else (no header, other schemes, oversized). */
function bearerToken(authorization: string | readonly string[] | undefined): string | null {
  if (typeof authorization !== 'string') return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  const token = match?.[1];
  return token && token.length <= MAX_PRESENTED_KEY_LENGTH ? token : null;
}
