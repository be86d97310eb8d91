import type { ApiRole } from '@lineage/domain';
import { API_ROLES } from '@lineage/domain';
import { UsageError } from '../cli-errors';

/** The longest a key may live: ten years. */
export const MAX_KEY_DAYS = 3650;

const UNIT_DAYS = { d: 1, w: 7, m: 30, y: 365 } as const;

export function parseRole(value: string): ApiRole {
  const role = API_ROLES.find((candidate) => candidate === value);
  if (!role) throw new UsageError(`--role: must be one of ${API_ROLES.join(', ')}, got ${JSON.stringify(value)}`);
  return role;
}

/** `90d`, `12w`, `6m` (30-day months), `1y` (365 days) or a bare number of days → whole days. */
export function parseExpiry(value: string): number {
  const match = /^(\d{1,5})([dwmy]?)$/.exec(value.trim());
  if (!match)
    throw new UsageError(`--expires: must be a duration like 90d, 12w, 6m or 1y, got ${JSON.stringify(value)}`);
  const days = Number(match[1]) * UNIT_DAYS[(match[2] || 'd') as keyof typeof UNIT_DAYS];
  if (days < 1 || days > MAX_KEY_DAYS)
    throw new UsageError(`--expires: must be from 1 day to ${MAX_KEY_DAYS} days, got ${value} (${days} days)`);
  return days;
}

export function parseOwner(value: string): string {
  const owner = value.trim();
  if (owner.length === 0)
    throw new UsageError('--owner: must name the person who answers for the key (e.g. person:e1001)');
  return owner;
}
