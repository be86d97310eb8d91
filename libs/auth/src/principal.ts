import type { IncomingMessage } from 'node:http';
import type { ApiRole, EpochMs } from '@lineage/domain';
import { API_ROLES } from '@lineage/domain';

/** Who is calling: the verified key's public facts. Never the key or its hash. */
export interface Principal {
  readonly keyId: string;
  readonly role: ApiRole;
  readonly ownerId: string;
  readonly expiresAt: EpochMs;
  /** The key's NHI in the graph. */
  readonly nhiId: string;
}

/** A request once the access layer has looked at it. */
export interface AuthenticatedRequest extends IncomingMessage {
  principal?: Principal;
}

/**
 * Roles are ordered: each one may do everything the roles before it may.
 * analyst < responder < automation < admin.
 */
export function roleAllows(role: ApiRole, minimum: ApiRole): boolean {
  return API_ROLES.indexOf(role) >= API_ROLES.indexOf(minimum);
}

export function isApiRole(value: unknown): value is ApiRole {
  return typeof value === 'string' && (API_ROLES as readonly string[]).includes(value);
}
