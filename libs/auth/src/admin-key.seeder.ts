import type { OnApplicationBootstrap } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ApiKeyRecord } from '@lineage/domain';
import { LineageConfig } from '@lineage/config';
import { isUsable } from './api-key-authenticator';
import type { ApiKeyParts } from './api-key-format';
import { generateApiKey, keyParts } from './api-key-format';
import { ApiKeyHasher } from './api-key-hasher';
import { ApiKeyService } from './api-key.service';
import { Clock } from './clock';

export const ADMIN_KEY_FILE = 'admin.key';
/** The owner of the seeded admin key: a placeholder person the operator may replace by assigning another owner. */
export const SEED_ADMIN_OWNER = 'person:admin';
const SEED_LIFETIME_MS = 365 * 86_400_000;
const SEED_DESCRIPTION = 'first admin key, seeded at start-up';

/** Where the first admin key can be found, for the start-up message. */
export type AdminKeyLocation =
  { readonly kind: 'environment' } | { readonly kind: 'file'; readonly path: string } | { readonly kind: 'existing' };

/** The location in words, for the start-up line. Never the key. */
export function describeAdminKey(location: AdminKeyLocation | null): string {
  if (!location) return 'not seeded yet';
  switch (location.kind) {
    case 'environment':
      return 'the value of LINEAGE_ADMIN_KEY';
    case 'file':
      return location.path;
    case 'existing':
      return 'admin keys exist in the store (none written here)';
  }
}

/**
 * Makes sure an admin can log in on a fresh install, without ever printing a key:
 *  - with `LINEAGE_ADMIN_KEY`, that key is the first admin key (registered once, reused after);
 *  - without it, the first start generates one and writes it to `<data dir>/admin.key` (mode
 *    0600), logging the path only; a restart reuses the file's key.
 * A seeded key that was revoked or expired is never brought back. When it was and no other admin
 * key works, a new one is generated into the file (the recovery path for a locked-out operator,
 * who by definition can read the data directory).
 */
@Injectable()
export class AdminKeySeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminKey');
  location: AdminKeyLocation | null = null;

  constructor(
    private readonly config: LineageConfig,
    private readonly keys: ApiKeyService,
    private readonly hasher: ApiKeyHasher,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.location = await this.seed();
  }

  async seed(): Promise<AdminKeyLocation | null> {
    if (this.config.LINEAGE_ADMIN_KEY) return this.seedFromEnvironment(this.config.LINEAGE_ADMIN_KEY);
    return this.seedFile(resolve(join(this.config.LINEAGE_DATA_DIR, ADMIN_KEY_FILE)));
  }

  private async seedFromEnvironment(key: string): Promise<AdminKeyLocation> {
    const parts = keyParts(key);
    const record = await this.keys.find(parts.id);
    if (!record) {
      await this.registerSeed(parts);
      this.logger.log({ msg: 'admin key registered from LINEAGE_ADMIN_KEY', keyId: parts.id });
    } else if (!(await this.hasher.verify(parts.secret, record.hash))) {
      this.logger.error({
        msg: 'LINEAGE_ADMIN_KEY does not match the stored key with its id; it will not authenticate',
        keyId: parts.id,
      });
    } else if (!isUsable(record, this.clock.now())) {
      this.logger.warn({
        msg: 'LINEAGE_ADMIN_KEY names a revoked or expired key; create a new admin key',
        keyId: parts.id,
      });
    }
    return { kind: 'environment' };
  }

  private async seedFile(path: string): Promise<AdminKeyLocation | null> {
    const existing = readKeyFile(path);
    if (existing) {
      const record = await this.keys.find(existing.id);
      if (!record) {
        // The store was reset but the file survived: the file's key becomes the admin key again.
        await this.registerSeed(existing);
        this.logger.log({ msg: 'admin key registered from the key file', keyId: existing.id, path });
        return { kind: 'file', path };
      }
      if (isUsable(record, this.clock.now()) && (await this.hasher.verify(existing.secret, record.hash))) {
        this.logger.log({ msg: 'admin key file in use', keyId: existing.id, path });
        return { kind: 'file', path };
      }
    }
    if (await this.anotherAdminWorks()) {
      if (existing)
        this.logger.warn({ msg: 'the admin key file holds a revoked or expired key; other admin keys exist', path });
      return { kind: 'existing' };
    }
    const generated = generateApiKey();
    await this.registerSeed(generated);
    writeKeyFile(path, generated.key);
    this.logger.log({ msg: 'admin key generated; read it from the key file', keyId: generated.id, path });
    return { kind: 'file', path };
  }

  private async anotherAdminWorks(): Promise<boolean> {
    const now = this.clock.now();
    return (await this.keys.list()).some((key: ApiKeyRecord) => key.role === 'admin' && isUsable(key, now));
  }

  private async registerSeed(parts: ApiKeyParts): Promise<void> {
    await this.keys.register(parts, {
      role: 'admin',
      ownerId: SEED_ADMIN_OWNER,
      expiresAt: this.clock.now() + SEED_LIFETIME_MS,
      description: SEED_DESCRIPTION,
    });
  }
}

function readKeyFile(path: string): ApiKeyParts | null {
  if (!existsSync(path)) return null;
  const key = readFileSync(path, 'utf8').trim();
  return key === '' ? null : keyParts(key);
}

/** Write atomically with mode 0600 from the first byte (a temporary file, then a rename). */
function writeKeyFile(path: string, key: string): void {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${key}\n`, { mode: 0o600, flag: 'w' });
  renameSync(temporary, path);
}
