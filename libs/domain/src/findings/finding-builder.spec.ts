import { fixtureNode } from '../testing/graph-fixtures';
import { resolveLineage } from '../lineage/accountability';
import { LineageGraph } from '../lineage/lineage-graph';
import type { NodeKind, RelationKind } from '../model/graph-model';
import type { Attributes, GraphNode, GraphRelationship } from '../model/graph-types';
import { DEFAULT_FINDINGS_POLICY } from './finding';
import {
  DAY_MS,
  MAX_FINDING_EVIDENCE,
  flattenEvidence,
  improperOffboardingFinding,
  isSeverity,
  policyWindows,
  summariseFinding,
  toFinding,
} from './finding-builder';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const LEFT = Date.parse('2025-02-01T00:00:00Z');
const NOW = Date.parse('2025-03-01T00:00:00Z');

const node = (kind: NodeKind, id: string, attributes: Attributes = {}): GraphNode => fixtureNode(kind, id, T0, { attributes });

function rel(type: RelationKind, from: string, to: string, evidence: string[]): GraphRelationship {
  return {
    type,
    from,
    to,
    validFrom: T0,
    validTo: null,
    firstSeen: T0,
    lastSeen: T0,
    confidence: 'declared',
    source: 'test',
    evidence,
    attributes: {},
  };
}

const credential = node('Credential', 'cred:k1');

describe('toFinding', () => {
  it('keys the finding by risk and subject, keeps severity and since, and writes the sentence from the detail', () => {
    const finding = toFinding('NHI2', credential, {
      severity: 'CRITICAL',
      detail: { stores: ['store:repo', 'store:ci'], kinds: ['repo_file', 'ci_variable'] },
      since: T0,
      evidence: [['e1', 'e2'], null, ['e2', 'e3']],
    });
    expect(finding).toEqual({
      id: 'NHI2:cred:k1',
      risk: 'NHI2',
      subject: credential,
      severity: 'CRITICAL',
      summary: 'cred:k1 is kept outside a vault (store:repo, store:ci: repo_file, ci_variable).',
      evidence: ['e1', 'e2', 'e3'],
      since: T0,
    });
  });
});

describe('flattenEvidence', () => {
  it('keeps each event id once, in order, skipping relationships without evidence', () => {
    expect(flattenEvidence([['b', 'a'], null, [], ['a', 'c']])).toEqual(['b', 'a', 'c']);
  });

  it(`keeps at most ${MAX_FINDING_EVIDENCE} ids, the first ones`, () => {
    const ids = Array.from({ length: MAX_FINDING_EVIDENCE + 5 }, (_, i) => `e${i}`);
    expect(flattenEvidence([ids.slice(0, 10), ids.slice(10)])).toEqual(ids.slice(0, MAX_FINDING_EVIDENCE));
  });
});

describe('summariseFinding', () => {
  const nhi = node('NHI', 'nhi:app');
  it.each([
    [
      'NHI3',
      { vendors: ['vendor:gone'], ended: true },
      'nhi:app is supplied by a vendor whose contract has ended (vendor:gone).',
    ],
    [
      'NHI3',
      { vendors: ['vendor:x', 'vendor:x'], ended: false },
      'nhi:app is supplied by a vendor nobody sponsors (vendor:x).',
    ],
    [
      'NHI5',
      { adminRoles: ['role:admin', null], unusedRoles: [null, 'role:reader'] },
      'nhi:app holds admin access through role:admin, and grants it has not used through role:reader.',
    ],
    ['NHI5', { adminRoles: ['role:admin'], unusedRoles: [] }, 'nhi:app holds admin access through role:admin.'],
    [
      'NHI5',
      { adminRoles: [], unusedRoles: ['role:reader'] },
      'nhi:app holds grants it has not used within the usage window through role:reader.',
    ],
    [
      'NHI7',
      { noExpiry: true, expiryDays: null, ageDays: 200.7 },
      'nhi:app is a long-lived secret: it never expires and it was last rotated 200 days ago.',
    ],
    [
      'NHI7',
      { noExpiry: false, expiryDays: 809.6, ageDays: 10 },
      'nhi:app is a long-lived secret: it is valid for 810 days and it was last rotated 10 days ago.',
    ],
    [
      'NHI8',
      { workloads: ['workload:prod', 'workload:dev'], environments: ['prod', 'dev'] },
      'nhi:app is used across environments (prod, dev) by workload:prod, workload:dev.',
    ],
    [
      'NHI9',
      { workloads: ['workload:a', 'workload:b'] },
      'nhi:app is shared by several workloads: workload:a, workload:b.',
    ],
    ['NHI10', { people: ['person:dev'] }, 'nhi:app was used by a person: person:dev.'],
  ] as const)('%s %j', (risk, detail, sentence) => {
    expect(summariseFinding(risk, nhi, detail)).toBe(sentence);
  });

  it('reads a 0/1 flag (SQL) and a boolean (Cypher) alike', () => {
    expect(summariseFinding('NHI3', nhi, { vendors: ['vendor:v'], ended: 1 })).toBe(
      summariseFinding('NHI3', nhi, { vendors: ['vendor:v'], ended: true }),
    );
    expect(summariseFinding('NHI3', nhi, { vendors: ['vendor:v'], ended: 0 })).toBe(
      summariseFinding('NHI3', nhi, { vendors: ['vendor:v'], ended: false }),
    );
  });
});

describe('improperOffboardingFinding', () => {
  const graph = new LineageGraph(
    [
      node('Person', 'person:leaver', { status: 'left', leftAt: LEFT }),
      node('Person', 'person:owner', { status: 'active' }),
      node('NHI', 'nhi:orphan'),
      node('NHI', 'nhi:unowned'),
      node('NHI', 'nhi:owned'),
    ],
    [
      rel('OWNS', 'person:leaver', 'nhi:orphan', ['owner-assigned', 'owner-confirmed']),
      rel('OWNS', 'person:owner', 'nhi:owned', ['owned']),
    ],
  );
  const finding = (id: string, asOf = NOW) => improperOffboardingFinding(resolveLineage(graph, id, asOf)!);

  it('is CRITICAL for an orphan, since its last accountable person left, with the chain as evidence', () => {
    const orphan = finding('nhi:orphan');
    expect(orphan).toMatchObject({ id: 'NHI1:nhi:orphan', risk: 'NHI1', severity: 'CRITICAL', since: LEFT });
    expect(orphan!.subject.id).toBe('nhi:orphan');
    expect(orphan!.evidence).toEqual(['owner-assigned', 'owner-confirmed']);
    expect(orphan!.summary).toMatch(
      /^nhi:orphan still has an active credential but nobody active answers for it: .+\.$/,
    );
  });

  it('is HIGH for an NHI with no chain at all, with no since', () => {
    expect(finding('nhi:unowned')).toMatchObject({
      id: 'NHI1:nhi:unowned',
      severity: 'HIGH',
      since: null,
      evidence: [],
    });
  });

  it('is no finding when someone active answers for the NHI (the orphan, before its owner left)', () => {
    expect(finding('nhi:owned')).toBeNull();
    expect(finding('nhi:orphan', LEFT - 1)).toBeNull();
  });
});

describe('policy and severities', () => {
  it('turns a policy in days into the windows the queries take', () => {
    expect(policyWindows({ rotationDays: 90, maxExpiryDays: 365, usageWindowDays: 30 })).toEqual({
      rotationMs: 90 * DAY_MS,
      maxExpiryMs: 365 * DAY_MS,
      usageWindowMs: 30 * DAY_MS,
    });
    expect(policyWindows(DEFAULT_FINDINGS_POLICY).rotationMs).toBe(90 * 86_400_000);
  });

  it('knows the four severity names and nothing else', () => {
    expect(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].every(isSeverity)).toBe(true);
    expect([null, 'high', 'SEVERE', 3].some(isSeverity)).toBe(false);
  });
});
