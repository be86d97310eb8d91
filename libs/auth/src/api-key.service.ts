import { Inject, Injectable } from '@nestjs/common';
import type { ApiKeyRecord, ApiRole, EpochMs, GraphStore } from '@lineage/domain';
import { API_ROLES, GRAPH_STORE, badInput, notFound } from '@lineage/domain';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import type { ApiKeyParts } from './api-key-format';
import { apiKeyNhiId, generateApiKey } from './api-key-format';
import { ApiKeyHasher } from './api-key-hasher';
import { Clock } from './clock';
import { isApiRole } from './principal';
import { ProductEventWriter } from './product-event.writer';

const DAY_MS = 86_400_000;
export const MAX_KEY_LIFETIME_DAYS = 3650;
const MAX_OWNER_ID_LENGTH = 512;
const MAX_DESCRIPTION_LENGTH = 256;
/** The platform of every key's NHI. */
export const API_KEY_PLATFORM = 'nhi-lineage';

export interface CreateApiKeyInput {
  readonly role: ApiRole;
  /** The person who answers for the key (it becomes the declared owner of the key's NHI). */
  readonly ownerId: string;
  readonly expiresInDays: number;
  readonly description?: string | null;
  /** The NHI that created it (the caller's own key), when created through the API. */
  readonly createdBy?: string | null;
}

export interface CreatedApiKey {
  /** The key itself: shown once, never stored, never logged. */
  readonly key: string;
  readonly record: ApiKeyRecord;
}

/**
 * API key management. A key is stored as a scrypt hash of its secret, and is also an NHI in
 * the graph (kind `api_token`, platform `nhi-lineage`) owned by its owner: creating one writes
 * `iam.nhi.created` and revoking one `iam.nhi.deleted` through the ingestion pipeline, so the
 * product governs its own keys like any other identity. The CLI (`nhi-lineage keys create`)
 * and the GraphQL mutations both call this service.
 */
@Injectable()
export class ApiKeyService {
  constructor(
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly hasher: ApiKeyHasher,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly events: ProductEventWriter,
    private readonly clock: Clock,
  ) {}

  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    validateCreate(input);
    const parts = generateApiKey();
    const now = this.clock.now();
    const record = await this.register(parts, {
      role: input.role,
      ownerId: input.ownerId,
      createdAt: now,
      expiresAt: now + input.expiresInDays * DAY_MS,
      description: input.description ?? null,
      createdBy: input.createdBy ?? null,
    });
    return { key: parts.key, record };
  }

  /**
   * Store a key whose secret is already chosen (the seeded admin key) and put its NHI in the
   * graph. The event is validated first; if the store then refuses it, the key is revoked
   * again, so no key works that the graph does not show.
   */
  async register(
    parts: ApiKeyParts,
    input: {
      role: ApiRole;
      ownerId: string;
      expiresAt: EpochMs;
      description: string | null;
      createdBy?: string | null;
      createdAt?: EpochMs;
    },
  ): Promise<ApiKeyRecord> {
    const createdAt = input.createdAt ?? this.clock.now();
    const nhiId = apiKeyNhiId(parts.id);
    const event = this.events.prepare('iam.nhi.created', nhiId, {
      nhiId,
      kind: 'api_token',
      name: `API key ${parts.id} (${input.role})`,
      platform: API_KEY_PLATFORM,
      ownerId: input.ownerId,
      purpose: input.description ?? `${input.role} API key`,
      expiresAt: new Date(input.expiresAt).toISOString(),
      ...(input.createdBy ? { createdBy: input.createdBy } : {}),
    });
    const record: ApiKeyRecord = {
      id: parts.id,
      role: input.role,
      ownerId: input.ownerId,
      hash: await this.hasher.hash(parts.secret),
      createdAt,
      expiresAt: input.expiresAt,
      revokedAt: null,
      description: input.description,
    };
    await this.store.saveApiKey(record);
    try {
      await this.events.commit(event);
    } catch (error) {
      await this.store.revokeApiKey(record.id, this.clock.now());
      throw error;
    }
    return record;
  }

  /** Revoke a key: it stops working at once here, within the verification cache TTL elsewhere. */
  async revoke(id: string): Promise<ApiKeyRecord> {
    const record = await this.store.findApiKey(id);
    if (!record) throw notFound('API key', id);
    if (record.revokedAt !== null) return record;
    const at = this.clock.now();
    await this.store.revokeApiKey(id, at);
    this.authenticator.evict(id);
    const nhiId = apiKeyNhiId(id);
    await this.events.write('iam.nhi.deleted', nhiId, { nhiId });
    return { ...record, revokedAt: at };
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.store.listApiKeys();
  }

  async find(id: string): Promise<ApiKeyRecord | null> {
    return this.store.findApiKey(id);
  }
}

function validateCreate(input: CreateApiKeyInput): void {
  if (!isApiRole(input.role)) throw badInput('role', `must be one of ${API_ROLES.join(', ')}`);
  if (typeof input.ownerId !== 'string' || input.ownerId.trim() === '' || input.ownerId.length > MAX_OWNER_ID_LENGTH) {
    throw badInput('ownerId', `must be a non-empty id of at most ${MAX_OWNER_ID_LENGTH} characters`);
  }
  if (
    !Number.isInteger(input.expiresInDays) ||
    input.expiresInDays < 1 ||
    input.expiresInDays > MAX_KEY_LIFETIME_DAYS
  ) {
    throw badInput('expiresInDays', `must be a whole number of days from 1 to ${MAX_KEY_LIFETIME_DAYS}`);
  }
  if (
    input.description != null &&
    (typeof input.description !== 'string' || input.description.length > MAX_DESCRIPTION_LENGTH)
  ) {
    throw badInput('description', `must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
}
