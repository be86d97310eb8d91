import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '@lineage/config';
import { IngestionPipeline } from '@lineage/pipeline';
import { EmbeddedGraphStore } from '@lineage/store-embedded';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyHasher } from './api-key-hasher';
import { ApiKeyService } from './api-key.service';
import { ADMIN_KEY_FILE, AdminKeySeeder, SEED_ADMIN_OWNER, describeAdminKey } from './admin-key.seeder';
import { Clock } from './clock';
import { ProductEventWriter } from './product-event.writer';

describe('AdminKeySeeder and ApiKeyService', () => {
  let dataDir: string;
  let store: EmbeddedGraphStore;
  let keys: ApiKeyService;
  let authenticator: ApiKeyAuthenticator;
  const clock = new Clock();
  const hasher = new ApiKeyHasher({ log2N: 10, r: 8, p: 1 });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'nhi-lineage-seeder-'));
    store = EmbeddedGraphStore.open({ dataDir });
    authenticator = new ApiKeyAuthenticator(store, hasher, clock);
    keys = new ApiKeyService(
      store,
      hasher,
      authenticator,
      new ProductEventWriter(new IngestionPipeline(store), clock),
      clock,
    );
  });

  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const seeder = (env: Record<string, string> = {}) =>
    new AdminKeySeeder(validateConfig({ LINEAGE_DATA_DIR: dataDir, ...env }), keys, hasher, clock);
  const keyFile = () => join(dataDir, ADMIN_KEY_FILE);

  test('without LINEAGE_ADMIN_KEY: generates an admin key into admin.key (0600), once', async () => {
    const location = await seeder().seed();
    expect(location).toEqual({ kind: 'file', path: keyFile() });
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile(), 'utf8').trim();
    expect(await authenticator.authenticate(`Bearer ${key}`)).toMatchObject({
      role: 'admin',
      ownerId: SEED_ADMIN_OWNER,
    });

    await seeder().seed();
    expect(readFileSync(keyFile(), 'utf8').trim()).toBe(key);
    expect(await keys.list()).toHaveLength(1);
  });

  test('a revoked seeded key is not brought back while another admin key works; with none left, a new one is generated', async () => {
    await seeder().seed();
    const first = readFileSync(keyFile(), 'utf8').trim();
    const other = await keys.create({ role: 'admin', ownerId: 'person:ops', expiresInDays: 30 });
    await keys.revoke(first.split('_')[1]!);

    expect(await seeder().seed()).toEqual({ kind: 'existing' });
    expect(readFileSync(keyFile(), 'utf8').trim()).toBe(first);

    await keys.revoke(other.record.id);
    expect(await seeder().seed()).toEqual({ kind: 'file', path: keyFile() });
    const second = readFileSync(keyFile(), 'utf8').trim();
    expect(second).not.toBe(first);
    expect((await authenticator.authenticate(`Bearer ${second}`)).role).toBe('admin');
  });

  test('a key file that survived a store reset is registered again', async () => {
    const survivor = 'nhil_0123456789abcdef_' + 'S'.repeat(43);
    writeFileSync(keyFile(), `${survivor}\n`, { mode: 0o600 });
    expect(await seeder().seed()).toEqual({ kind: 'file', path: keyFile() });
    expect((await authenticator.authenticate(`Bearer ${survivor}`)).keyId).toBe('0123456789abcdef');
  });

  test('LINEAGE_ADMIN_KEY is registered as the admin key, and no file is written', async () => {
    const location = await seeder({ LINEAGE_ADMIN_KEY: 'an-operator-admin-key-123456' }).seed();
    expect(describeAdminKey(location)).toBe('the value of LINEAGE_ADMIN_KEY');
    expect((await authenticator.authenticate('Bearer an-operator-admin-key-123456')).role).toBe('admin');
    expect(() => statSync(keyFile())).toThrow();
  });

  test('a created key is an NHI in the graph, owned by its owner, and revoking it retires the NHI', async () => {
    const { key, record } = await keys.create({
      role: 'automation',
      ownerId: 'person:ops',
      expiresInDays: 7,
      description: 'deploy bot',
    });
    expect(record).toMatchObject({
      role: 'automation',
      ownerId: 'person:ops',
      description: 'deploy bot',
      revokedAt: null,
    });
    expect(record.expiresAt - record.createdAt).toBe(7 * 86_400_000);
    // The secret is everything after `nhil_<16 hex>_`; it may itself hold underscores.
    expect(record.hash).not.toContain(key.slice('nhil_'.length + 17));
    const nhiId = `nhi:nhi-lineage:api-key:${record.id}`;
    const nhi = await store.getNode(nhiId);
    expect(nhi).toMatchObject({
      kind: 'NHI',
      validTo: null,
      attributes: { nhiKind: 'api_token', platform: 'nhi-lineage', purpose: 'deploy bot', expiresAt: record.expiresAt },
    });
    expect((await store.lineage(nhiId, clock.now()))?.accountable?.id).toBe('person:ops');

    const revoked = await keys.revoke(record.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect((await store.getNode(nhiId))?.validTo).not.toBeNull();
    // Revoking again changes nothing.
    expect((await keys.revoke(record.id)).revokedAt).toBe(revoked.revokedAt);
  });

  test.each([
    [{ role: 'root', ownerId: 'person:x', expiresInDays: 1 }, 'role'],
    [{ role: 'admin', ownerId: ' ', expiresInDays: 1 }, 'ownerId'],
    [{ role: 'admin', ownerId: 'person:x', expiresInDays: 0 }, 'expiresInDays'],
    [{ role: 'admin', ownerId: 'person:x', expiresInDays: 1.5 }, 'expiresInDays'],
  ])('bad input %j is refused naming %s, and nothing is stored', async (input, field) => {
    await expect(keys.create(input as Parameters<ApiKeyService['create']>[0])).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field,
    });
    expect(await keys.list()).toEqual([]);
  });
});
