import type { DecodeContext, EventDraft, JsonObject, NativeDecoder } from './native-helpers';
import {
  at,
  canonicalEvents,
  contentId,
  draft,
  fail,
  firstText,
  flag,
  isObject,
  listAt,
  looksLikeEmail,
  normaliseTime,
  objectAt,
  personId,
  sourceOf,
  text,
} from './native-helpers';

/**
 * SCIM 2.0 provisioning (RFC 7643/7644) as the identity provider sends it: creating a user joins a
 * person, deactivating (`active: false`) or deleting one is their leaving. A request body does not
 * say which request it is, so the transport passes the HTTP/2 pseudo-headers `:method` and `:path`
 * (and the `Date` header for the time); bulk requests carry their own methods and paths. A user
 * resource shown without a request (a GET response, a sync export) is a snapshot dated by its `meta`.
 *
 * People are keyed by e-mail (else user name), like every other source. PATCH and DELETE name a
 * user only by the id in the path: the SCIM endpoint must hand out that key as the user's `id`
 * for the two to meet (see docs/native-formats.md).
 */

const SCIM_URN = 'urn:ietf:params:scim:';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

interface ScimRequest {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly body: JsonObject;
  /** Where this request sits in the record, for error fields (`Operations[1].`). */
  readonly prefix: string;
}

export function isScimMessage(record: JsonObject): boolean {
  return schemasOf(record).some((schema) => schema.startsWith(SCIM_URN));
}

export const decodeScim: NativeDecoder = (record, { headers }) => {
  const request: ScimRequest = {
    method: headers[':method']?.toUpperCase(),
    path: headers[':path'],
    body: record,
    prefix: '',
  };
  const drafts = schemasOf(record).includes(BULK_SCHEMA) ? bulk(record) : requestDrafts(request);
  if (drafts.length === 0) return [];
  const time = timeOf(record, request, headers);
  const id = contentId(record, [request.method ?? '', request.path ?? '', headers['date'] ?? '']);
  return canonicalEvents({ id, source: sourceOf('scim'), time }, drafts);
};

function schemasOf(record: JsonObject): string[] {
  return listAt(record, 'schemas').filter((schema): schema is string => typeof schema === 'string');
}

/** The request's `Date`; a resource snapshot's own `meta` dates; else the record cannot be placed in time. */
function timeOf(record: JsonObject, request: ScimRequest, headers: DecodeContext['headers']): string {
  if (headers['date'] !== undefined) return normaliseTime(headers['date'], 'date');
  if (request.method === undefined && schemasOf(record).includes(USER_SCHEMA)) {
    const field = flag(record, 'active') === false ? 'meta.lastModified' : 'meta.created';
    return normaliseTime(at(record, field) ?? fail(field, 'is required'), field);
  }
  return fail('date', "is required: a SCIM request carries no time (pass the request's Date header)");
}

function bulk(record: JsonObject): EventDraft[] {
  return listAt(record, 'Operations').flatMap((operation, index) => {
    const prefix = `Operations[${index}].`;
    if (!isObject(operation)) fail(`Operations[${index}]`, 'must be an object');
    return requestDrafts({
      method: (text(operation, 'method') ?? fail(`${prefix}method`, 'is required')).toUpperCase(),
      path: text(operation, 'path') ?? fail(`${prefix}path`, 'is required'),
      // A bulk PATCH may carry its operations bare, as a list.
      body: Array.isArray(at(operation, 'data'))
        ? { Operations: at(operation, 'data') }
        : (objectAt(operation, 'data') ?? {}),
      prefix: `${prefix}data.`,
    });
  });
}

/** One request (or bulk operation) on a user; groups and everything else say nothing the graph keeps. */
function requestDrafts(request: ScimRequest): EventDraft[] {
  const { method, path, body } = request;
  if (path !== undefined && !/(^|\/)Users(\/|\?|$)/i.test(path)) return [];
  const pathId = path === undefined ? undefined : /\/Users\/([^/?]+)/i.exec(path)?.[1];
  switch (method) {
    case undefined:
      // A user resource on its own, dated by its `meta`, is a snapshot; without `meta` it is a request body.
      if (!schemasOf(body).includes(USER_SCHEMA)) return [];
      if (objectAt(body, 'meta') === undefined)
        fail(':method', 'is required: a SCIM request body needs its HTTP method and path');
      return flag(body, 'active') === false
        ? [left(personKey(request) ?? fail(`${request.prefix}userName`, 'is required'))]
        : [joined(request)];
    case 'POST':
      return [joined(request)];
    case 'PUT': {
      if (flag(body, 'active') === false) return [left(pathKey(request, pathId))];
      return [joined(request)];
    }
    case 'PATCH':
      if (!schemasOf(body).includes(PATCH_SCHEMA) && listAt(body, 'Operations').length === 0)
        fail(`${request.prefix}schemas`, `must include ${PATCH_SCHEMA}`);
      return deactivates(body) ? [left(pathKey(request, pathId))] : [];
    case 'DELETE':
      return [left(pathKey(request, pathId))];
    default:
      return [];
  }
}

function pathKey(request: ScimRequest, pathId: string | undefined): string {
  if (pathId === undefined)
    fail(
      request.prefix === '' ? ':path' : `${request.prefix.replace(/data\.$/, '')}path`,
      'must name a user (/Users/<id>)',
    );
  try {
    return decodeURIComponent(pathId);
  } catch {
    return pathId;
  }
}

/** `replace active false`, as a path (`"path": "active"`) or a value object (`{"active": false}`). */
function deactivates(body: JsonObject): boolean {
  return listAt(body, 'Operations').some((operation) => {
    const op = text(operation, 'op')?.toLowerCase();
    if (op !== 'replace' && op !== 'add') return false;
    if (text(operation, 'path')?.toLowerCase() === 'active') return flag(operation, 'value') === false;
    return isObject(at(operation, 'value')) && flag(operation, 'value.active') === false;
  });
}

/** The person's key: their primary (else first work, else first) e-mail, else their user name. */
function personKey(request: ScimRequest): string | undefined {
  return emailOf(request.body) ?? text(request.body, 'userName');
}

function emailOf(body: JsonObject): string | undefined {
  const emails = listAt(body, 'emails');
  const chosen =
    emails.find((email) => flag(email, 'primary') === true) ??
    emails.find((email) => text(email, 'type') === 'work') ??
    emails[0];
  const value = text(chosen, 'value');
  if (looksLikeEmail(value)) return value;
  const userName = text(body, 'userName');
  return looksLikeEmail(userName) ? userName : undefined;
}

function joined(request: ScimRequest): EventDraft {
  const email =
    emailOf(request.body) ?? fail(`${request.prefix}emails`, 'is required: a joining person needs an e-mail address');
  const id = personId(email);
  const enterprise = objectAt(request.body, [ENTERPRISE]);
  const userType = text(request.body, 'userType')?.toLowerCase();
  const manager = text(enterprise, 'manager.value');
  return draft('hr.person.joined', id, {
    personId: id,
    email,
    name: firstText(request.body, ['displayName', 'name.formatted']),
    employmentType: userType === 'employee' || userType === 'contractor' ? userType : undefined,
    managerId: manager === undefined ? undefined : personId(manager),
    department: text(enterprise, 'department'),
  });
}

function left(key: string): EventDraft {
  const id = personId(key);
  return draft('hr.person.left', id, { personId: id, reason: 'deprovisioned over SCIM' });
}
