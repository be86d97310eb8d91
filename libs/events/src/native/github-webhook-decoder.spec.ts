import { envelopePayload, eventsOf, fixtureLine, rejectionOf } from '../../../../tests/fixtures/native/native-fixtures';
import { contentId } from './native-helpers';
import { decodeNative, detectNativeFormat } from './index';

const OCTOKIT = 'octokit_webhooks/envelope.ndjson';
const PANTHER = 'panther/GitHub.Webhook.ndjson';

/** Octokit example `n`: its payload and its `X-GitHub-Event` header, plus any other headers. */
function delivery(n: number, headers: Record<string, string> = {}): [Record<string, unknown>, Record<string, string>] {
  const event = fixtureLine(OCTOKIT, n)['x_github_event'] as string;
  return [envelopePayload(OCTOKIT, n), { 'X-GitHub-Event': event, ...headers }];
}
function decode(n: number, extra: Record<string, string> = {}): Record<string, unknown>[] {
  const [payload, headers] = delivery(n, extra);
  return eventsOf(payload, 'github.webhook', headers);
}
function rejection(n: number): { reason: string; field: string | null } {
  const [payload, headers] = delivery(n);
  return rejectionOf(payload, 'github.webhook', headers);
}
const typesAndData = (events: Record<string, unknown>[]): unknown[] =>
  events.map((event) => [event['type'], event['data']]);

describe('GitHub webhook decoder', () => {
  it('detects deliveries by header, by an x_github_event field, or by shape', () => {
    const [payload, headers] = delivery(39);
    expect(decodeNative(payload, { headers })?.ok).toBe(true);
    expect(detectNativeFormat(fixtureLine(OCTOKIT, 39))).toBe('github.webhook');
    expect(detectNativeFormat(fixtureLine(PANTHER, 37))).toBe('github.webhook');
  });

  it('decodes the {x_github_event, payload} relay form like the payload with its header', () => {
    const wrapped = eventsOf(fixtureLine(OCTOKIT, 39), 'github.webhook');
    expect(wrapped).toEqual(decode(39));
  });

  it('maps deploy_key created to a deploy-key NHI, its SSH key credential (fingerprint, never the key) and its read grant', () => {
    const events = decode(39);
    const id = contentId(envelopePayload(OCTOKIT, 39), ['deploy_key']);
    expect(events.map((event) => [event['id'], event['source'], event['time'], event['type'], event['data']])).toEqual([
      [
        `${id}#1`,
        'github.webhook/codertocat',
        '2019-04-02T17:37:07.000Z',
        'iam.nhi.created',
        {
          nhiId: 'nhi:github:codertocat/hello-world/deploy-key/100',
          kind: 'machine_user',
          name: 'hey-its-a-deploy-key',
          platform: 'github',
          createdBy: 'person:codertocat',
        },
      ],
      [
        `${id}#2`,
        'github.webhook/codertocat',
        '2019-04-02T17:37:07.000Z',
        'iam.credential.created',
        {
          credentialId: 'cred:github:deploy-key/100',
          nhiId: 'nhi:github:codertocat/hello-world/deploy-key/100',
          kind: 'ssh_key',
          createdBy: 'person:codertocat',
          fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/) as unknown,
        },
      ],
      [
        `${id}#3`,
        'github.webhook/codertocat',
        '2019-04-02T17:37:07.000Z',
        'iam.role.defined',
        {
          roleId: 'role:github:codertocat/hello-world/deploy-key-read',
          name: 'deploy key (read)',
          grants: [{ resourceId: 'resource:github:codertocat/hello-world', actions: ['contents:read'], level: 'read' }],
        },
      ],
      [
        `${id}#4`,
        'github.webhook/codertocat',
        '2019-04-02T17:37:07.000Z',
        'iam.role.granted',
        {
          principalId: 'nhi:github:codertocat/hello-world/deploy-key/100',
          roleId: 'role:github:codertocat/hello-world/deploy-key-read',
        },
      ],
    ]);
    expect(JSON.stringify(events)).not.toContain('AAAAB3NzaC1yc2E');
  });

  it('uses the X-GitHub-Delivery header as the id when there is one', () => {
    const [first] = decode(39, { 'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' });
    expect(first?.['id']).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958#1');
  });

  it('maps deploy_key deleted to the credential and NHI ending, at the delivery time', () => {
    const [payload, headers] = delivery(39, { Date: 'Tue, 02 Apr 2019 18:00:00 GMT' });
    const events = eventsOf({ ...payload, action: 'deleted' }, 'github.webhook', headers);
    expect(events.map((event) => [event['time'], event['type'], event['data']])).toEqual([
      ['2019-04-02T18:00:00.000Z', 'iam.credential.deleted', { credentialId: 'cred:github:deploy-key/100' }],
      ['2019-04-02T18:00:00.000Z', 'iam.nhi.deleted', { nhiId: 'nhi:github:codertocat/hello-world/deploy-key/100' }],
    ]);
  });

  it('maps installation created to a GitHub App NHI whose own role grants the selected repositories', () => {
    expect(typesAndData(decode(69))).toEqual([
      [
        'iam.nhi.created',
        {
          nhiId: 'nhi:github:codertocat/app/app-29310',
          kind: 'github_app',
          name: 'app-29310',
          platform: 'github',
          createdBy: 'person:codertocat',
        },
      ],
      [
        'iam.role.defined',
        {
          roleId: 'role:github:codertocat/app/app-29310',
          name: 'app-29310 on Codertocat',
          grants: [
            {
              resourceId: 'resource:github:codertocat/hello-world',
              actions: [
                'administration:write',
                'checks:write',
                'contents:write',
                'deployments:write',
                'issues:write',
                'pages:write',
                'pull_requests:write',
                'repository_hooks:write',
                'repository_projects:write',
                'statuses:write',
                'metadata:read',
                'vulnerability_alerts:read',
              ],
              level: 'admin',
            },
          ],
        },
      ],
      [
        'iam.role.granted',
        { principalId: 'nhi:github:codertocat/app/app-29310', roleId: 'role:github:codertocat/app/app-29310' },
      ],
    ]);
    expect(decode(69)[0]?.['time']).toBe('2019-05-15T15:19:51.000Z');
  });

  it('rejects installation deleted without the delivery Date (the payload has no deletion time), and maps it with one', () => {
    expect(rejection(71)).toEqual({
      reason: "date: is required: the payload has no time for this event (pass the delivery's Date header)",
      field: 'date',
    });
    expect(typesAndData(decode(71, { date: 'Mon, 01 Jul 2019 10:00:00 GMT' }))).toEqual([
      ['iam.nhi.deleted', { nhiId: 'nhi:github:octocat/app/app-5725' }],
    ]);
  });

  it('maps github_app_authorization revoked to the user token of the app the hook belongs to', () => {
    expect(rejection(66).field).toBe('x-github-hook-installation-target-id');
    const events = decode(66, {
      'X-GitHub-Hook-Installation-Target-ID': '29310',
      Date: 'Mon, 01 Jul 2019 10:00:00 GMT',
    });
    expect(typesAndData(events)).toEqual([
      ['iam.credential.deleted', { credentialId: 'cred:github:app/29310/user/octocat' }],
    ]);
  });

  it('maps a completed workflow run to its pipeline running, triggered by the actor', () => {
    expect(decode(270).map((event) => [event['source'], event['time'], event['type'], event['data']])).toEqual([
      [
        'github.webhook/octo-org',
        '2020-10-05T16:33:49.000Z',
        'ci.pipeline.ran',
        {
          pipelineId: 'workload:github:octo-org/octo-repo/workflow/test',
          repo: 'octo-org/octo-repo',
          triggeredBy: 'person:codertocat',
        },
      ],
    ]);
    expect(decode(272)).toEqual([]); // requested, not completed
  });

  it('maps a completed workflow job to its workflow running', () => {
    expect(typesAndData(decode(263))).toEqual([
      [
        'ci.pipeline.ran',
        {
          pipelineId: 'workload:github:codertocat/hello-world/workflow/CodeQL',
          repo: 'Codertocat/Hello-World',
          triggeredBy: 'person:codertocat',
        },
      ],
    ]);
  });

  it('maps a deployment to the environment workload, and the workflow that made it to a run that deployed there', () => {
    expect(typesAndData(decode(41))).toEqual([
      [
        'workload.deployed',
        {
          workloadId: 'workload:github:codertocat/hello-world/environment/production',
          name: 'Codertocat/Hello-World (production)',
          environment: 'prod',
        },
      ],
    ]);
    expect(typesAndData(decode(40))).toEqual([
      [
        'workload.deployed',
        {
          workloadId: 'workload:github:codertocat/hello-world/environment/github-pages',
          name: 'Codertocat/Hello-World (github-pages)',
        },
      ],
      [
        'ci.pipeline.ran',
        {
          pipelineId: 'workload:github:codertocat/hello-world/workflow/pages-build-deployment',
          repo: 'Codertocat/Hello-World',
          triggeredBy: 'person:codertocat',
          deployedTo: 'workload:github:codertocat/hello-world/environment/github-pages',
        },
      ],
    ]);
  });

  it('maps removal from the organization to leaving, but not team or repository membership', () => {
    const [payload, headers] = delivery(137, { date: 'Mon, 01 Jul 2019 10:00:00 GMT' });
    expect(typesAndData(eventsOf({ ...payload, action: 'member_removed' }, 'github.webhook', headers))).toEqual([
      ['hr.person.left', { personId: 'person:hacktocat', reason: 'removed from GitHub organization Octocoders' }],
    ]);
    expect(decode(137)).toEqual([]); // member_added: GitHub does not say who the person is
    expect(decode(125)).toEqual([]); // removed from a team
    expect(decode(121)).toEqual([]); // added to a repository
  });

  it("names a bot by its app installation in the payload's account", () => {
    const [payload, headers] = delivery(263);
    const sender = { login: 'dependabot[bot]', type: 'Bot' };
    expect(typesAndData(eventsOf({ ...payload, sender }, 'github.webhook', headers))[0]).toEqual([
      'ci.pipeline.ran',
      {
        pipelineId: 'workload:github:codertocat/hello-world/workflow/CodeQL',
        repo: 'Codertocat/Hello-World',
        triggeredBy: 'nhi:github:octocoders/app/dependabot',
      },
    ]);
  });

  it('rejects payloads without what the event needs, naming the field', () => {
    expect(rejectionOf(fixtureLine(PANTHER, 43), 'github.webhook')).toEqual({
      reason: 'workflow_job.workflow_name: is required',
      field: 'workflow_job.workflow_name',
    });
    expect(rejectionOf(fixtureLine(PANTHER, 37), 'github.webhook').field).toBe('workflow_run.updated_at');
  });
});
