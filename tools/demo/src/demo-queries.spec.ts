import { execFileSync } from 'node:child_process';
import { curlCommand, exampleRequests, LINEAGE_QUERY, shellQuote } from './demo-queries';

/** What a POSIX shell makes of a word. */
const shellEcho = (word: string): string => execFileSync('sh', ['-c', `printf %s ${word}`], { encoding: 'utf8' });

describe('demo queries', () => {
  it.each(['plain', "it's", "a 'b' c", '$(echo injected)', '"double"', 'back\\slash'])(
    'shell-quotes %j so the shell gives it back unchanged',
    (text) => {
      expect(shellEcho(shellQuote(text))).toBe(text);
    },
  );

  it('builds a curl command whose body is the query and variables as JSON, with the key from a shell expression', () => {
    const [request] = exampleRequests({
      leaver: null,
      lineage: { nhiId: "nhi:aws:o'brien", accountableId: 'person:e1', chain: ['person:e1', "nhi:aws:o'brien"] },
      blast: null,
    });
    const command = curlCommand('http://localhost:4000', '$(cat /data/admin.key)', request!);
    expect(command).toContain('-H "Authorization: Bearer $(cat /data/admin.key)"');
    const body = /-d ('(?:[^']|'\\'')*')$/.exec(command)![1]!;
    expect(JSON.parse(shellEcho(body))).toEqual({ query: LINEAGE_QUERY, variables: { nhiId: "nhi:aws:o'brien" } });
  });

  it('has one request per example found, in a fixed order', () => {
    const all = exampleRequests({
      leaver: { personId: 'person:e9', orphaned: 3 },
      lineage: { nhiId: 'nhi:x', accountableId: 'person:e1', chain: ['person:e1', 'nhi:y', 'nhi:x'] },
      blast: {
        credentialId: 'cred:z',
        adminResources: 2,
        resources: 5,
        adminPath: ['cred:z', 'nhi:z', 'role:a', 'role:b', 'resource:r'],
      },
    });
    expect(all.map((r) => r.variables)).toEqual([
      { personId: 'person:e9' },
      { nhiId: 'nhi:x' },
      { credentialId: 'cred:z' },
    ]);
    expect(all[1]!.title).toContain('person:e1 → nhi:y → nhi:x');
    expect(exampleRequests({ leaver: null, lineage: null, blast: null })).toEqual([]);
  });
});
