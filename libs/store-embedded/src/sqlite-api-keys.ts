import type Database from 'better-sqlite3';
import type { ApiKeyRecord, EpochMs } from '@lineage/domain';

interface ApiKeyRow {
  id: string;
  role: string;
  owner_id: string;
  hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  description: string | null;
}

function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    role: row.role as ApiKeyRecord['role'],
    ownerId: row.owner_id,
    hash: row.hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    description: row.description,
  };
}

/** API keys on the embedded store: only the scrypt hash of a key's secret part is kept. */
export class SqliteApiKeys {
  private readonly insert: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly all: Database.Statement;
  private readonly revoke: Database.Statement;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO api_keys (id, role, owner_id, hash, created_at, expires_at, revoked_at, description) VALUES (@id, @role, @ownerId, @hash, @createdAt, @expiresAt, @revokedAt, @description)',
    );
    this.byId = db.prepare('SELECT * FROM api_keys WHERE id = ?');
    this.all = db.prepare('SELECT * FROM api_keys ORDER BY created_at, id');
    this.revoke = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  }

  save(key: ApiKeyRecord): void {
    this.insert.run(key);
  }

  find(id: string): ApiKeyRecord | null {
    const row = this.byId.get(id) as ApiKeyRow | undefined;
    return row ? toApiKey(row) : null;
  }

  list(): ApiKeyRecord[] {
    return (this.all.all() as ApiKeyRow[]).map(toApiKey);
  }

  revokeKey(id: string, at: EpochMs): boolean {
    return this.revoke.run(at, id).changes === 1;
  }
}
