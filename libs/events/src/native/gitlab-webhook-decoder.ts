import type { AccessLevel } from '@lineage/domain';
import type { EventDraft, JsonObject, NativeDecoder } from './native-helpers';
import {
  at,
  canonicalEvents,
  contentId,
  draft,
  environmentOf,
  fail,
  firstText,
  listAt,
  looksLikeEmail,
  need,
  nodeId,
  normaliseTime,
  optionalTime,
  personId,
  scopedGrant,
  sourceOf,
  text,
} from './native-helpers';

/**
 * GitLab webhooks (project and group hooks: `object_kind`) and system hooks (`event_name`).
 * Finished pipelines and jobs, successful deployments, group and project membership, and
 * project or group access tokens (from their expiry warning) map to canonical events. The id is
 * the `X-Gitlab-Event-UUID` header, else a hash of the payload. GitLab ids are per instance:
 * node ids use project and group paths, which assumes one GitLab instance per deployment.
 */

const PLATFORM = 'gitlab';
const FINISHED = new Set(['success', 'failed', 'canceled', 'cancelled']);

interface HookContext {
  readonly body: JsonObject;
  /** The payload's time for this event and the field it came from. */
  time: { readonly value: unknown; readonly field: string } | undefined;
}

type Handler = (context: HookContext) => EventDraft[];

export function isGitlabWebhook(record: JsonObject, headers: Readonly<Record<string, string>>): boolean {
  if (headers['x-gitlab-event'] !== undefined) return true;
  return text(record, 'object_kind') !== undefined || text(record, 'event_name') !== undefined;
}

export const decodeGitlabWebhook: NativeDecoder = (record, { headers }) => {
  const kind = text(record, 'object_kind') ?? text(record, 'event_name') ?? fail('object_kind', 'is required');
  const handler = HANDLERS[kind];
  if (handler === undefined) return [];
  const context: HookContext = { body: record, time: undefined };
  const drafts = handler(context);
  if (drafts.length === 0) return [];

  const id = headers['x-gitlab-event-uuid'] ?? headers['idempotency-key'] ?? contentId(record, [kind]);
  const payloadTime = context.time?.value;
  const time =
    payloadTime !== undefined && payloadTime !== null
      ? normaliseTime(payloadTime, context.time?.field ?? 'created_at')
      : normaliseTime(headers['date'] ?? fail(context.time?.field ?? 'date', 'is required'), 'date');
  const host = /^https?:\/\/([^/]+)/.exec(firstText(record, ['project.web_url', 'repository.homepage']) ?? '')?.[1];
  return canonicalEvents({ id, source: sourceOf('gitlab.webhook', host), time }, drafts);
};

const HANDLERS: Readonly<Record<string, Handler>> = {
  pipeline: (c) => {
    if (!FINISHED.has(need(c.body, 'object_attributes.status'))) return [];
    c.time = {
      value: at(c.body, 'object_attributes.finished_at') ?? at(c.body, 'object_attributes.created_at'),
      field: 'object_attributes.finished_at',
    };
    const repo = projectPath(c.body);
    // Jobs that succeeded in an environment deployed to it.
    const deployedTo = listAt(c.body, 'builds')
      .filter((build) => text(build, 'status') === 'success' && text(build, 'environment.name') !== undefined)
      .map((build) => environmentWorkload(repo, need(build, 'environment.name')));
    return [pipelineRan(repo, userOf(c.body), deployedTo.length > 0 ? [...new Set(deployedTo)] : undefined)];
  },
  build: (c) => {
    const status = need(c.body, 'build_status');
    if (!FINISHED.has(status)) return [];
    c.time = { value: at(c.body, 'build_finished_at'), field: 'build_finished_at' };
    const repo = projectPath(c.body);
    const environment = text(c.body, 'environment.name');
    const deployed =
      status === 'success' && environment !== undefined ? environmentWorkload(repo, environment) : undefined;
    return [pipelineRan(repo, userOf(c.body), deployed)];
  },
  deployment: (c) => {
    if (need(c.body, 'status') !== 'success') return [];
    c.time = { value: at(c.body, 'status_changed_at'), field: 'status_changed_at' };
    const repo = projectPath(c.body);
    const environment = need(c.body, 'environment');
    const workloadId = environmentWorkload(repo, environment);
    return [
      draft('workload.deployed', workloadId, {
        workloadId,
        name: `${repo} (${environment})`,
        environment: environmentOf(firstText(c.body, ['environment_tier', 'environment'])),
      }),
    ];
  },
  /**
   * A project or group access token, seen through its expiry warning: an NHI (the token's bot user
   * acts with the token's scopes) with one credential, created at the token's `created_at`.
   */
  access_token: (c) => {
    c.time = { value: at(c.body, 'object_attributes.created_at'), field: 'object_attributes.created_at' };
    const tokenId = need(c.body, 'object_attributes.id');
    const nhiId = nodeId('NHI', PLATFORM, `access-token/${tokenId}`);
    const credentialId = nodeId('Credential', PLATFORM, `access-token/${tokenId}`);
    const expiresAt = optionalTime(at(c.body, 'object_attributes.expires_at'), 'object_attributes.expires_at');
    const scope = firstText(c.body, ['project.path_with_namespace', 'group.group_path']);
    return [
      draft('iam.nhi.created', nhiId, {
        nhiId,
        kind: 'api_token',
        name: text(c.body, 'object_attributes.name'),
        platform: PLATFORM,
        purpose: scope === undefined ? undefined : `access token of ${scope}`,
        expiresAt,
      }),
      draft('iam.credential.created', credentialId, { credentialId, nhiId, kind: 'api_token', expiresAt }),
    ];
  },
  user_add_to_group: (c) => membership(c, 'group', 'grant'),
  user_update_for_group: (c) => membership(c, 'group', 'grant'),
  user_remove_from_group: (c) => membership(c, 'group', 'revoke'),
  user_add_to_team: (c) => membership(c, 'project', 'grant'),
  user_update_for_team: (c) => membership(c, 'project', 'grant'),
  user_remove_from_team: (c) => membership(c, 'project', 'revoke'),
};

/** The project's path (`group/project`): from `project`, else from the repository's home page. Ids use it lower-cased. */
function projectPath(body: JsonObject): string {
  const path = text(body, 'project.path_with_namespace');
  if (path !== undefined) return path;
  const homepage = /^https?:\/\/[^/]+\/(.+?)\/?$/.exec(text(body, 'repository.homepage') ?? '')?.[1];
  return homepage ?? fail('project.path_with_namespace', 'is required');
}

function environmentWorkload(repo: string, environment: string): string {
  return nodeId('Workload', PLATFORM, `${repo.toLowerCase()}/environment/${environment}`);
}

/** A project's CI configuration is one pipeline (a Workload); each run and job is a run of it. */
function pipelineRan(
  repo: string,
  triggeredBy: string | undefined,
  deployedTo: string | string[] | undefined,
): EventDraft {
  const pipelineId = nodeId('Workload', PLATFORM, `${repo.toLowerCase()}/pipeline`);
  return draft('ci.pipeline.ran', pipelineId, { pipelineId, repo, triggeredBy, deployedTo });
}

/** A GitLab user as a person: by e-mail when the payload shows one (GitLab may redact it), else by username. */
function userOf(body: JsonObject): string | undefined {
  const email = text(body, 'user.email');
  if (looksLikeEmail(email)) return personId(email);
  const username = text(body, 'user.username');
  return username === undefined ? undefined : personId(username);
}

const ACCESS_LEVELS: Readonly<Record<string, AccessLevel>> = {
  owner: 'admin',
  maintainer: 'admin',
  developer: 'write',
  reporter: 'read',
  planner: 'read',
  guest: 'read',
  'minimal access': 'read',
};

/**
 * Group or project membership at an access level: a role of its own per scope and level
 * (`role:gitlab:<path>/developer`) that grants the group or project at that level.
 */
function membership(c: HookContext, scope: 'group' | 'project', change: 'grant' | 'revoke'): EventDraft[] {
  c.time = { value: at(c.body, 'updated_at') ?? at(c.body, 'created_at'), field: 'updated_at' };
  const path = scope === 'group' ? need(c.body, 'group_path') : need(c.body, 'project_path_with_namespace');
  const accessName = need(c.body, scope === 'group' ? 'group_access' : 'project_access');
  const email = text(c.body, 'user_email');
  const principalId = looksLikeEmail(email) ? personId(email) : personId(need(c.body, 'user_username'));
  const roleId = nodeId('Role', PLATFORM, `${path.toLowerCase()}/${accessName.toLowerCase()}`);
  if (change === 'revoke') return [draft('iam.role.revoked', principalId, { principalId, roleId })];
  return scopedGrant({
    principalId,
    roleId,
    roleName: `${accessName} of ${path}`,
    resourceId: nodeId('Resource', PLATFORM, path.toLowerCase()),
    level: ACCESS_LEVELS[accessName.toLowerCase()] ?? 'read',
    actions: [accessName],
  });
}
