import type { AccessCatalog } from './access-catalog';
import type { EnvironmentName, GrantLevel } from './canonical-event-like';
import type { CiRoster } from './ci-activity';
import type {
  CredentialKindName,
  EnterpriseScale,
  NhiKindName,
  OwnershipMode,
  Platform,
  ResolvedOptions,
} from './enterprise-profile';
import {
  ADMIN_GRANT_SHARE,
  APP_CREDENTIALS,
  CREDENTIAL_DELETED_SHARE,
  CREDENTIAL_KINDS_BY_PLATFORM,
  CREDENTIALS_PER_NHI,
  DAY_MS,
  ENVIRONMENT_MIX,
  PLATFORM_CYCLE,
  EXPIRY,
  HOUR_MS,
  INTERACTIVE_SHARE,
  MAX_CREATION_DEPTH,
  MAX_ROTATIONS,
  MINUTE_MS,
  NATIVE_STORE,
  NHI_DELETED_SHARE,
  NHI_EXPIRES_SHARE,
  NHI_KIND_MIX,
  NHI_PLATFORMS,
  NHI_TRUST_SHARE,
  OWNER_ATTESTED_SHARE,
  OWNERSHIP_MIX,
  ROLE_REVOKED_SHARE,
  ROLES_PER_NHI,
  ROTATED_SHARE,
  ROTATION_INTERVAL_DAYS,
  STORE_MIX,
  STORED_SHARE,
  TIMELINE,
  TIMELINE_END,
  TRUST_REVOKED_SHARE,
  USAGE_PER_NHI,
  WORKLOAD_IDENTITY_CREDENTIALS,
  WORKLOAD_REDEPLOYS,
  WORKLOAD_UNOWNED_SHARE,
} from './enterprise-profile';
import { LruCache } from './lru-cache';
import type { PeopleDirectory } from './people-directory';
import { hash32, hashUnit, SeededRandom } from './seeded-random';
import { FAMILY } from './stream-families';
import { APPS, TEAMS } from './vocabulary';

/**
 * The NHIs: by far the largest population (45 per person by default). NHI i is created at a
 * time that grows with i. Its `identity` (kind, platform, creator, deletion) is drawn once for
 * all NHIs, in index order, into a packed table: creation chains look their ancestors up there.
 * Its `model` (credentials, grants, usage…: its whole life) is never stored but recomputed from
 * (seed, i) whenever its events are needed.
 */

export type CreatorRef =
  | { readonly kind: 'person'; readonly index: number }
  | { readonly kind: 'nhi'; readonly index: number }
  | { readonly kind: 'pipeline'; readonly index: number };

export interface NhiIdentity {
  readonly index: number;
  readonly id: string;
  readonly kind: NhiKindName;
  readonly platform: Platform;
  readonly environment: EnvironmentName;
  readonly mode: OwnershipMode;
  readonly name: string;
  readonly team: string;
  readonly createdAt: number;
  readonly creator: CreatorRef | null;
  /** NHI hops above this one in its creation chain (0: not created by an NHI). */
  readonly depth: number;
  readonly deletedAt: number | null;
}

export interface CredentialVersion {
  readonly id: string;
  /** When this version came to be: the creation, then each rotation. */
  readonly at: number;
}

export interface StoreModel {
  readonly kind: string;
  readonly id: string;
  readonly at: number;
  /** Where the scanner or vault that reported it lives (`ci.github`, `secrets.vault`). */
  readonly source: string;
}

export interface CredentialModel {
  readonly ordinal: number;
  readonly kind: CredentialKindName;
  readonly createdAt: number;
  readonly createdBy: string | null;
  readonly expiresAt: number | null;
  readonly versions: readonly CredentialVersion[];
  readonly deletedAt: number | null;
  readonly store: StoreModel | null;
}

export interface GrantModel {
  readonly roleIndex: number;
  readonly at: number;
  readonly revokedAt: number | null;
}

export interface UsageModel {
  readonly at: number;
  /** The credential version used, or null when the NHI authenticated by federation (OIDC). */
  readonly credentialId: string | null;
  readonly resource: number;
  readonly action: string;
  readonly actorId: string;
  readonly interactive: boolean;
  readonly sourceIp: string;
}

export interface WorkloadDeployment {
  readonly at: number;
  readonly ownerIndex: number | null;
}

export interface WorkloadModel {
  readonly id: string;
  readonly name: string;
  readonly deployments: readonly WorkloadDeployment[];
}

export interface NhiModel {
  readonly identity: NhiIdentity;
  readonly ownerIndex: number | null;
  readonly vendorIndex: number | null;
  readonly purpose: string;
  readonly expiresAt: number | null;
  readonly credentials: readonly CredentialModel[];
  readonly roles: readonly GrantModel[];
  readonly trusts: readonly GrantModel[];
  readonly ownerAssigned: { readonly at: number; readonly personIndex: number } | null;
  readonly workload: WorkloadModel | null;
  readonly usage: readonly UsageModel[];
}

const ID_PREFIX: Readonly<Record<NhiKindName, string>> = {
  service_account: 'sa',
  workload_identity: 'wi',
  machine_user: 'mu',
  oauth_app: 'oauth',
  bot: 'bot',
  github_app: 'app',
  ai_agent: 'agent',
};

const PURPOSES: Readonly<Record<NhiKindName, readonly string[]>> = {
  service_account: ['batch processing', 'database access', 'deployment', 'monitoring', 'backups', 'data export'],
  workload_identity: ['runtime identity of a service', 'federated CI deploys', 'cross-account access'],
  machine_user: ['repository automation', 'release automation', 'directory sync'],
  oauth_app: ['single sign-on integration', 'calendar sync', 'CRM integration', 'ticketing integration'],
  bot: ['chat operations', 'dependency updates', 'issue triage'],
  github_app: ['code scanning', 'release management', 'CI checks'],
  ai_agent: ['support triage agent', 'code review agent', 'data analysis agent', 'incident summary agent'],
};

/** NHI kinds that create other NHIs (an OAuth app does not). */
const CREATOR_KINDS: ReadonlySet<NhiKindName> = new Set([
  'service_account',
  'workload_identity',
  'machine_user',
  'bot',
  'github_app',
  'ai_agent',
]);

/** Codes for the packed identity table. */
const KIND_CODES: readonly NhiKindName[] = NHI_KIND_MIX.map(([kind]) => kind);
const PLATFORM_CODES: readonly Platform[] = [...new Set(PLATFORM_CYCLE)];
const ENVIRONMENT_CODES: readonly EnvironmentName[] = ENVIRONMENT_MIX.map(([environment]) => environment);
const MODE_CODES: readonly OwnershipMode[] = ['owner', 'person', 'nhi', 'pipeline', 'workload', 'vendor', 'none'];
const CREATOR_CODES = [null, 'person', 'nhi', 'pipeline'] as const;

/**
 * Every NHI's identity, drawn once in index order (a parent is always drawn before its children,
 * so chains need no recursion) and packed into typed arrays: about 20 bytes an NHI.
 */
class IdentityTable {
  readonly kind: Uint8Array;
  readonly platform: Uint8Array;
  readonly environment: Uint8Array;
  readonly mode: Uint8Array;
  readonly team: Uint8Array;
  readonly app: Uint8Array;
  readonly creatorKind: Uint8Array;
  readonly creatorIndex: Int32Array;
  readonly depth: Uint8Array;
  /** NaN when the NHI is never deleted. */
  readonly deletedAt: Float64Array;

  constructor(count: number) {
    this.kind = new Uint8Array(count);
    this.platform = new Uint8Array(count);
    this.environment = new Uint8Array(count);
    this.mode = new Uint8Array(count);
    this.team = new Uint8Array(count);
    this.app = new Uint8Array(count);
    this.creatorKind = new Uint8Array(count);
    this.creatorIndex = new Int32Array(count);
    this.depth = new Uint8Array(count);
    this.deletedAt = new Float64Array(count);
  }
}

export class NhiPopulation {
  readonly count: number;
  private readonly slot: number;
  private table: IdentityTable | null = null;
  private readonly models = new LruCache<number, NhiModel>(512);

  constructor(
    private readonly options: ResolvedOptions,
    private readonly scale: EnterpriseScale,
    private readonly people: PeopleDirectory,
    private readonly catalog: AccessCatalog,
    private readonly ci: CiRoster,
  ) {
    this.count = scale.nhis;
    this.slot = (TIMELINE.nhisCreated[1] - TIMELINE.nhisCreated[0]) / this.count;
  }

  /** When NHI `index` is created: NHIs are spread evenly, in index order, over the timeline. */
  createdAt(index: number): number {
    const jitter = 0.05 + 0.9 * hashUnit(this.options.seed, FAMILY.nhiIdentity, index, 1);
    return Math.floor(TIMELINE.nhisCreated[0] + (index + jitter) * this.slot);
  }

  /** How many NHIs (the first ones, by index) certainly exist strictly before `time`. */
  createdBefore(time: number): number {
    const k = Math.floor((time - TIMELINE.nhisCreated[0]) / this.slot) - 1;
    return Math.max(0, Math.min(this.count, k));
  }

  identity(index: number): NhiIdentity {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) throw new RangeError(`no NHI ${index}`);
    const table = this.identities();
    const kind = KIND_CODES[table.kind[index]!]!;
    const platform = PLATFORM_CODES[table.platform[index]!]!;
    const environment = ENVIRONMENT_CODES[table.environment[index]!]!;
    const team = TEAMS[table.team[index]!]!;
    const creatorKind = CREATOR_CODES[table.creatorKind[index]!]!;
    const deletedAt = table.deletedAt[index]!;
    return {
      index,
      id: `nhi:${platform}:${ID_PREFIX[kind]}-${String(index).padStart(7, '0')}`,
      kind,
      platform,
      environment,
      mode: MODE_CODES[table.mode[index]!]!,
      name: nhiName(kind, team, APPS[table.app[index]!]!, environment, index),
      team,
      createdAt: this.createdAt(index),
      creator: creatorKind === null ? null : { kind: creatorKind, index: table.creatorIndex[index]! },
      depth: table.depth[index]!,
      deletedAt: Number.isNaN(deletedAt) ? null : deletedAt,
    };
  }

  /** Whether NHI `index` is ever deleted (cheaper than its identity). */
  isDeleted(index: number): boolean {
    return !Number.isNaN(this.identities().deletedAt[index]!);
  }

  model(index: number): NhiModel {
    return this.models.getOrCompute(index, () => this.buildModel(this.identity(index)));
  }

  /** The credential version in force at `time`, or null when the credential is not alive then. */
  static versionAt(credential: CredentialModel, time: number): string | null {
    if (time <= credential.createdAt || (credential.deletedAt !== null && time >= credential.deletedAt)) return null;
    let current: string | null = null;
    for (const version of credential.versions) if (version.at < time) current = version.id;
    return current;
  }

  /**
   * A fingerprint shaped as inventories report one (`sha256:` and 64 hex digits). It is drawn
   * at random: there is no secret behind it, so none can leak.
   */
  fingerprint(nhiIndex: number, ordinal: number): string {
    const random = new SeededRandom(hash32(this.options.seed, FAMILY.fingerprint, nhiIndex, ordinal));
    const digest = Buffer.allocUnsafe(32);
    for (let word = 0; word < 8; word++) digest.writeUInt32BE(random.nextUint32(), word * 4);
    return `sha256:${digest.toString('hex')}`;
  }

  creatorId(creator: CreatorRef | null): string | null {
    if (!creator) return null;
    switch (creator.kind) {
      case 'person':
        return this.people.get(creator.index).id;
      case 'nhi':
        return this.identity(creator.index).id;
      case 'pipeline':
        return this.ci.pipeline(creator.index).id;
    }
  }

  // --- identity ----------------------------------------------------------------------------

  /** The identity table, drawn on first use (a describe or a people-only question never needs it). */
  private identities(): IdentityTable {
    if (this.table) return this.table;
    const table = new IdentityTable(this.count);
    for (let index = 0; index < this.count; index++) this.drawIdentity(table, index);
    this.table = table;
    return table;
  }

  private drawIdentity(table: IdentityTable, index: number): void {
    const random = SeededRandom.of(this.options.seed, FAMILY.nhiIdentity, index);
    const kind = random.weighted(NHI_KIND_MIX);
    const platform = random.weighted(NHI_PLATFORMS[kind]);
    const environment = kind === 'oauth_app' || kind === 'github_app' ? 'prod' : random.weighted(ENVIRONMENT_MIX);
    const team = random.int(0, TEAMS.length - 1);
    const app = random.int(0, APPS.length - 1);
    const createdAt = this.createdAt(index);
    let mode = random.weighted(OWNERSHIP_MIX[kind]);
    let creator: CreatorRef | null = null;
    let depth = 0;

    if (mode === 'nhi') {
      const parent = this.pickCreatorNhi(table, random, index, createdAt);
      if (parent === null) {
        mode = 'person';
      } else {
        creator = { kind: 'nhi', index: parent };
        depth = table.depth[parent]! + 1;
      }
    }
    if (mode === 'person' || (mode === 'owner' && random.chance(0.6))) {
      creator = { kind: 'person', index: this.people.pickCreator(random) };
    } else if (mode === 'pipeline' || (mode === 'workload' && random.chance(0.3))) {
      creator = { kind: 'pipeline', index: random.int(0, this.ci.pipelines.length - 1) };
    }

    const deletable = createdAt + 30 * DAY_MS < TIMELINE_END - DAY_MS;
    const deletedAt =
      deletable && random.chance(NHI_DELETED_SHARE)
        ? Math.floor(random.between(createdAt + 30 * DAY_MS, TIMELINE_END - DAY_MS))
        : Number.NaN;

    table.kind[index] = KIND_CODES.indexOf(kind);
    table.platform[index] = PLATFORM_CODES.indexOf(platform);
    table.environment[index] = ENVIRONMENT_CODES.indexOf(environment);
    table.mode[index] = MODE_CODES.indexOf(mode);
    table.team[index] = team;
    table.app[index] = app;
    table.creatorKind[index] = CREATOR_CODES.indexOf(creator?.kind ?? null);
    table.creatorIndex[index] = creator?.index ?? -1;
    table.depth[index] = depth;
    table.deletedAt[index] = deletedAt;
  }

  /** An earlier NHI able to create this one: not an OAuth app, alive, and not too deep a chain. */
  private pickCreatorNhi(table: IdentityTable, random: SeededRandom, index: number, createdAt: number): number | null {
    if (index === 0) return null;
    for (let attempt = 0; attempt < 6; attempt++) {
      const parent = random.int(0, index - 1);
      if (!CREATOR_KINDS.has(KIND_CODES[table.kind[parent]!]!) || table.depth[parent]! >= MAX_CREATION_DEPTH) continue;
      if (table.deletedAt[parent]! <= createdAt) continue;
      return parent;
    }
    return null;
  }

  // --- model -------------------------------------------------------------------------------

  private buildModel(identity: NhiIdentity): NhiModel {
    const random = SeededRandom.of(this.options.seed, FAMILY.nhi, identity.index);
    const start = identity.createdAt;
    const lifeEnd = identity.deletedAt ?? TIMELINE_END;
    // New credentials are issued before the departures start, while their creators are still around.
    const issuingEnd = Math.min(lifeEnd, TIMELINE.departures[0]);

    const ownerIndex = identity.mode === 'owner' ? this.people.pickCreator(random) : null;
    const vendorIndex = identity.mode === 'vendor' ? random.int(0, this.scale.vendors - 1) : null;
    const purpose = random.pick(PURPOSES[identity.kind]);
    const expiresAt = random.chance(NHI_EXPIRES_SHARE) ? start + random.pick([90, 180, 365, 730]) * DAY_MS : null;

    const credentials: CredentialModel[] = [];
    const credentialCount = random.weighted(CREDENTIALS_PER_NHI);
    for (let ordinal = 0; ordinal < credentialCount; ordinal++) {
      const createdAt =
        ordinal === 0
          ? start + random.int(5, 1800) * 1000
          : Math.floor(random.between(start + DAY_MS, start + 200 * DAY_MS));
      const credential = this.buildCredential(random, identity, ordinal, createdAt, lifeEnd, ownerIndex);
      if (ordinal === 0 || createdAt < issuingEnd - HOUR_MS) credentials.push(credential);
    }

    const roles: GrantModel[] = [];
    const roleCount = random.weighted(ROLES_PER_NHI);
    for (let k = 0; k < roleCount; k++) {
      const roleIndex = this.catalog.pickRole(random, identity.platform);
      if (roles.some((grant) => grant.roleIndex === roleIndex)) continue;
      roles.push(this.grant(random, roleIndex, start, lifeEnd, ROLE_REVOKED_SHARE));
    }
    if (random.chance(ADMIN_GRANT_SHARE)) {
      roles.push(this.grant(random, this.catalog.topAdminRole(random, identity.platform), start, lifeEnd, 0));
    }

    const trusts: GrantModel[] = [];
    const trustShare = identity.kind === 'workload_identity' ? NHI_TRUST_SHARE * 2.5 : NHI_TRUST_SHARE;
    if (random.chance(trustShare)) {
      trusts.push(
        this.grant(random, this.catalog.pickRole(random, identity.platform), start, lifeEnd, TRUST_REVOKED_SHARE),
      );
    }

    let ownerAssigned: NhiModel['ownerAssigned'] = null;
    if (random.chance(OWNER_ATTESTED_SHARE) && start + 7 * DAY_MS < lifeEnd - DAY_MS) {
      const at = Math.floor(random.between(start + 7 * DAY_MS, lifeEnd - DAY_MS));
      ownerAssigned = { at, personIndex: this.people.pickActive(random, at) };
    }

    const workload = identity.mode === 'workload' ? this.buildWorkload(random, identity, lifeEnd) : null;
    const usage = this.buildUsage(random, identity, credentials, roles, ownerIndex, lifeEnd);
    return {
      identity,
      ownerIndex,
      vendorIndex,
      purpose,
      expiresAt,
      credentials,
      roles,
      trusts,
      ownerAssigned,
      workload,
      usage,
    };
  }

  private buildCredential(
    random: SeededRandom,
    identity: NhiIdentity,
    ordinal: number,
    createdAt: number,
    lifeEnd: number,
    ownerIndex: number | null,
  ): CredentialModel {
    const kind = credentialKind(random, identity);
    const expiry = EXPIRY[kind];
    const expiresAt = random.chance(expiry.share) ? createdAt + random.pick(expiry.days) * DAY_MS : null;
    const base = `cred:${identity.platform}:${String(identity.index).padStart(7, '0')}-${ordinal + 1}`;
    const versions: CredentialVersion[] = [{ id: base, at: createdAt }];
    if (kind !== 'oidc_trust' && random.chance(ROTATED_SHARE)) {
      const rotations = random.int(1, MAX_ROTATIONS);
      let at = createdAt;
      for (let v = 1; v <= rotations; v++) {
        at += random.int(ROTATION_INTERVAL_DAYS[0], ROTATION_INTERVAL_DAYS[1]) * DAY_MS + random.int(0, DAY_MS);
        if (at >= lifeEnd - HOUR_MS) break;
        versions.push({ id: `${base}.r${v}`, at });
      }
    }
    let deletedAt: number | null = null;
    if (identity.deletedAt !== null) {
      // An NHI's credentials go just before it does.
      deletedAt = identity.deletedAt - 1000;
    } else if (random.chance(CREDENTIAL_DELETED_SHARE)) {
      const from = versions[versions.length - 1]!.at + DAY_MS;
      if (from < TIMELINE_END - DAY_MS) deletedAt = Math.floor(random.between(from, TIMELINE_END - DAY_MS));
    }
    let store: StoreModel | null = null;
    if (kind !== 'oidc_trust' && random.chance(STORED_SHARE)) {
      const at = createdAt + random.int(1, 30) * MINUTE_MS;
      if (deletedAt === null || at < deletedAt) store = this.chooseStore(random, identity, kind, at);
    }
    return {
      ordinal,
      kind,
      createdAt,
      createdBy: this.credentialCreator(random, identity, ownerIndex, createdAt),
      expiresAt,
      versions,
      deletedAt,
      store,
    };
  }

  /**
   * Who issues an NHI's credentials: its creator most of the time (an NHI's keys, a pipeline's),
   * as long as that creator still exists when the credential is issued.
   */
  private credentialCreator(
    random: SeededRandom,
    identity: NhiIdentity,
    ownerIndex: number | null,
    at: number,
  ): string | null {
    if (!random.chance(0.85)) return null;
    const { creator } = identity;
    if (creator?.kind === 'nhi') {
      const { deletedAt } = this.identity(creator.index);
      return deletedAt === null || at < deletedAt ? this.creatorId(creator) : null;
    }
    if (creator) return this.creatorId(creator);
    return ownerIndex !== null ? this.people.get(ownerIndex).id : null;
  }

  private chooseStore(random: SeededRandom, identity: NhiIdentity, kind: CredentialKindName, at: number): StoreModel {
    const choice = random.weighted(STORE_MIX);
    const storeKind = choice === 'native' ? NATIVE_STORE[identity.platform] : choice;
    const { environment: env, team, name } = identity;
    const repoIndex = this.ci.pickRepo(random);
    const repo = this.ci.repoName(repoIndex);
    const ciSource = `ci.${this.ci.repoPlatform(repoIndex)}`;
    switch (storeKind) {
      case 'vault':
        return { kind: 'vault', id: `store:vault:kv/${env}/${team}/${name}`, at, source: 'secrets.vault' };
      case 'secrets_manager':
        return { kind: storeKind, id: `store:aws:secretsmanager/${env}/${team}/${name}`, at, source: 'secrets.aws' };
      case 'secret_manager':
        return { kind: storeKind, id: `store:gcp:secretmanager/${team}-${name}`, at, source: 'secrets.gcp' };
      case 'key_vault':
        return { kind: storeKind, id: `store:azure:keyvault/kv-${team}-${env}/${name}`, at, source: 'secrets.azure' };
      case 'k8s_secret':
        return { kind: storeKind, id: `store:k8s:${team}-${env}/secret/${name}`, at, source: 'secrets.k8s' };
      case 'ci_variable': {
        const variable = `${team}_${kind}_${identity.index.toString(36)}`.toUpperCase();
        return { kind: storeKind, id: `store:ci_variable:${repo}/${variable}`, at, source: ciSource };
      }
      // Files are shared: every secret committed to a repository lands in the same few files.
      case 'repo_file':
        return { kind: storeKind, id: `store:repo_file:${repo}/config/secrets.yml`, at, source: ciSource };
      case 'env_file':
        return { kind: storeKind, id: `store:env_file:${repo}/.env`, at, source: ciSource };
      default:
        throw new Error(`unknown store kind ${storeKind}`);
    }
  }

  private grant(
    random: SeededRandom,
    roleIndex: number,
    start: number,
    lifeEnd: number,
    revokedShare: number,
  ): GrantModel {
    const at = start + random.int(1, 120) * MINUTE_MS;
    const revocable = at + 7 * DAY_MS < lifeEnd - HOUR_MS;
    const revokedAt =
      revocable && random.chance(revokedShare) ? Math.floor(random.between(at + 7 * DAY_MS, lifeEnd - HOUR_MS)) : null;
    return { roleIndex, at, revokedAt };
  }

  private buildWorkload(random: SeededRandom, identity: NhiIdentity, lifeEnd: number): WorkloadModel {
    const app = random.pick(APPS);
    const first = identity.createdAt + random.int(2, 60) * MINUTE_MS;
    const firstOwner = random.chance(1 - WORKLOAD_UNOWNED_SHARE) ? this.people.pickCreator(random) : null;
    const deployments: WorkloadDeployment[] = [{ at: first, ownerIndex: firstOwner }];
    const redeploys = random.weighted(WORKLOAD_REDEPLOYS);
    const times: number[] = [];
    for (let k = 0; k < redeploys; k++) {
      if (first + DAY_MS < lifeEnd - HOUR_MS) times.push(Math.floor(random.between(first + DAY_MS, lifeEnd - HOUR_MS)));
    }
    for (const at of times.sort((a, b) => a - b)) {
      // The owner stays while they are around; a leaver's workload passes to someone else.
      const ownerIndex =
        firstOwner === null || this.people.isActiveAt(firstOwner, at) ? firstOwner : this.people.pickActive(random, at);
      deployments.push({ at, ownerIndex });
    }
    return {
      id: `workload:${identity.platform}:${identity.team}-${app}-${identity.environment}-${identity.index.toString(36)}`,
      name: `${identity.team}-${app}`,
      deployments,
    };
  }

  private buildUsage(
    random: SeededRandom,
    nhi: NhiIdentity,
    credentials: readonly CredentialModel[],
    roles: readonly GrantModel[],
    ownerIndex: number | null,
    lifeEnd: number,
  ): UsageModel[] {
    const usage: UsageModel[] = [];
    const count = random.weighted(USAGE_PER_NHI);
    for (let k = 0; k < count; k++) {
      const credential = random.pick(credentials);
      const from = credential.createdAt + MINUTE_MS;
      const to = Math.min(credential.deletedAt ?? lifeEnd, lifeEnd);
      if (to <= from + 1) continue;
      const at = Math.floor(random.between(from + 1, to));
      const version = NhiPopulation.versionAt(credential, at);
      if (version === null) continue;
      const { resource, level } = this.usedResource(random, nhi.platform, roles, at);
      const interactive = random.chance(INTERACTIVE_SHARE);
      usage.push({
        at,
        credentialId: credential.kind === 'oidc_trust' ? null : version,
        resource,
        action: random.pick(this.catalog.actions(resource, level === 'admin' ? 'write' : level)),
        actorId: interactive ? this.people.get(this.humanActor(random, nhi, ownerIndex, at)).id : nhi.id,
        interactive,
        sourceIp: interactive
          ? `198.51.100.${random.int(1, 254)}`
          : `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`,
      });
    }
    return usage;
  }

  /** A resource the NHI can reach at `time` through a role it holds, else one of its platform's. */
  private usedResource(
    random: SeededRandom,
    platform: Platform,
    roles: readonly GrantModel[],
    time: number,
  ): { resource: number; level: GrantLevel } {
    const held = roles.filter((grant) => grant.at < time && (grant.revokedAt === null || time < grant.revokedAt));
    if (held.length > 0) {
      const grants = this.catalog.role(random.pick(held).roleIndex).grants;
      if (grants.length > 0) return random.pick(grants);
    }
    return { resource: this.catalog.pickResource(random, platform), level: 'read' };
  }

  /** The human behind an interactive use: the NHI's owner or creator if still around, else a builder. */
  private humanActor(random: SeededRandom, nhi: NhiIdentity, ownerIndex: number | null, time: number): number {
    const known = ownerIndex ?? (nhi.creator?.kind === 'person' ? nhi.creator.index : null);
    return known !== null && this.people.isActiveAt(known, time) ? known : this.people.pickActive(random, time);
  }
}

function credentialKind(random: SeededRandom, identity: NhiIdentity): CredentialKindName {
  if (identity.kind === 'workload_identity') return random.weighted(WORKLOAD_IDENTITY_CREDENTIALS);
  if (identity.kind === 'oauth_app' || identity.kind === 'github_app') return random.weighted(APP_CREDENTIALS);
  return random.weighted(CREDENTIAL_KINDS_BY_PLATFORM[identity.platform]);
}

function nhiName(kind: NhiKindName, team: string, app: string, environment: EnvironmentName, index: number): string {
  const suffix = index.toString(36);
  switch (kind) {
    case 'service_account':
      return `svc-${team}-${app}-${environment}-${suffix}`;
    case 'workload_identity':
      return `wi-${team}-${app}-${environment}-${suffix}`;
    case 'machine_user':
      return `${team}-automation-${environment}-${suffix}`;
    case 'oauth_app':
      return `${team}-${app}-oauth-${suffix}`;
    case 'bot':
      return `${team}-${app}-bot-${suffix}`;
    case 'github_app':
      return `${team}-${app}-app-${suffix}`;
    case 'ai_agent':
      return `${team}-${app}-agent-${suffix}`;
  }
}
