import type { EventDraft, JsonObject, NativeDecoder } from './native-helpers';
import {
  at,
  canonicalEvents,
  draft,
  firstText,
  looksLikeEmail,
  need,
  nodeId,
  normaliseTime,
  optionalTime,
  personId,
  sourceOf,
  text,
} from './native-helpers';

/**
 * GitLab audit events (streaming destinations and the audit events API: `id`, `event_type`,
 * `entity_path`, `target_id`, `created_at`, `details`). Project, group and personal access tokens
 * map to canonical events, with the same ids the webhook decoder gives access tokens. Other
 * event types say nothing the graph keeps.
 */

const PLATFORM = 'gitlab';

type Handler = (record: JsonObject, createdBy: string | undefined) => EventDraft[];

export function isGitlabAuditEvent(record: JsonObject): boolean {
  return (
    text(record, 'event_type') !== undefined &&
    (text(record, 'entity_type') !== undefined || at(record, 'author_id') !== undefined)
  );
}

export const decodeGitlabAudit: NativeDecoder = (record) => {
  const eventType = need(record, 'event_type');
  const handler = HANDLERS[eventType];
  if (handler === undefined) return [];
  const id = need(record, 'id');
  const time = normaliseTime(at(record, 'created_at'), 'created_at');
  const namespace = text(record, 'entity_path')?.split('/')[0];
  const author = firstText(record, ['details.author_email', 'author_email']);
  return canonicalEvents(
    { id, source: sourceOf('gitlab.audit', namespace), time },
    handler(record, looksLikeEmail(author) ? personId(author) : undefined),
  );
};

/** `token_id: 123` in the message when GitLab writes it, else the event's target. */
function tokenIdOf(record: JsonObject): string {
  const message = firstText(record, ['details.custom_message', 'custom_message']) ?? '';
  return /token_id:\s*(\d+)/.exec(message)?.[1] ?? need(record, 'target_id');
}

function tokenCreated(prefix: 'access-token' | 'pat', kind: 'api_token' | 'pat'): Handler {
  return (record, createdBy) => {
    const tokenId = tokenIdOf(record);
    const nhiId = nodeId('NHI', PLATFORM, `${prefix}/${tokenId}`);
    const credentialId = nodeId('Credential', PLATFORM, `${prefix}/${tokenId}`);
    const expiresAt = optionalTime(at(record, 'details.expires_at'), 'details.expires_at');
    return [
      draft('iam.nhi.created', nhiId, {
        nhiId,
        kind: 'api_token',
        name: text(record, 'target_details'),
        platform: PLATFORM,
        createdBy,
        expiresAt,
      }),
      draft('iam.credential.created', credentialId, { credentialId, nhiId, kind, createdBy, expiresAt }),
    ];
  };
}

function tokenDeleted(prefix: 'access-token' | 'pat'): Handler {
  return (record) => {
    const tokenId = tokenIdOf(record);
    const credentialId = nodeId('Credential', PLATFORM, `${prefix}/${tokenId}`);
    const nhiId = nodeId('NHI', PLATFORM, `${prefix}/${tokenId}`);
    return [
      draft('iam.credential.deleted', credentialId, { credentialId }),
      draft('iam.nhi.deleted', nhiId, { nhiId }),
    ];
  };
}

const HANDLERS: Readonly<Record<string, Handler>> = {
  project_access_token_created: tokenCreated('access-token', 'api_token'),
  group_access_token_created: tokenCreated('access-token', 'api_token'),
  project_access_token_deleted: tokenDeleted('access-token'),
  group_access_token_deleted: tokenDeleted('access-token'),
  project_access_token_revoked: tokenDeleted('access-token'),
  group_access_token_revoked: tokenDeleted('access-token'),
  personal_access_token_created: tokenCreated('pat', 'pat'),
  personal_access_token_revoked: tokenDeleted('pat'),
};
