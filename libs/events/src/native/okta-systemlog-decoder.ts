import type { EventDraft, JsonObject, NativeDecoder } from './native-helpers';
import {
  at,
  canonicalEvents,
  draft,
  fail,
  isObject,
  listAt,
  looksLikeEmail,
  need,
  nodeId,
  normaliseTime,
  personId,
  sourceOf,
  text,
} from './native-helpers';

/**
 * Okta System Log events. API tokens, app integrations and user deactivation map to canonical
 * events; sessions, MFA, policy evaluation and failed outcomes say nothing the graph keeps. Okta
 * records do not name the org they come from, so the source is the format alone.
 */

const PLATFORM = 'okta';

interface OktaContext {
  readonly record: JsonObject;
  readonly actorId: string | undefined;
}

type Handler = (context: OktaContext) => EventDraft[];

export function isOktaRecord(record: JsonObject): boolean {
  const eventType = text(record, 'eventType') ?? text(record, 'legacyEventType');
  if (eventType === undefined || !/^[a-z0-9_]+(\.[A-Za-z0-9_]+)+$/.test(eventType)) return false;
  return (
    isObject(at(record, 'actor')) || text(record, 'uuid') !== undefined || text(record, 'displayMessage') !== undefined
  );
}

export const decodeOktaSystemLog: NativeDecoder = (record) => {
  const eventType = need(record, 'eventType');
  const handler = HANDLERS[eventType];
  if (handler === undefined) return [];
  const outcome = text(record, 'outcome.result');
  if (outcome !== undefined && outcome !== 'SUCCESS') return [];
  const id = need(record, 'uuid');
  const time = normaliseTime(at(record, 'published'), 'published');
  return canonicalEvents(
    { id, source: sourceOf('okta.systemlog'), time },
    handler({ record, actorId: actorOf(record) }),
  );
};

const HANDLERS: Readonly<Record<string, Handler>> = {
  /** An API token acts with its creator's rights but outlives their session: an NHI with one credential. */
  'system.api_token.create': (c) => {
    const token = targetOf(c.record, 'Token');
    const tokenId = targetId(token);
    const nhiId = nodeId('NHI', PLATFORM, `api-token/${tokenId}`);
    const credentialId = nodeId('Credential', PLATFORM, `api-token/${tokenId}`);
    return [
      draft('iam.nhi.created', nhiId, {
        nhiId,
        kind: 'api_token',
        name: text(token.value, 'displayName'),
        platform: PLATFORM,
        createdBy: c.actorId,
      }),
      draft('iam.credential.created', credentialId, { credentialId, nhiId, kind: 'api_token', createdBy: c.actorId }),
    ];
  },
  'system.api_token.revoke': (c) => {
    const tokenId = targetId(targetOf(c.record, 'Token'));
    const credentialId = nodeId('Credential', PLATFORM, `api-token/${tokenId}`);
    const nhiId = nodeId('NHI', PLATFORM, `api-token/${tokenId}`);
    return [
      draft('iam.credential.deleted', credentialId, { credentialId }),
      draft('iam.nhi.deleted', nhiId, { nhiId }),
    ];
  },
  /** An app integration (OIDC/OAuth client, SAML app): an OAuth app NHI. */
  'application.lifecycle.create': (c) => {
    const app = targetOf(c.record, 'AppInstance');
    const nhiId = nodeId('NHI', PLATFORM, `app/${targetId(app)}`);
    return [
      draft('iam.nhi.created', nhiId, {
        nhiId,
        kind: 'oauth_app',
        name: text(app.value, 'displayName'),
        platform: PLATFORM,
        createdBy: c.actorId,
      }),
    ];
  },
  'application.lifecycle.delete': (c) => {
    const nhiId = nodeId('NHI', PLATFORM, `app/${targetId(targetOf(c.record, 'AppInstance'))}`);
    return [draft('iam.nhi.deleted', nhiId, { nhiId })];
  },
  /** A deactivated Okta user has left: their access ends everywhere Okta signs them in. */
  'user.lifecycle.deactivate': (c) => {
    const user = targetOf(c.record, 'User');
    const login = text(user.value, 'alternateId');
    if (!looksLikeEmail(login))
      fail(`target[${user.index}].alternateId`, "must be the user's login (an e-mail address)");
    const id = personId(login);
    return [draft('hr.person.left', id, { personId: id, reason: 'Okta user deactivated' })];
  },
};

/** A person when the actor is an Okta user with an e-mail login; system actors and apps are not named. */
function actorOf(record: JsonObject): string | undefined {
  const login = text(record, 'actor.alternateId');
  return text(record, 'actor.type') === 'User' && looksLikeEmail(login) ? personId(login) : undefined;
}

interface Target {
  readonly value: JsonObject;
  readonly index: number;
}

function targetId(target: Target): string {
  return text(target.value, 'id') ?? fail(`target[${target.index}].id`, 'is required');
}

function targetOf(record: JsonObject, type: string): Target {
  const targets = listAt(record, 'target');
  const index = targets.findIndex((target) => text(target, 'type') === type);
  const value = targets[index];
  if (!isObject(value)) fail('target', `names no ${type}`);
  return { value, index };
}
