import { envelopePayload, eventsOf, rejectionOf } from '../../../../tests/fixtures/native/native-fixtures';
import { contentId } from './native-helpers';
import { detectNativeFormat } from './index';

const FILE = 'scim_rfc_examples/envelope.ndjson';
const payload = (n: number): Record<string, unknown> => envelopePayload(FILE, n);
const DATE = 'Wed, 03 Jan 2024 09:00:00 GMT';
const request = (method: string, path: string): Record<string, string> => ({
  ':method': method,
  ':path': path,
  date: DATE,
});
const decode = (record: unknown, headers?: Record<string, string>): Record<string, unknown>[] =>
  eventsOf(record, 'scim', headers);
const typesAndData = (events: Record<string, unknown>[]): unknown[] =>
  events.map((event) => [event['type'], event['data']]);

describe('SCIM decoder', () => {
  it('detects SCIM messages by their schema URNs', () => {
    expect(detectNativeFormat(payload(1))).toBe('scim');
    expect(detectNativeFormat(payload(42))).toBe('scim');
  });

  it('maps a user resource snapshot to the person joining when the resource was created', () => {
    expect(decode(payload(1))).toEqual([
      {
        specversion: '1.0',
        id: contentId(payload(1), ['', '', '']),
        source: 'scim',
        type: 'hr.person.joined',
        time: '2010-01-23T04:56:22.000Z',
        subject: 'person:bjensen@example.com',
        data: { personId: 'person:bjensen@example.com', email: 'bjensen@example.com' },
      },
    ]);
  });

  it('reads name, employment type, manager and department from the enterprise user', () => {
    expect(typesAndData(decode(payload(3)))).toEqual([
      [
        'hr.person.joined',
        {
          personId: 'person:bjensen@example.com',
          email: 'bjensen@example.com',
          name: 'Babs Jensen',
          employmentType: 'employee',
          managerId: 'person:26118915-6090-4610-87e4-49d8ca9f808d',
          department: 'Tour Operations',
        },
      ],
    ]);
  });

  it('maps a PUT of a user to the person (re)joining, at the request Date', () => {
    const events = decode(payload(24), request('PUT', '/Users/2819c223-7f76-453a-919d-413861904646'));
    expect(events.map((event) => [event['time'], event['type'], event['data']])).toEqual([
      [
        '2024-01-03T09:00:00.000Z',
        'hr.person.joined',
        { personId: 'person:bjensen@example.com', email: 'bjensen@example.com', name: 'Ms. Barbara J Jensen III' },
      ],
    ]);
  });

  it('maps PATCH active=false and DELETE to the person the path names leaving', () => {
    const deactivate = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    };
    expect(typesAndData(decode(deactivate, request('PATCH', '/scim/v2/Users/alice%40example.com')))).toEqual([
      ['hr.person.left', { personId: 'person:alice@example.com', reason: 'deprovisioned over SCIM' }],
    ]);
    const asValue = { ...deactivate, Operations: [{ op: 'replace', value: { active: false } }] };
    expect(typesAndData(decode(asValue, request('PATCH', '/Users/alice@example.com')))).toEqual([
      ['hr.person.left', { personId: 'person:alice@example.com', reason: 'deprovisioned over SCIM' }],
    ]);
    expect(typesAndData(decode({}, request('DELETE', '/Users/alice@example.com')))).toEqual([
      ['hr.person.left', { personId: 'person:alice@example.com', reason: 'deprovisioned over SCIM' }],
    ]);
  });

  it('ignores a PATCH that changes other attributes, and group messages', () => {
    expect(decode(payload(26), request('PATCH', '/Users/2819c223-7f76-453a-919d-413861904646'))).toEqual([]);
    expect(decode(payload(27), request('PATCH', '/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a'))).toEqual([]);
    expect(decode(payload(4))).toEqual([]);
  });

  it('maps each user operation of a bulk request, in order', () => {
    const bulk = payload(42);
    const operations = bulk['Operations'] as Record<string, unknown>[];
    const withEmails = operations.map((operation, index) => {
      const data = operation['data'] as Record<string, unknown> | undefined;
      return index < 2
        ? {
            ...operation,
            data: { ...data, emails: [{ value: `${String(data?.['userName']).toLowerCase()}@example.com` }] },
          }
        : operation;
    });
    const events = decode({ ...bulk, Operations: withEmails }, { date: DATE });
    expect(events.map((event) => [event['id'], event['type'], event['subject']])).toEqual([
      [
        `${contentId({ ...bulk, Operations: withEmails }, ['', '', DATE])}#1`,
        'hr.person.joined',
        'person:alice@example.com',
      ],
      [
        `${contentId({ ...bulk, Operations: withEmails }, ['', '', DATE])}#2`,
        'hr.person.joined',
        'person:bob@example.com',
      ],
      [
        `${contentId({ ...bulk, Operations: withEmails }, ['', '', DATE])}#3`,
        'hr.person.left',
        'person:e9025315-6bea-44e1-899c-1e07454e468b',
      ],
    ]);
  });

  it('rejects what it cannot place, naming the field', () => {
    // A request body without its method and path.
    expect(rejectionOf(payload(16), 'scim')).toEqual({
      reason: ':method: is required: a SCIM request body needs its HTTP method and path',
      field: ':method',
    });
    // A POST of a user without an e-mail address (the RFC example).
    expect(rejectionOf(payload(16), 'scim', request('POST', '/Users'))).toEqual({
      reason: 'emails: is required: a joining person needs an e-mail address',
      field: 'emails',
    });
    // The same inside a bulk request, which has no time of its own either.
    expect(rejectionOf(payload(42), 'scim', { date: DATE })).toEqual({
      reason: 'Operations[0].data.emails: is required: a joining person needs an e-mail address',
      field: 'Operations[0].data.emails',
    });
    const deactivate = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    };
    expect(rejectionOf(deactivate, 'scim', { ':method': 'PATCH', ':path': '/Users/alice@example.com' })).toEqual({
      reason: "date: is required: a SCIM request carries no time (pass the request's Date header)",
      field: 'date',
    });
  });
});
