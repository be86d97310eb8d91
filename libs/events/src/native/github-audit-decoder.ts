import type { EventDraft, JsonObject, NativeDecoder } from './native-helpers';
import {
  at,
  canonicalEvents,
  contentId,
  draft,
  fail,
  need,
  nodeId,
  normaliseTime,
  optionalTime,
  personId,
  sourceOf,
  text,
} from './native-helpers';
import { appNhi, githubActorId, pipelineId } from './github-webhook-decoder';

/**
 * GitHub organization and enterprise audit log entries (`action`, `actor`, `@timestamp` or
 * `created_at`, `_document_id`). App installations, OAuth apps, fine-grained personal access
 * tokens, organization removals and completed workflow runs map to canonical events. Entries
 * without `_document_id` (older exports) get an id hashed from their content.
 */

const PLATFORM = 'github';

interface AuditContext {
  readonly record: JsonObject;
  readonly actorId: string | undefined;
}

type Handler = (context: AuditContext) => EventDraft[];

export function isGithubAuditEntry(record: JsonObject): boolean {
  const action = text(record, 'action');
  if (action === undefined || !/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(action)) return false;
  return (
    text(record, 'actor') !== undefined ||
    text(record, '_document_id') !== undefined ||
    at(record, '@timestamp') !== undefined
  );
}

export const decodeGithubAudit: NativeDecoder = (record) => {
  const action = need(record, 'action');
  const handler = HANDLERS[action];
  if (handler === undefined) return [];
  const id = text(record, '_document_id') ?? contentId(record);
  const time = normaliseTime(at(record, '@timestamp') ?? at(record, 'created_at'), 'created_at');
  const actor = text(record, 'actor');
  const org = text(record, 'org')?.toLowerCase();
  const tenant = org ?? text(record, 'business')?.toLowerCase();
  return canonicalEvents(
    { id, source: sourceOf('github.audit', tenant), time },
    handler({ record, actorId: actor === undefined ? undefined : githubActorId(actor, org) }),
  );
};

const HANDLERS: Readonly<Record<string, Handler>> = {
  /** See the webhook decoder: organization removal is leaving; repository or team removal is not. */
  'org.remove_member': (c) => {
    const id = personId(need(c.record, 'user'));
    const org = text(c.record, 'org');
    return [
      draft('hr.person.left', id, {
        personId: id,
        reason: org === undefined ? 'removed from the GitHub organization' : `removed from GitHub organization ${org}`,
      }),
    ];
  },
  'integration_installation.create': (c) => {
    const nhiId = installationNhi(c.record);
    return [
      draft('iam.nhi.created', nhiId, {
        nhiId,
        kind: 'github_app',
        name: text(c.record, 'name'),
        platform: PLATFORM,
        createdBy: c.actorId,
      }),
    ];
  },
  'integration_installation.destroy': (c) => {
    const nhiId = installationNhi(c.record);
    return [draft('iam.nhi.deleted', nhiId, { nhiId })];
  },
  'oauth_application.create': (c) => {
    const nhiId = nodeId('NHI', PLATFORM, `oauth-app/${need(c.record, 'oauth_application_id')}`);
    return [
      draft('iam.nhi.created', nhiId, {
        nhiId,
        kind: 'oauth_app',
        name: text(c.record, 'oauth_application_name'),
        platform: PLATFORM,
        createdBy: c.actorId,
      }),
    ];
  },
  'oauth_application.destroy': (c) => {
    const nhiId = nodeId('NHI', PLATFORM, `oauth-app/${need(c.record, 'oauth_application_id')}`);
    return [draft('iam.nhi.deleted', nhiId, { nhiId })];
  },
  /**
   * A fine-grained personal access token approved for the organization: like an API token, an NHI
   * acting with its owner's rights, with one credential (kind `pat`).
   */
  'personal_access_token.access_granted': (c) => {
    const tokenId = need(c.record, 'token_id');
    const owner = text(c.record, 'user') ?? text(c.record, 'actor');
    const createdBy = owner === undefined ? undefined : githubActorId(owner, text(c.record, 'org'));
    const nhiId = nodeId('NHI', PLATFORM, `pat/${tokenId}`);
    const credentialId = nodeId('Credential', PLATFORM, `pat/${tokenId}`);
    return [
      draft('iam.nhi.created', nhiId, {
        nhiId,
        kind: 'api_token',
        name: text(c.record, 'token_name'),
        platform: PLATFORM,
        createdBy,
      }),
      draft('iam.credential.created', credentialId, {
        credentialId,
        nhiId,
        kind: 'pat',
        createdBy,
        expiresAt: optionalTime(at(c.record, 'token_expires_at'), 'token_expires_at'),
      }),
    ];
  },
  'personal_access_token.access_revoked': (c) => {
    const tokenId = need(c.record, 'token_id');
    const credentialId = nodeId('Credential', PLATFORM, `pat/${tokenId}`);
    const nhiId = nodeId('NHI', PLATFORM, `pat/${tokenId}`);
    return [
      draft('iam.credential.deleted', credentialId, { credentialId }),
      draft('iam.nhi.deleted', nhiId, { nhiId }),
    ];
  },
  'workflows.completed_workflow_run': (c) => {
    const repo = need(c.record, 'repo');
    const id = pipelineId(repo, need(c.record, 'name'));
    return [draft('ci.pipeline.ran', id, { pipelineId: id, repo, triggeredBy: c.actorId })];
  },
};

/** The app, by the slug of its name, in the organization it is installed in (as the webhook decoder names it). */
function installationNhi(record: JsonObject): string {
  return appNhi(text(record, 'org') ?? fail('org', 'is required'), need(record, 'name'));
}
