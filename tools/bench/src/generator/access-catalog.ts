import type { GrantLevel } from './canonical-event-like';
import type { EnterpriseScale, Platform, ResolvedOptions } from './enterprise-profile';
import {
  ADMIN_GRANTS,
  ADMIN_TIERS,
  CHAINED_ROUNDS,
  ESCALATION_SHARE,
  GRANT_LEVELS,
  PLATFORM_CYCLE,
  RESOURCE_KINDS,
  ROLE_GRANT_COUNTS,
  TIMELINE,
  TRUST_REVOKED_SHARE,
  TIMELINE_END,
  DAY_MS,
} from './enterprise-profile';
import { LruCache } from './lru-cache';
import { hash32, hashUnit, SeededRandom } from './seeded-random';
import { FAMILY } from './stream-families';
import { TEAMS } from './vocabulary';

/**
 * Roles and the resources they reach. Both are laid out in rounds of PLATFORM_CYCLE's 20 slots
 * (index = round × 20 + slot; the slot fixes the platform). The first ADMIN_TIERS rounds of roles
 * are admin roles, each granting hundreds of resources and able to assume the next tier's role of
 * the same slot, so a tier-0 admin reaches thousands; ordinary roles mostly reach a handful.
 */

export interface RoleGrantModel {
  readonly resource: number;
  readonly level: GrantLevel;
}

/** This role can assume `roleIndex` from `at` (until `revokedAt`). */
export interface RoleTrustModel {
  readonly roleIndex: number;
  readonly at: number;
  readonly revokedAt: number | null;
}

export interface RoleModel {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly platform: Platform;
  /** 0, 1, 2… for admin roles; null for ordinary ones. */
  readonly adminTier: number | null;
  readonly definedAt: number;
  readonly grants: readonly RoleGrantModel[];
  readonly assumes: readonly RoleTrustModel[];
}

const SLOTS = PLATFORM_CYCLE.length;
const ROLE_FUNCTIONS = ['reader', 'writer', 'deployer', 'operator', 'auditor', 'backup', 'ci', 'runtime'];
/** The service part of an action name, by resource kind. */
// prettier-ignore
const SERVICES: Readonly<Record<string, string>> = {
  account: 'sts', bucket: 's3', database: 'rds', secret: 'secretsmanager', queue: 'sqs', function: 'lambda',
  project: 'resourcemanager', dataset: 'bigquery', subscription: 'Microsoft.Resources',
  storage_account: 'Microsoft.Storage', key_vault: 'Microsoft.KeyVault', namespace: 'namespaces',
  deployment: 'deployments', repo: 'repo', org: 'org', group: 'group', app: 'okta.apps',
};
const VERBS: Readonly<Record<GrantLevel, readonly string[]>> = {
  read: ['get', 'list'],
  write: ['get', 'list', 'create', 'update'],
  admin: ['*'],
};

export class AccessCatalog {
  readonly roleCount: number;
  readonly resourceCount: number;
  private readonly resourcesByPlatform = new Map<Platform, number[]>();
  private readonly ordinaryRolesByPlatform = new Map<Platform, number[]>();
  /** Roles are few and small (but for a few admin roles), and usage looks them up at random. */
  private readonly roles: LruCache<number, RoleModel>;

  constructor(
    private readonly options: ResolvedOptions,
    scale: EnterpriseScale,
  ) {
    this.roleCount = scale.roles;
    this.roles = new LruCache(Math.min(this.roleCount, 20_000));
    this.resourceCount = scale.resources;
    for (const platform of PLATFORM_CYCLE) {
      this.resourcesByPlatform.set(platform, []);
      this.ordinaryRolesByPlatform.set(platform, []);
    }
    for (let i = 0; i < this.resourceCount; i++) this.resourcesByPlatform.get(platformAt(i))!.push(i);
    for (let i = ADMIN_TIERS * SLOTS; i < this.roleCount; i++) this.ordinaryRolesByPlatform.get(platformAt(i))!.push(i);
  }

  // --- resources ---------------------------------------------------------------------------

  resourcePlatform(index: number): Platform {
    return platformAt(index);
  }

  resourceKind(index: number): string {
    const kinds = RESOURCE_KINDS[platformAt(index)];
    return kinds[hash32(this.options.seed, FAMILY.resourceKind, index) % kinds.length]!;
  }

  resourceId(index: number): string {
    const team = TEAMS[hash32(this.options.seed, FAMILY.resourceTeam, index) % TEAMS.length]!;
    return `resource:${platformAt(index)}:${this.resourceKind(index)}/${team}-${index}`;
  }

  /** What a grant of `level` on the resource allows, as action names (`s3:get`). */
  actions(resource: number, level: GrantLevel): string[] {
    const service = SERVICES[this.resourceKind(resource)] ?? 'api';
    return VERBS[level].map((verb) => `${service}:${verb}`);
  }

  pickResource(random: SeededRandom, platform: Platform): number {
    const pool = this.resourcesByPlatform.get(platform)!;
    return pool[random.skewed(pool.length, 2)]!;
  }

  // --- roles -------------------------------------------------------------------------------

  roleId(index: number): string {
    return `role:${platformAt(index)}:r${String(index).padStart(6, '0')}`;
  }

  roleDefinedAt(index: number): number {
    const [from, to] = TIMELINE.rolesDefined;
    const slot = (to - from) / this.roleCount;
    return Math.floor(from + (index + 0.05 + 0.9 * hashUnit(this.options.seed, FAMILY.role, index, 1)) * slot);
  }

  /** An ordinary role of `platform`, popular ones more often. */
  pickRole(random: SeededRandom, platform: Platform): number {
    const pool = this.ordinaryRolesByPlatform.get(platform)!;
    return pool.length > 0 ? pool[random.skewed(pool.length, 2)]! : this.topAdminRole(random, platform);
  }

  /** One of `platform`'s tier-0 admin roles: the one that reaches the most. */
  topAdminRole(random: SeededRandom, platform: Platform): number {
    const slots: number[] = [];
    PLATFORM_CYCLE.forEach((p, slot) => {
      if (p === platform) slots.push(slot);
    });
    return random.pick(slots);
  }

  role(index: number): RoleModel {
    if (!Number.isInteger(index) || index < 0 || index >= this.roleCount) throw new RangeError(`no role ${index}`);
    return this.roles.getOrCompute(index, () => this.buildRole(index));
  }

  private buildRole(index: number): RoleModel {
    const random = SeededRandom.of(this.options.seed, FAMILY.role, index);
    const platform = platformAt(index);
    const round = Math.floor(index / SLOTS);
    const slot = index % SLOTS;
    const adminTier = round < ADMIN_TIERS ? round : null;
    const definedAt = this.roleDefinedAt(index);
    const resources = this.resourcesByPlatform.get(platform)!;
    const grants: RoleGrantModel[] = [];
    const assumes: RoleTrustModel[] = [];
    const trustAt = (): number => Math.floor(random.between(TIMELINE.rolesDefined[1], TIMELINE.nhisCreated[0]));

    if (adminTier !== null) {
      // Each admin role of a platform covers its own window of that platform's resources.
      const count = Math.min(resources.length, random.int(ADMIN_GRANTS[0], ADMIN_GRANTS[1]));
      const ordinal = PLATFORM_CYCLE.slice(0, slot).filter((p) => p === platform).length;
      const offset = (ordinal * ADMIN_TIERS + adminTier) * ADMIN_GRANTS[1];
      for (let k = 0; k < count; k++)
        grants.push({ resource: resources[(offset + k) % resources.length]!, level: 'admin' });
      if (adminTier < ADMIN_TIERS - 1) assumes.push({ roleIndex: index + SLOTS, at: trustAt(), revokedAt: null });
      return {
        index,
        id: this.roleId(index),
        name: `${platform}-${adminTier === 0 ? 'org' : 'account'}-admin-${slot}`,
        platform,
        adminTier,
        definedAt,
        grants,
        assumes,
      };
    }

    const [min, max] = random.weighted(ROLE_GRANT_COUNTS);
    const count = Math.min(resources.length, random.int(min, max));
    const seen = new Set<number>();
    for (let attempt = 0; grants.length < count && attempt < count * 4; attempt++) {
      const resource = resources[random.skewed(resources.length, 2)]!;
      if (seen.has(resource)) continue;
      seen.add(resource);
      grants.push({ resource, level: random.weighted(GRANT_LEVELS) });
    }
    const trust = (roleIndex: number): void => {
      const at = trustAt();
      const revokedAt = random.chance(TRUST_REVOKED_SHARE)
        ? Math.floor(random.between(at + 30 * DAY_MS, TIMELINE_END))
        : null;
      assumes.push({ roleIndex, at, revokedAt });
    };
    // Chains: role → next round's role of the same slot → the one after.
    if (CHAINED_ROUNDS.includes(round % 10) && index + SLOTS < this.roleCount) trust(index + SLOTS);
    // A few ordinary roles can escalate to their slot's top admin role.
    if (random.chance(ESCALATION_SHARE)) trust(slot);
    const team = random.pick(TEAMS);
    return {
      index,
      id: this.roleId(index),
      name: `${platform}-${team}-${random.pick(ROLE_FUNCTIONS)}-${index}`,
      platform,
      adminTier,
      definedAt,
      grants,
      assumes,
    };
  }
}

function platformAt(index: number): Platform {
  return PLATFORM_CYCLE[index % SLOTS]!;
}
