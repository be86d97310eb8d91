import type { Weighted } from './seeded-random';
import type { EnvironmentName } from './canonical-event-like';

/**
 * What a synthetic enterprise looks like: its timeline, its proportions and how its populations
 * scale with the number of people. Every knob the generator turns is here, so the shape of the
 * benchmark data can be read (and argued about) in one place.
 */

export interface EnterpriseOptions {
  /** Number of people (P). */
  readonly people: number;
  /** Seed of every random choice; the same seed gives byte-identical output. Default 42. */
  readonly seed?: number;
  /** NHIs per person on average. Default 45 (industry reports put the ratio at 25–50). */
  readonly nhisPerPerson?: number;
}

export interface ResolvedOptions {
  readonly people: number;
  readonly seed: number;
  readonly nhisPerPerson: number;
}

export const DEFAULT_SEED = 42;
export const DEFAULT_NHIS_PER_PERSON = 45;
/** Person ids carry six digits (`person:e000123`). */
export const MAX_PEOPLE = 999_999;

export function resolveOptions(options: EnterpriseOptions): ResolvedOptions {
  const { people } = options;
  const seed = options.seed ?? DEFAULT_SEED;
  const nhisPerPerson = options.nhisPerPerson ?? DEFAULT_NHIS_PER_PERSON;
  if (!Number.isInteger(people) || people < 2 || people > MAX_PEOPLE) {
    throw new RangeError(`people: must be an integer from 2 to ${MAX_PEOPLE}, got ${String(people)}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed: must be an integer from 0 to 4294967295, got ${String(seed)}`);
  }
  if (!Number.isFinite(nhisPerPerson) || nhisPerPerson <= 0 || nhisPerPerson > 1000) {
    throw new RangeError(`nhisPerPerson: must be a number above 0 and at most 1000, got ${String(nhisPerPerson)}`);
  }
  return { people, seed, nhisPerPerson };
}

// ---------------------------------------------------------------------------------------------
// Timeline: two years ending at a fixed date (never the clock), in phases so that everything an
// event refers to exists before it.

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
/** The end of the generated history. */
export const TIMELINE_END = Date.UTC(2025, 5, 30);
export const TIMELINE_START = TIMELINE_END - 730 * DAY_MS;

export const TIMELINE = {
  /** The HR import: everyone joins, managers first. */
  peopleJoin: [TIMELINE_START, TIMELINE_START + 45 * DAY_MS],
  vendorsOnboard: [TIMELINE_START + 45 * DAY_MS, TIMELINE_START + 50 * DAY_MS],
  rolesDefined: [TIMELINE_START + 50 * DAY_MS, TIMELINE_START + 55 * DAY_MS],
  /** Pipelines are registered (and run once) before they create anything. */
  pipelinesRegistered: [TIMELINE_START + 55 * DAY_MS, TIMELINE_START + 60 * DAY_MS],
  /** NHIs are created one after another over most of the two years. */
  nhisCreated: [TIMELINE_START + 60 * DAY_MS, TIMELINE_END - 60 * DAY_MS],
  pipelineRuns: [TIMELINE_START + 60 * DAY_MS, TIMELINE_END],
  reorganisations: [TIMELINE_START + 90 * DAY_MS, TIMELINE_END - 90 * DAY_MS],
  /** Leavers and ended vendor contracts come late, after most of what they are accountable for. */
  departures: [TIMELINE_END - 60 * DAY_MS, TIMELINE_END - DAY_MS],
} as const satisfies Record<string, readonly [number, number]>;

// ---------------------------------------------------------------------------------------------
// Scale: every population as a function of P.

export interface EnterpriseScale {
  readonly people: number;
  readonly nhis: number;
  readonly vendors: number;
  readonly roles: number;
  readonly resources: number;
  readonly repos: number;
  readonly pipelines: number;
  readonly pipelineRuns: number;
}

export function enterpriseScale(options: ResolvedOptions): EnterpriseScale {
  const p = options.people;
  const pipelines = Math.max(2, Math.round(p / 4));
  return {
    people: p,
    nhis: Math.max(1, Math.round(p * options.nhisPerPerson)),
    vendors: Math.max(2, Math.round(p / 40)),
    // Enough ordinary roles that the admin tiers stay a few, even in a small enterprise.
    roles: Math.max(ADMIN_TIERS * PLATFORM_CYCLE.length * 7, Math.round(p * 1.5)),
    resources: Math.max(400, p * 5),
    repos: Math.max(2, Math.round(p / 5)),
    pipelines,
    pipelineRuns: pipelines * 10,
  };
}

// ---------------------------------------------------------------------------------------------
// People.

/** Reports per manager: managers come first (lower indexes), so the tree is built in join order. */
export const SPAN_OF_CONTROL = 7;
/** Each vice-president (level 1) heads one department; the CEO is in `executive`. */
export const DEPARTMENTS = ['engineering', 'platform', 'data', 'security', 'finance', 'sales', 'operations'] as const;
/** Departments whose people create and own most NHIs. */
export const BUILDER_DEPARTMENTS: readonly string[] = ['engineering', 'platform', 'data', 'security'];
export const CONTRACTOR_SHARE = 0.15;
export const LEAVER_SHARE = 0.03;
/** Of the leavers, the share that are managers (their reports keep pointing at them). */
export const MANAGER_LEAVER_SHARE = 0.2;
export const MOVER_SHARE = 0.05;

// ---------------------------------------------------------------------------------------------
// Platforms. Roles and resources are laid out in rounds of 20 slots; a slot's platform is fixed,
// so "the roles of platform p" are found by arithmetic, without a table per platform.

// prettier-ignore
export const PLATFORM_CYCLE = [
  'aws', 'aws', 'aws', 'aws', 'aws', 'aws',
  'gcp', 'gcp', 'gcp',
  'azure', 'azure', 'azure',
  'k8s', 'k8s', 'k8s', 'k8s',
  'github', 'github',
  'gitlab',
  'okta',
] as const;
export type Platform = (typeof PLATFORM_CYCLE)[number];

export const RESOURCE_KINDS: Readonly<Record<Platform, readonly string[]>> = {
  aws: ['account', 'bucket', 'database', 'secret', 'queue', 'function'],
  gcp: ['project', 'bucket', 'dataset', 'secret'],
  azure: ['subscription', 'storage_account', 'key_vault', 'database'],
  k8s: ['namespace', 'secret', 'deployment'],
  github: ['repo', 'org'],
  gitlab: ['repo', 'group'],
  okta: ['app', 'group'],
};

/** Admin roles come in tiers: tier 0 can assume tier 1, which can assume tier 2 (thousands of resources). */
export const ADMIN_TIERS = 3;
/** The events contract caps a role's grants list at 1000 entries per event. */
export const MAX_GRANTS_PER_ROLE = 1000;
export const ADMIN_GRANTS: readonly [number, number] = [600, MAX_GRANTS_PER_ROLE];
/** Ordinary roles: most reach a handful of resources, a few dozens to a couple of hundred. */
export const ROLE_GRANT_COUNTS: Weighted<readonly [number, number]> = [
  [[1, 1], 30],
  [[2, 3], 35],
  [[4, 8], 27],
  [[20, 200], 8],
];
export const GRANT_LEVELS: Weighted<'read' | 'write' | 'admin'> = [
  ['read', 60],
  ['write', 32],
  ['admin', 8],
];
/** Ordinary roles in these rounds (of 10) can assume the same slot's role in the next round: chains. */
export const CHAINED_ROUNDS: readonly number[] = [4, 5];
/** Share of ordinary roles that can assume their platform's top admin role (an escalation path). */
export const ESCALATION_SHARE = 0.02;
export const TRUST_REVOKED_SHARE = 0.1;

// ---------------------------------------------------------------------------------------------
// NHIs.

export type NhiKindName =
  'service_account' | 'workload_identity' | 'machine_user' | 'oauth_app' | 'bot' | 'github_app' | 'ai_agent';

export const NHI_KIND_MIX: Weighted<NhiKindName> = [
  ['service_account', 34],
  ['workload_identity', 26],
  ['machine_user', 13],
  ['oauth_app', 10],
  ['bot', 7],
  ['github_app', 5],
  ['ai_agent', 5],
];

// prettier-ignore
export const NHI_PLATFORMS: Readonly<Record<NhiKindName, Weighted<Platform>>> = {
  service_account: [['aws', 30], ['gcp', 25], ['azure', 20], ['k8s', 20], ['okta', 5]],
  workload_identity: [['aws', 30], ['gcp', 25], ['azure', 20], ['k8s', 25]],
  machine_user: [['github', 40], ['gitlab', 25], ['okta', 15], ['aws', 20]],
  oauth_app: [['okta', 40], ['azure', 30], ['github', 15], ['gcp', 10], ['gitlab', 5]],
  bot: [['github', 50], ['gitlab', 25], ['okta', 25]],
  github_app: [['github', 1]],
  ai_agent: [['aws', 30], ['azure', 30], ['gcp', 25], ['okta', 15]],
};

export const ENVIRONMENT_MIX: Weighted<EnvironmentName> = [
  ['prod', 45],
  ['staging', 25],
  ['dev', 30],
];

/**
 * How an NHI comes to have (or lack) an accountable human:
 * - `owner`: a declared owner in its creation event;
 * - `person`: only a creator, a person;
 * - `nhi`: created by another NHI (chains up to MAX_CREATION_DEPTH);
 * - `pipeline`: created by a CI pipeline (a workload, owned or not);
 * - `workload`: only a workload that runs as it, and the workload's owner;
 * - `vendor`: supplied by a vendor (its sponsor answers for it);
 * - `none`: nothing at all.
 */
export type OwnershipMode = 'owner' | 'person' | 'nhi' | 'pipeline' | 'workload' | 'vendor' | 'none';

// prettier-ignore
export const OWNERSHIP_MIX: Readonly<Record<NhiKindName, Weighted<OwnershipMode>>> = {
  service_account: [['owner', 25], ['person', 30], ['nhi', 12], ['pipeline', 8], ['workload', 15], ['none', 10]],
  workload_identity: [['owner', 15], ['person', 20], ['nhi', 10], ['pipeline', 15], ['workload', 35], ['none', 5]],
  machine_user: [['owner', 30], ['person', 45], ['nhi', 5], ['none', 20]],
  oauth_app: [['owner', 25], ['person', 30], ['vendor', 35], ['none', 10]],
  bot: [['owner', 20], ['person', 35], ['nhi', 10], ['vendor', 20], ['none', 15]],
  github_app: [['owner', 25], ['person', 35], ['vendor', 30], ['none', 10]],
  ai_agent: [['owner', 30], ['person', 35], ['nhi', 15], ['vendor', 10], ['none', 10]],
};

/** NHIs creating NHIs: how many NHI hops a creation chain may have. */
export const MAX_CREATION_DEPTH = 3;
export const NHI_DELETED_SHARE = 0.025;
export const NHI_EXPIRES_SHARE = 0.1;
/** Owners attested after the fact (`iam.owner.assigned`). */
export const OWNER_ATTESTED_SHARE = 0.08;
/** Roles granted per NHI. */
export const ROLES_PER_NHI: Weighted<number> = [
  [0, 35],
  [1, 55],
  [2, 10],
];
/** NHIs also granted their platform's tier-0 admin role (overprivileged, NHI5). */
export const ADMIN_GRANT_SHARE = 0.02;
export const ROLE_REVOKED_SHARE = 0.06;
/** NHIs that may assume a role directly (federated workload identities, mostly). */
export const NHI_TRUST_SHARE = 0.08;
export const WORKLOAD_UNOWNED_SHARE = 0.15;
export const WORKLOAD_REDEPLOYS: Weighted<number> = [
  [0, 50],
  [1, 35],
  [2, 15],
];

// ---------------------------------------------------------------------------------------------
// Credentials.

export type CredentialKindName =
  'access_key' | 'sa_key' | 'api_token' | 'pat' | 'client_secret' | 'certificate' | 'ssh_key' | 'oidc_trust';

export const CREDENTIALS_PER_NHI: Weighted<number> = [
  [1, 68],
  [2, 24],
  [3, 8],
];

/** Credential kinds by platform; some NHI kinds override (see `credentialKindsFor`). */
// prettier-ignore
export const CREDENTIAL_KINDS_BY_PLATFORM: Readonly<Record<Platform, Weighted<CredentialKindName>>> = {
  aws: [['access_key', 70], ['certificate', 10], ['oidc_trust', 20]],
  gcp: [['sa_key', 65], ['oidc_trust', 35]],
  azure: [['client_secret', 60], ['certificate', 25], ['oidc_trust', 15]],
  k8s: [['api_token', 60], ['certificate', 20], ['oidc_trust', 20]],
  github: [['pat', 60], ['ssh_key', 40]],
  gitlab: [['pat', 50], ['api_token', 20], ['ssh_key', 30]],
  okta: [['api_token', 70], ['client_secret', 30]],
};

export const WORKLOAD_IDENTITY_CREDENTIALS: Weighted<CredentialKindName> = [
  ['oidc_trust', 80],
  ['certificate', 20],
];
export const APP_CREDENTIALS: Weighted<CredentialKindName> = [
  ['client_secret', 75],
  ['certificate', 25],
];

/** Share of credentials of each kind issued with an expiry, and the lifetimes drawn from. */
export const EXPIRY: Readonly<Record<CredentialKindName, { share: number; days: readonly number[] }>> = {
  access_key: { share: 0.1, days: [90, 365] },
  sa_key: { share: 0.3, days: [90, 365] },
  api_token: { share: 0.4, days: [30, 90, 365] },
  pat: { share: 0.6, days: [30, 90, 365] },
  client_secret: { share: 0.7, days: [180, 365, 730] },
  certificate: { share: 1, days: [365, 730] },
  ssh_key: { share: 0, days: [] },
  oidc_trust: { share: 0, days: [] },
};

/** Credentials that are rotated at all; the rest never are (rotation debt, NHI7). */
export const ROTATED_SHARE = 0.3;
export const ROTATION_INTERVAL_DAYS: readonly [number, number] = [60, 200];
export const MAX_ROTATIONS = 3;
export const CREDENTIAL_DELETED_SHARE = 0.03;
/** Credentials whose secret is written to a store (OIDC trusts have no secret to store). */
export const STORED_SHARE = 0.5;

/** Where a stored secret goes. `native` is the platform's own store (see NATIVE_STORE). */
export type StoreChoice = 'repo_file' | 'env_file' | 'ci_variable' | 'native' | 'vault';
export const STORE_MIX: Weighted<StoreChoice> = [
  ['repo_file', 4],
  ['env_file', 5],
  ['ci_variable', 5],
  ['native', 31],
  ['vault', 55],
];
export const NATIVE_STORE: Readonly<Record<Platform, string>> = {
  aws: 'secrets_manager',
  gcp: 'secret_manager',
  azure: 'key_vault',
  k8s: 'k8s_secret',
  github: 'ci_variable',
  gitlab: 'ci_variable',
  okta: 'vault',
};

// ---------------------------------------------------------------------------------------------
// Activity.

/** `audit.credential.used` events per NHI. */
export const USAGE_PER_NHI: Weighted<number> = [
  [0, 75],
  [1, 15],
  [2, 6],
  [4, 4],
];
/** Usage by a person acting as the NHI (NHI10). */
export const INTERACTIVE_SHARE = 0.04;
export const VENDOR_ENDED_SHARE = 0.08;
