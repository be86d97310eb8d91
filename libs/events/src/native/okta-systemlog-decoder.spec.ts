import { eventsOf, fixtureLine, rejectionOf } from '../../../../tests/fixtures/native/native-fixtures';
import { detectNativeFormat } from './index';

const FILE = 'panther/Okta.SystemLog.ndjson';
const line = (n: number): Record<string, unknown> => fixtureLine(FILE, n);
const decode = (record: unknown): Record<string, unknown>[] => eventsOf(record, 'okta.systemlog');

/** A real event turned into another event type with one target (the samples hold no such event). */
function asEvent(n: number, eventType: string, target: Record<string, unknown>): Record<string, unknown> {
  return { ...line(n), eventType, target: [target] };
}

describe('Okta System Log decoder', () => {
  it('detects System Log events, also with lower-cased keys', () => {
    expect(detectNativeFormat(line(9))).toBe('okta.systemlog');
    expect(line(11)['eventtype']).toBe('app.oauth2.authorize.code');
    expect(detectNativeFormat(line(11))).toBe('okta.systemlog');
    expect(decode(line(11))).toEqual([]);
  });

  it('maps system.api_token.create to an API-token NHI and its credential, created by the admin', () => {
    expect(decode(line(9))).toEqual([
      {
        specversion: '1.0',
        id: '2a992f80-d1ad-4f62-900e-8c68bb72a21b#1',
        source: 'okta.systemlog',
        type: 'iam.nhi.created',
        time: '2021-01-08T21:28:34.875Z',
        subject: 'nhi:okta:api-token/00Tpki36zlWjhjQ1u2p4',
        data: {
          nhiId: 'nhi:okta:api-token/00Tpki36zlWjhjQ1u2p4',
          kind: 'api_token',
          name: 'test_key',
          platform: 'okta',
          createdBy: 'person:user@example.com',
        },
      },
      {
        specversion: '1.0',
        id: '2a992f80-d1ad-4f62-900e-8c68bb72a21b#2',
        source: 'okta.systemlog',
        type: 'iam.credential.created',
        time: '2021-01-08T21:28:34.875Z',
        subject: 'cred:okta:api-token/00Tpki36zlWjhjQ1u2p4',
        data: {
          credentialId: 'cred:okta:api-token/00Tpki36zlWjhjQ1u2p4',
          nhiId: 'nhi:okta:api-token/00Tpki36zlWjhjQ1u2p4',
          kind: 'api_token',
          createdBy: 'person:user@example.com',
        },
      },
    ]);
  });

  it('maps system.api_token.revoke to the credential and the NHI ending', () => {
    expect(decode(line(10)).map((event) => [event['type'], event['data']])).toEqual([
      ['iam.credential.deleted', { credentialId: 'cred:okta:api-token/00Tpki36zlWjhjQ1u2p4' }],
      ['iam.nhi.deleted', { nhiId: 'nhi:okta:api-token/00Tpki36zlWjhjQ1u2p4' }],
    ]);
  });

  it('maps user.lifecycle.deactivate of a user to that person leaving', () => {
    const record = asEvent(9, 'user.lifecycle.deactivate', {
      id: '00u6eup97mAJZWYmP357',
      type: 'User',
      alternateId: 'Alice@Acme.io',
      displayName: 'Alice Green',
    });
    expect(decode(record).map((event) => [event['type'], event['subject'], event['data']])).toEqual([
      ['hr.person.left', 'person:alice@acme.io', { personId: 'person:alice@acme.io', reason: 'Okta user deactivated' }],
    ]);
  });

  it('rejects a deactivation whose target is not a login, naming the field', () => {
    const record = asEvent(9, 'user.lifecycle.deactivate', {
      id: '00u6eup97mAJZWYmP357',
      type: 'User',
      alternateId: 'unknown',
    });
    expect(rejectionOf(record, 'okta.systemlog')).toEqual({
      reason: "target[0].alternateId: must be the user's login (an e-mail address)",
      field: 'target[0].alternateId',
    });
  });

  it('maps an app integration created successfully to an OAuth app; a challenged one changed nothing', () => {
    const created = {
      ...line(30),
      outcome: { result: 'SUCCESS' },
      target: [{ id: '0oa1abcd', type: 'AppInstance', displayName: 'Random Org2Org' }],
    };
    expect(decode(created).map((event) => event['data'])).toEqual([
      {
        nhiId: 'nhi:okta:app/0oa1abcd',
        kind: 'oauth_app',
        name: 'Random Org2Org',
        platform: 'okta',
        createdBy: 'person:homer.simpson@duff.com',
      },
    ]);
    expect(decode(line(30))).toEqual([]);
  });

  it('rejects an event without its type or id', () => {
    expect(rejectionOf(line(58), 'okta.systemlog')).toEqual({ reason: 'eventType: is required', field: 'eventType' });
    const { uuid: _uuid, ...withoutId } = line(9);
    expect(rejectionOf(withoutId, 'okta.systemlog')).toEqual({ reason: 'uuid: is required', field: 'uuid' });
  });
});
