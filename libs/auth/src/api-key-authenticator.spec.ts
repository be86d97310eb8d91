import type { ApiKeyRecord, ApiRole } from '@lineage/domain';
import { DomainError } from '@lineage/domain';
import { EmbeddedGraphStore } from '@lineage/store-embedded';
import { ApiKeyAuthenticator, UNAUTHENTICATED_MESSAGE, VERIFICATION_TTL_MS } from './api-key-authenticator';
import { generateApiKey, parseApiKey } from './api-key-format';
import { ApiKeyHasher } from './api-key-hasher';
import { Clock } from './clock';

class FakeClock extends Clock {
  time = Date.UTC(2025, 0, 1);
  override now(): number {
    return this.time;
  }
}

const DAY = 86_400_000;

describe('ApiKeyAuthenticator', () => {
  let store: EmbeddedGraphStore;
  let clock: FakeClock;
  let hasher: ApiKeyHasher;
  let authenticator: ApiKeyAuthenticator;

  beforeEach(() => {
    store = EmbeddedGraphStore.open({ dataDir: ':memory:' });
    clock = new FakeClock();
    hasher = new ApiKeyHasher({ log2N: 10, r: 8, p: 1 });
    authenticator = new ApiKeyAuthenticator(store, hasher, clock);
  });

  afterEach(async () => {
    await store.close();
  });

  async function storedKey(
    role: ApiRole = 'analyst',
    lifetime = 30 * DAY,
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    const { id, secret, key } = generateApiKey();
    const record: ApiKeyRecord = {
      id,
      role,
      ownerId: 'person:owner',
      hash: await hasher.hash(secret),
      createdAt: clock.now(),
      expiresAt: clock.now() + lifetime,
      revokedAt: null,
      description: null,
    };
    await store.saveApiKey(record);
    return { key, record };
  }

  async function refusal(header: string | undefined): Promise<DomainError> {
    const error = await authenticator.authenticate(header).then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
    return error;
  }

  test('a valid key gives its principal: id, role, owner, expiry and NHI, never the secret', async () => {
    const { key, record } = await storedKey('responder');
    const principal = await authenticator.authenticate(`Bearer ${key}`);
    expect(principal).toEqual({
      keyId: record.id,
      role: 'responder',
      ownerId: 'person:owner',
      expiresAt: record.expiresAt,
      nhiId: `nhi:nhi-lineage:api-key:${record.id}`,
    });
    expect(JSON.stringify(principal)).not.toContain(parseApiKey(key)!.secret);
    // The scheme is case-insensitive (RFC 7235).
    expect((await authenticator.authenticate(`bearer ${key}`)).keyId).toBe(record.id);
  });

  test('every failure is UNAUTHENTICATED with the same message', async () => {
    const { key } = await storedKey();
    const wrongSecret = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    const unknown = generateApiKey().key;
    for (const header of [
      undefined,
      '',
      'Bearer',
      `Basic ${key}`,
      `Bearer ${wrongSecret}`,
      `Bearer ${unknown}`,
      `Bearer ${key} extra`,
      `Bearer ${'k'.repeat(2000)}`,
    ]) {
      const error = await refusal(header);
      expect([error.code, error.message]).toEqual(['UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE]);
    }
  });

  test('an expired key is refused on time, though its verification is cached', async () => {
    const { key } = await storedKey('admin', DAY);
    await authenticator.authenticate(`Bearer ${key}`);
    clock.time += DAY;
    expect((await refusal(`Bearer ${key}`)).code).toBe('UNAUTHENTICATED');
  });

  test('a key revoked elsewhere works here until the cache TTL passes; evicting ends it at once', async () => {
    const a = await storedKey();
    const b = await storedKey();
    await authenticator.authenticate(`Bearer ${a.key}`);
    await authenticator.authenticate(`Bearer ${b.key}`);
    await store.revokeApiKey(a.record.id, clock.now());
    await store.revokeApiKey(b.record.id, clock.now());

    // Another instance revoked them: this one still has them cached.
    expect((await authenticator.authenticate(`Bearer ${a.key}`)).keyId).toBe(a.record.id);
    // This instance revoked b: eviction refuses it at once.
    authenticator.evict(b.record.id);
    expect((await refusal(`Bearer ${b.key}`)).code).toBe('UNAUTHENTICATED');
    // Past the TTL, a is verified again against the store, and refused.
    clock.time += VERIFICATION_TTL_MS;
    expect((await refusal(`Bearer ${a.key}`)).code).toBe('UNAUTHENTICATED');
  });

  test('concurrent requests with one key share one scrypt verification; later ones hit the cache', async () => {
    const { key } = await storedKey();
    const verify = jest.spyOn(hasher, 'verify');
    const principals = await Promise.all(Array.from({ length: 5 }, () => authenticator.authenticate(`Bearer ${key}`)));
    await authenticator.authenticate(`Bearer ${key}`);
    expect(new Set(principals.map((p) => p.keyId)).size).toBe(1);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  test('a store failure is not a verdict: it propagates and nothing is cached', async () => {
    const { key, record } = await storedKey();
    const find = jest.spyOn(store, 'findApiKey').mockRejectedValueOnce(new Error('store down'));
    await expect(authenticator.authenticate(`Bearer ${key}`)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    find.mockRestore();
    expect((await authenticator.authenticate(`Bearer ${key}`)).keyId).toBe(record.id);
  });
});
