import { createHash } from 'node:crypto';
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
  isObject,
  listAt,
  need,
  nodeId,
  normaliseTime,
  objectAt,
  personId,
  scopedGrant,
  slug,
  sourceOf,
  strongestLevel,
  text,
} from './native-helpers';

/**
 * GitHub webhook deliveries. The event name comes from the `X-GitHub-Event` header (or an
 * `x_github_event` field next to the body, as relays and the octokit examples carry it), else from
 * the payload's shape. Deploy keys, app installations and authorizations, organization removals,
 * completed workflow runs and jobs, and deployments map to canonical events. The id is the
 * `X-GitHub-Delivery` header, else a hash of the payload; the time is the payload's own timestamp
 * for the event, else the delivery's `Date` header.
 */

const PLATFORM = 'github';

interface Delivery {
  readonly body: JsonObject;
  readonly event: string | undefined;
}

interface WebhookContext {
  readonly body: JsonObject;
  readonly action: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** The payload's time for this event, when it has one, and the field it came from. */
  time: { readonly value: unknown; readonly field: string } | undefined;
}

type Handler = (context: WebhookContext) => EventDraft[];

/** The delivery names its GitHub event: the `X-GitHub-Event` header, or an `x_github_event` field beside the body. */
export function namesGithubEvent(record: JsonObject, headers: Readonly<Record<string, string>>): boolean {
  return headers['x-github-event'] !== undefined || text(record, 'x_github_event') !== undefined;
}

export function isGithubWebhook(record: JsonObject, headers: Readonly<Record<string, string>>): boolean {
  if (namesGithubEvent(record, headers)) return true;
  if (text(record, 'object_kind') !== undefined || text(record, 'event_name') !== undefined) return false; // GitLab
  const repository = objectAt(record, 'repository');
  if (
    repository !== undefined &&
    (text(repository, 'full_name') !== undefined || text(repository, 'html_url')?.includes('github') === true)
  )
    return true;
  return (
    text(record, 'sender.login') !== undefined &&
    (isObject(at(record, 'installation')) || text(record, 'action') !== undefined)
  );
}

export const decodeGithubWebhook: NativeDecoder = (record, { headers }) => {
  const { body, event } = deliveryOf(record, headers);
  const name = event ?? inferEvent(body);
  const handler = name === undefined ? undefined : HANDLERS[name];
  if (handler === undefined) return [];
  const context: WebhookContext = { body, action: text(body, 'action'), headers, time: undefined };
  const drafts = handler(context);
  if (drafts.length === 0) return [];

  const id = headers['x-github-delivery'] ?? contentId(body, [name ?? '']);
  const time =
    context.time !== undefined && context.time.value !== undefined && context.time.value !== null
      ? normaliseTime(context.time.value, context.time.field)
      : headers['date'] !== undefined
        ? normaliseTime(headers['date'], 'date')
        : fail(
            context.time?.field ?? 'date',
            "is required: the payload has no time for this event (pass the delivery's Date header)",
          );
  return canonicalEvents({ id, source: sourceOf('github.webhook', ownerOf(body)), time }, drafts);
};

/** The body and the event name: a bare payload, or `{x_github_event, payload}` as a relay wraps it. */
function deliveryOf(record: JsonObject, headers: Readonly<Record<string, string>>): Delivery {
  const wrapped = text(record, 'x_github_event');
  const payload = objectAt(record, 'payload');
  const body = wrapped !== undefined && payload !== undefined ? payload : record;
  return { body, event: headers['x-github-event'] ?? wrapped };
}

/** The event a payload without its header is, by the object it carries; undefined when unsure. */
function inferEvent(body: JsonObject): string | undefined {
  if (isObject(at(body, 'workflow_job'))) return 'workflow_job';
  if (isObject(at(body, 'deployment_status'))) return 'deployment_status';
  if (isObject(at(body, 'deployment'))) return 'deployment';
  if (isObject(at(body, 'workflow_run'))) return 'workflow_run';
  if (isObject(at(body, 'key')) && isObject(at(body, 'repository'))) return 'deploy_key';
  if (isObject(at(body, 'installation')) && Array.isArray(at(body, 'repositories'))) return 'installation';
  if (isObject(at(body, 'membership')) && text(body, 'action')?.startsWith('member_') === true) return 'organization';
  return undefined;
}

const HANDLERS: Readonly<Record<string, Handler>> = {
  workflow_run: (c) => {
    if (c.action !== 'completed') return [];
    const run = objectAt(c.body, 'workflow_run') ?? fail('workflow_run', 'is required');
    c.time = { value: at(run, 'updated_at'), field: 'workflow_run.updated_at' };
    const name = firstText(c.body, ['workflow.name', 'workflow_run.name']) ?? fail('workflow_run.name', 'is required');
    return [pipelineRan(c, name, actorOf(c, at(run, 'triggering_actor') ?? at(run, 'actor') ?? at(c.body, 'sender')))];
  },
  workflow_job: (c) => {
    if (c.action !== 'completed') return [];
    c.time = { value: at(c.body, 'workflow_job.completed_at'), field: 'workflow_job.completed_at' };
    return [pipelineRan(c, need(c.body, 'workflow_job.workflow_name'), actorOf(c, at(c.body, 'sender')))];
  },
  deployment: deployment,
  deploy_key: deployKey,
  installation: installation,
  github_app_authorization: (c) => {
    if (c.action !== 'revoked') return [];
    const appId =
      c.headers['x-github-hook-installation-target-id'] ??
      fail('x-github-hook-installation-target-id', 'is required: the payload does not name the app');
    const credentialId = nodeId(
      'Credential',
      PLATFORM,
      `app/${appId}/user/${need(c.body, 'sender.login').toLowerCase()}`,
    );
    return [draft('iam.credential.deleted', credentialId, { credentialId })];
  },
  /**
   * Removal from the organization is the GitHub side of leaving: it triggers offboarding of what the
   * person created there. Removal from a repository or a team is not leaving, and is not mapped.
   */
  organization: (c) => {
    if (c.action !== 'member_removed') return [];
    const login = need(c.body, 'membership.user.login');
    const id = personId(login);
    const org = text(c.body, 'organization.login');
    return [
      draft('hr.person.left', id, {
        personId: id,
        reason: org === undefined ? 'removed from the GitHub organization' : `removed from GitHub organization ${org}`,
      }),
    ];
  },
};

function repositoryOf(c: WebhookContext): string {
  return need(c.body, 'repository.full_name');
}

/** A workflow is a pipeline (a Workload) named by repository and workflow name. */
export function pipelineId(repo: string, workflowName: string): string {
  return nodeId('Workload', PLATFORM, `${repo.toLowerCase()}/workflow/${workflowName}`);
}

function pipelineRan(
  c: WebhookContext,
  workflowName: string,
  triggeredBy: string | undefined,
  deployedTo?: string,
): EventDraft {
  const repo = repositoryOf(c);
  const id = pipelineId(repo, workflowName);
  return draft('ci.pipeline.ran', id, { pipelineId: id, repo, triggeredBy, deployedTo });
}

/**
 * A deployment makes the repository's environment a workload. When a workflow did it, that
 * pipeline ran and deployed to it.
 */
function deployment(c: WebhookContext): EventDraft[] {
  if (c.action !== 'created') return [];
  c.time = { value: at(c.body, 'deployment.created_at'), field: 'deployment.created_at' };
  const repo = repositoryOf(c);
  const environment = need(c.body, 'deployment.environment');
  const workloadId = nodeId('Workload', PLATFORM, `${repo.toLowerCase()}/environment/${environment}`);
  const drafts = [
    draft('workload.deployed', workloadId, {
      workloadId,
      name: `${repo} (${environment})`,
      environment: at(c.body, 'deployment.production_environment') === true ? 'prod' : environmentOf(environment),
    }),
  ];
  const workflow = text(c.body, 'workflow.name');
  if (workflow !== undefined)
    drafts.push(
      pipelineRan(
        c,
        workflow,
        actorOf(c, at(c.body, 'workflow_run.triggering_actor') ?? at(c.body, 'deployment.creator')),
        workloadId,
      ),
    );
  return drafts;
}

/**
 * A deploy key is a repository's machine identity (an NHI) with one SSH key credential, which
 * reads or also writes the repository. The public key's SHA-256 fingerprint identifies it.
 */
function deployKey(c: WebhookContext): EventDraft[] {
  const repo = repositoryOf(c);
  const keyId = need(c.body, 'key.id');
  const nhiId = nodeId('NHI', PLATFORM, `${repo.toLowerCase()}/deploy-key/${keyId}`);
  const credentialId = nodeId('Credential', PLATFORM, `deploy-key/${keyId}`);
  if (c.action === 'deleted')
    return [
      draft('iam.credential.deleted', credentialId, { credentialId }),
      draft('iam.nhi.deleted', nhiId, { nhiId }),
    ];
  if (c.action !== 'created') return [];
  c.time = { value: at(c.body, 'key.created_at'), field: 'key.created_at' };
  const createdBy = actorOf(c, at(c.body, 'sender'));
  const level: AccessLevel = at(c.body, 'key.read_only') === false ? 'write' : 'read';
  return [
    draft('iam.nhi.created', nhiId, {
      nhiId,
      kind: 'machine_user',
      name: text(c.body, 'key.title'),
      platform: PLATFORM,
      createdBy,
    }),
    draft('iam.credential.created', credentialId, {
      credentialId,
      nhiId,
      kind: 'ssh_key',
      createdBy,
      fingerprint: sshFingerprint(text(c.body, 'key.key')),
    }),
    ...scopedGrant({
      principalId: nhiId,
      roleId: nodeId('Role', PLATFORM, `${repo.toLowerCase()}/deploy-key-${level}`),
      roleName: `deploy key (${level})`,
      resourceId: nodeId('Resource', PLATFORM, repo.toLowerCase()),
      level,
      actions: [level === 'write' ? 'contents:write' : 'contents:read'],
    }),
  ];
}

/**
 * An app installation is a GitHub App NHI in the account it is installed on (the audit log names
 * the same NHI). Its permissions become a role of its own that grants the selected repositories,
 * or the whole account.
 */
function installation(c: WebhookContext): EventDraft[] {
  const account = need(c.body, 'installation.account.login');
  const appSlug = text(c.body, 'installation.app_slug') ?? `app-${need(c.body, 'installation.app_id')}`;
  const nhiId = appNhi(account, appSlug);
  if (c.action === 'deleted') return [draft('iam.nhi.deleted', nhiId, { nhiId })];
  if (c.action !== 'created') return [];
  c.time = { value: at(c.body, 'installation.created_at'), field: 'installation.created_at' };
  const permissions = objectAt(c.body, 'installation.permissions') ?? {};
  const actions = Object.entries(permissions).map(([scope, access]) => `${scope}:${String(access)}`);
  const level = strongestLevel(
    Object.entries(permissions).map(([scope, access]): AccessLevel =>
      access === 'admin' || (scope === 'administration' && access === 'write')
        ? 'admin'
        : access === 'write'
          ? 'write'
          : 'read',
    ),
  );
  const roleId = nodeId('Role', PLATFORM, `${account.toLowerCase()}/app/${slug(appSlug)}`);
  const repositories =
    text(c.body, 'installation.repository_selection') === 'all'
      ? [account]
      : listAt(c.body, 'repositories')
          .map((repository) => text(repository, 'full_name'))
          .filter((name): name is string => name !== undefined);
  return [
    draft('iam.nhi.created', nhiId, {
      nhiId,
      kind: 'github_app',
      name: appSlug,
      platform: PLATFORM,
      createdBy: actorOf(c, at(c.body, 'requester') ?? at(c.body, 'sender')),
    }),
    draft('iam.role.defined', roleId, {
      roleId,
      name: `${appSlug} on ${account}`,
      grants: repositories.map((repository) => ({
        resourceId: nodeId('Resource', PLATFORM, repository.toLowerCase()),
        actions,
        level,
      })),
    }),
    draft('iam.role.granted', nhiId, { principalId: nhiId, roleId }),
  ];
}

/** A GitHub user in a payload as a node (see `githubActorId`); the payload's owner account scopes bots. */
function actorOf(c: WebhookContext, user: unknown): string | undefined {
  const login = text(user, 'login');
  if (login === undefined) return undefined;
  return githubActorId(login, ownerOf(c.body), text(user, 'type'));
}

/**
 * A GitHub account as a node. Users are people (by login). A bot (`name[bot]`, `type: Bot`) is its
 * app's installation in the account it acts in: the same NHI the installation events create.
 */
export function githubActorId(login: string, account: string | undefined, type?: string): string {
  const bot = /^(.+)\[bot\]$/.exec(login)?.[1];
  if (bot === undefined && type !== 'Bot') return personId(login);
  return appNhi(account ?? 'github', bot ?? login);
}

/** A GitHub App installed in an account: `nhi:github:<account>/app/<app slug>`. */
export function appNhi(account: string, appSlug: string): string {
  return nodeId('NHI', PLATFORM, `${account.toLowerCase()}/app/${slug(appSlug)}`);
}

/** The account a payload belongs to: its organization, else the repository's or the installation's owner. */
function ownerOf(body: JsonObject): string | undefined {
  return firstText(body, ['organization.login', 'repository.owner.login', 'installation.account.login'])?.toLowerCase();
}

/** OpenSSH's `SHA256:<base64>` fingerprint of a public key line (`ssh-rsa AAAA… comment`). */
function sshFingerprint(publicKey: string | undefined): string | undefined {
  const blob = publicKey?.split(/\s+/)[1];
  if (blob === undefined || !/^[A-Za-z0-9+/]+=*$/.test(blob)) return undefined;
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}
