import type { ApiKeyRecord, EpochMs } from '@lineage/domain';
import { API_ROLES, DomainError } from '@lineage/domain';
import { Neo4jError } from 'neo4j-driver';
import type { Neo4jSessions } from './neo4j-session';
import { run } from './neo4j-session';
import { StoredValueError, readNullableNumber, readNullableString, readNumber, readString } from './neo4j-values';

/** API keys: only the scrypt hash of a key's secret part is stored, never the secret. */

export const CREATE_API_KEY = `
CREATE (:ApiKey {id: $id, role: $role, ownerId: $ownerId, hash: $hash, createdAt: $createdAt,
                 expiresAt: $expiresAt, revokedAt: $revokedAt, description: $description})`;

export const FIND_API_KEY = 'MATCH (k:ApiKey {id: $id}) RETURN k';

export const LIST_API_KEYS = 'MATCH (k:ApiKey) RETURN k ORDER BY k.createdAt, k.id';

export const REVOKE_API_KEY = `
MATCH (k:ApiKey {id: $id})
WHERE k.revokedAt IS NULL
SET k.revokedAt = $at
RETURN count(k) AS n`;

/** Neo4j's status code for a uniqueness constraint that a write would break. */
const CONSTRAINT_VIOLATION = 'Neo.ClientError.Schema.ConstraintValidationFailed';

export function toApiKey(value: unknown): ApiKeyRecord {
  if (value === null || typeof value !== 'object' || !('properties' in value))
    throw new StoredValueError('api key', value);
  const props = (value as { properties: Record<string, unknown> }).properties;
  const role = API_ROLES.find((r) => r === props['role']);
  if (!role) throw new StoredValueError('api key role', props['role']);
  return {
    id: readString(props['id'], 'api key id'),
    role,
    ownerId: readString(props['ownerId'], 'api key owner'),
    hash: readString(props['hash'], 'api key hash'),
    createdAt: readNumber(props['createdAt'], 'api key createdAt'),
    expiresAt: readNumber(props['expiresAt'], 'api key expiresAt'),
    revokedAt: readNullableNumber(props['revokedAt'], 'api key revokedAt'),
    description: readNullableString(props['description'], 'api key description'),
  };
}

export class Neo4jApiKeys {
  constructor(private readonly sessions: Neo4jSessions) {}

  async save(key: ApiKeyRecord): Promise<void> {
    try {
      await this.sessions.write((tx) => run(tx, CREATE_API_KEY, { ...key }));
    } catch (error) {
      if (error instanceof Neo4jError && error.code === CONSTRAINT_VIOLATION) {
        throw new DomainError('CONFLICT', `api key ${key.id} already exists`, 'id');
      }
      throw error;
    }
  }

  async find(id: string): Promise<ApiKeyRecord | null> {
    const records = await this.sessions.read((tx) => run(tx, FIND_API_KEY, { id }));
    return records[0] ? toApiKey(records[0].get('k')) : null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.sessions.read((tx) => run(tx, LIST_API_KEYS))).map((record) => toApiKey(record.get('k')));
  }

  async revoke(id: string, at: EpochMs): Promise<boolean> {
    const records = await this.sessions.write((tx) => run(tx, REVOKE_API_KEY, { id, at }));
    return readNumber(records[0]?.get('n'), 'revoked keys') === 1;
  }
}
