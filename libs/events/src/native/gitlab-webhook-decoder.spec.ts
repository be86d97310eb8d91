import { envelopePayload, eventsOf, rejectionOf } from '../../../../tests/fixtures/native/native-fixtures';
import { contentId } from './native-helpers';
import { detectNativeFormat } from './index';

const FILE = 'gitlab_webhooks/envelope.ndjson';
const payload = (n: number): Record<string, unknown> => envelopePayload(FILE, n);
const decode = (record: unknown, headers?: Record<string, string>): Record<string, unknown>[] =>
  eventsOf(record, 'gitlab.webhook', headers);
const typesAndData = (events: Record<string, unknown>[]): unknown[] =>
  events.map((event) => [event['type'], event['data']]);

describe('GitLab webhook decoder', () => {
  it('detects project, group and system hooks', () => {
    expect(detectNativeFormat(payload(13))).toBe('gitlab.webhook');
    expect(detectNativeFormat(payload(7))).toBe('gitlab.webhook');
  });

  it('maps a finished pipeline to the project pipeline running, triggered by the user, and never copies CI variables', () => {
    const events = decode(payload(13));
    expect(events).toEqual([
      {
        specversion: '1.0',
        id: contentId(payload(13), ['pipeline']),
        source: 'gitlab.webhook/192.168.64.1:3005',
        type: 'ci.pipeline.ran',
        time: '2016-08-12T15:26:29.000Z',
        subject: 'workload:gitlab:gitlab-org/gitlab-test/pipeline',
        data: {
          pipelineId: 'workload:gitlab:gitlab-org/gitlab-test/pipeline',
          repo: 'gitlab-org/gitlab-test',
          triggeredBy: 'person:user1@example.com',
        },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain('NESTOR_PROD_ENVIRONMENT');
  });

  it('uses the X-Gitlab-Event-UUID header as the id when there is one', () => {
    const [event] = decode(payload(13), { 'X-Gitlab-Event-UUID': '13792a34-cac6-4fda-95a8-c58e00a3954e' });
    expect(event?.['id']).toBe('13792a34-cac6-4fda-95a8-c58e00a3954e');
  });

  it('maps a finished job in an environment to a run that deployed there; a job just created changed nothing', () => {
    expect(typesAndData(decode(payload(6)))).toEqual([
      [
        'ci.pipeline.ran',
        {
          pipelineId: 'workload:gitlab:jsmithy2/release-tools-fake/pipeline',
          repo: 'jsmithy2/release-tools-fake',
          triggeredBy: 'person:john@smith.com',
          deployedTo: 'workload:gitlab:jsmithy2/release-tools-fake/environment/production',
        },
      ],
    ]);
    expect(decode(payload(1))).toEqual([]);
  });

  it('maps a successful deployment to the environment workload, at its status time (+0200)', () => {
    expect(decode(payload(2)).map((event) => [event['time'], event['type'], event['data']])).toEqual([
      [
        '2021-04-28T19:50:00.000Z',
        'workload.deployed',
        {
          workloadId: 'workload:gitlab:root/test-deployment-webhooks/environment/staging',
          name: 'root/test-deployment-webhooks (staging)',
          environment: 'staging',
        },
      ],
    ]);
  });

  it('maps an expiring project access token to a token NHI and credential, created when the token was, expiring when it does', () => {
    expect(decode(payload(17)).map((event) => [event['time'], event['type'], event['data']])).toEqual([
      [
        '2024-01-24T16:27:40.000Z',
        'iam.nhi.created',
        {
          nhiId: 'nhi:gitlab:access-token/25',
          kind: 'api_token',
          name: 'acd',
          platform: 'gitlab',
          purpose: 'access token of flightjs/Flight',
          expiresAt: '2024-01-26T00:00:00.000Z',
        },
      ],
      [
        '2024-01-24T16:27:40.000Z',
        'iam.credential.created',
        {
          credentialId: 'cred:gitlab:access-token/25',
          nhiId: 'nhi:gitlab:access-token/25',
          kind: 'api_token',
          expiresAt: '2024-01-26T00:00:00.000Z',
        },
      ],
    ]);
  });

  it('maps group membership to a role of that group and level, and removal to its revocation', () => {
    expect(typesAndData(decode(payload(7)))).toEqual([
      [
        'iam.role.defined',
        {
          roleId: 'role:gitlab:webhook-test/guest',
          name: 'Guest of webhook-test',
          grants: [{ resourceId: 'resource:gitlab:webhook-test', actions: ['Guest'], level: 'read' }],
        },
      ],
      [
        'iam.role.granted',
        { principalId: 'person:testuser@webhooktest.com', roleId: 'role:gitlab:webhook-test/guest' },
      ],
    ]);
    const removed = { ...payload(7), event_name: 'user_remove_from_group', group_access: 'Maintainer' };
    expect(typesAndData(decode(removed))).toEqual([
      [
        'iam.role.revoked',
        { principalId: 'person:testuser@webhooktest.com', roleId: 'role:gitlab:webhook-test/maintainer' },
      ],
    ]);
  });

  it('ignores events that say nothing the graph keeps', () => {
    expect(decode(payload(8))).toEqual([]); // a merge request
    expect(decode(payload(19))).toEqual([]); // a subgroup created
  });

  it('rejects a pipeline without its status, naming the field', () => {
    const { object_attributes: _attributes, ...withoutAttributes } = payload(13);
    expect(rejectionOf(withoutAttributes, 'gitlab.webhook')).toEqual({
      reason: 'object_attributes.status: is required',
      field: 'object_attributes.status',
    });
  });
});
