import { fixtureNode } from '../testing/graph-fixtures';
import { LineageGraph } from '../lineage/lineage-graph';
import { encodeCursor } from '../model/cursor';
import type { NodeKind } from '../model/graph-model';
import type { Attributes, GraphNode, GraphRelationship } from '../model/graph-types';
import type { Finding, FindingsQuery, OwaspNhiRisk } from './finding';
import { DEFAULT_FINDINGS_POLICY, findingId } from './finding';
import type { RuleWindow } from './findings-paging';
import {
  FINDINGS_COUNT_CHUNK,
  IMPROPER_OFFBOARDING_CHUNK,
  IMPROPER_OFFBOARDING_MIN_CHUNK,
  findImproperOffboarding,
  findingRisks,
  pageAcrossRisks,
} from './findings-paging';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const NOW = Date.parse('2025-03-01T00:00:00Z');

const node = (kind: NodeKind, id: string, attributes: Attributes = {}): GraphNode => fixtureNode(kind, id, T0, { attributes });

/**
 * A rule runner over fixed subjects per risk, answering windows the way a store's query does
 * (ids after `after`, in id order, at most `limit`), and recording every window it was asked.
 */
function fakeRules(subjects: Partial<Record<OwaspNhiRisk, string[]>>) {
  const calls: { risk: OwaspNhiRisk; window: RuleWindow }[] = [];
  const run = (risk: OwaspNhiRisk, window: RuleWindow): Finding[] => {
    calls.push({ risk, window });
    return [...(subjects[risk] ?? [])]
      .sort()
      .filter((id) => id > window.after)
      .slice(0, window.limit)
      .map((id) => ({
        id: findingId(risk, id),
        risk,
        subject: node('Credential', id),
        severity: 'MEDIUM',
        summary: `${id}: ${risk}`,
        evidence: [],
        since: null,
      }));
  };
  return { run, calls };
}

const query = (extra: Partial<FindingsQuery> = {}): FindingsQuery => ({
  risks: null,
  subjectId: null,
  asOf: NOW,
  page: { first: 10 },
  policy: DEFAULT_FINDINGS_POLICY,
  ...extra,
});

describe('findingRisks', () => {
  it('lists the requested risks once each, in OWASP order, without the two no fact can show', () => {
    expect(findingRisks({ risks: ['NHI10', 'NHI4', 'NHI2', 'NHI10', 'NHI6', 'NHI1'] })).toEqual([
      'NHI1',
      'NHI2',
      'NHI10',
    ]);
    expect(findingRisks({ risks: null })).toEqual(['NHI1', 'NHI2', 'NHI3', 'NHI5', 'NHI7', 'NHI8', 'NHI9', 'NHI10']);
  });
});

describe('pageAcrossRisks', () => {
  const subjects = { NHI2: ['cred:b', 'cred:a'], NHI7: ['cred:a', 'cred:c'], NHI10: ['nhi:z'] };

  it('lists findings by risk in OWASP order, then by subject id, and never asks for NHI4 or NHI6', async () => {
    const rules = fakeRules(subjects);
    const page = await pageAcrossRisks(query({ risks: ['NHI10', 'NHI7', 'NHI2', 'NHI4', 'NHI6'] }), rules.run);
    expect(page.items.map((f) => f.id)).toEqual([
      'NHI2:cred:a',
      'NHI2:cred:b',
      'NHI7:cred:a',
      'NHI7:cred:c',
      'NHI10:nhi:z',
    ]);
    expect(page.hasNextPage).toBe(false);
    expect(page.totalCount).toBe(-1);
    expect(rules.calls.map((c) => c.risk)).toEqual(['NHI2', 'NHI7', 'NHI10']);
  });

  it('walks every finding exactly once, page after page, resuming inside a risk from the cursor', async () => {
    const rules = fakeRules(subjects);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await pageAcrossRisks(query({ page: { first: 2, after } }), rules.run);
      seen.push(...page.items.map((f) => f.id));
      pages++;
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toEqual(['NHI2:cred:a', 'NHI2:cred:b', 'NHI7:cred:a', 'NHI7:cred:c', 'NHI10:nhi:z']);
    expect(pages).toBe(3);
    // The third page resumed NHI7 after cred:c (the second page's last finding), asking one more than the page.
    expect(rules.calls).toContainEqual({ risk: 'NHI7', window: { after: 'cred:c', limit: 3 } });
  });

  it('asks each rule only for what the page still needs, plus one', async () => {
    const rules = fakeRules(subjects);
    const page = await pageAcrossRisks(query({ page: { first: 3 } }), rules.run);
    expect(page.items.map((f) => f.id)).toEqual(['NHI2:cred:a', 'NHI2:cred:b', 'NHI7:cred:a']);
    expect(page.hasNextPage).toBe(true);
    expect(page.endCursor).toBe(encodeCursor([6, 'cred:a']));
    expect(rules.calls.map((c) => [c.risk, c.window.limit])).toEqual([
      ['NHI1', 4],
      ['NHI2', 4],
      ['NHI3', 2],
      ['NHI5', 2],
      ['NHI7', 2],
    ]);
  });

  it('counts every finding of every requested rule when asked, through as many chunks as it takes', async () => {
    const many = Array.from({ length: FINDINGS_COUNT_CHUNK + 3 }, (_, i) => `cred:${String(i).padStart(6, '0')}`);
    const rules = fakeRules({ ...subjects, NHI9: many });
    const page = await pageAcrossRisks(query({ page: { first: 1 }, withTotal: true }), rules.run);
    expect(page.totalCount).toBe(5 + many.length);
    expect(rules.calls).toContainEqual({
      risk: 'NHI9',
      window: { after: many[FINDINGS_COUNT_CHUNK - 1], limit: FINDINGS_COUNT_CHUNK },
    });
  });

  it('refuses a cursor it did not make, naming the field', async () => {
    const rules = fakeRules(subjects);
    for (const after of ['not-a-cursor', encodeCursor(['NHI2', 'cred:a']), encodeCursor([1])]) {
      await expect(pageAcrossRisks(query({ page: { first: 2, after } }), rules.run)).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after',
      });
    }
  });
});

describe('findImproperOffboarding', () => {
  // Many unowned NHIs (more than one chunk), one owned by an active person, one orphaned by a leaver.
  const unowned = Array.from(
    { length: IMPROPER_OFFBOARDING_CHUNK + 20 },
    (_, i) => `nhi:u${String(i).padStart(4, '0')}`,
  );
  const ids = [...unowned, 'nhi:a-owned', 'nhi:a-orphan'].sort();
  const owns = (from: string, to: string): GraphRelationship => ({
    type: 'OWNS',
    from,
    to,
    validFrom: T0,
    validTo: null,
    firstSeen: T0,
    lastSeen: T0,
    confidence: 'declared',
    source: 'test',
    evidence: [`owns-${to}`],
    attributes: {},
  });
  const graph = new LineageGraph(
    [
      node('Person', 'person:active', { status: 'active' }),
      node('Person', 'person:left', { status: 'left', leftAt: T0 + 1 }),
      ...ids.map((id) => node('NHI', id)),
    ],
    [owns('person:active', 'nhi:a-owned'), owns('person:left', 'nhi:a-orphan')],
  );
  const source = () => {
    const windows: RuleWindow[] = [];
    const sliceSizes: number[] = [];
    return {
      windows,
      sliceSizes,
      candidates: (window: RuleWindow) => {
        windows.push(window);
        return ids.filter((id) => id > window.after).slice(0, window.limit);
      },
      lineageGraph: (chunk: readonly string[]) => {
        sliceSizes.push(chunk.length);
        return Promise.resolve(graph);
      },
    };
  };

  it('resolves candidates a chunk at a time: orphans CRITICAL, unowned HIGH, accountable skipped', async () => {
    const store = source();
    const found = await findImproperOffboarding({ after: '', limit: 1000 }, NOW, store);
    expect(found.map((f) => f.subject.id)).toEqual(['nhi:a-orphan', ...unowned]);
    expect(found[0]).toMatchObject({ severity: 'CRITICAL', evidence: ['owns-nhi:a-orphan'], since: T0 + 1 });
    expect(found.slice(1).every((f) => f.severity === 'HIGH')).toBe(true);
    expect(store.windows).toEqual([
      { after: '', limit: IMPROPER_OFFBOARDING_CHUNK },
      { after: ids[IMPROPER_OFFBOARDING_CHUNK - 1], limit: IMPROPER_OFFBOARDING_CHUNK },
    ]);
    expect(store.sliceSizes).toEqual([IMPROPER_OFFBOARDING_CHUNK, ids.length - IMPROPER_OFFBOARDING_CHUNK]);
  });

  it('sizes each chunk to what the page still needs at the hit rate seen so far', async () => {
    // One candidate in eight is a finding (orphaned by a leaver); the others have an active owner.
    const sparse = Array.from({ length: 400 }, (_, i) => `nhi:s${String(i).padStart(4, '0')}`);
    const isHit = (id: string) => Number(id.slice(5)) % 8 === 7;
    const sparseGraph = new LineageGraph(
      [node('Person', 'person:active', { status: 'active' }), node('Person', 'person:left', { status: 'left', leftAt: T0 + 1 }), ...sparse.map((id) => node('NHI', id))],
      sparse.map((id) => owns(isHit(id) ? 'person:left' : 'person:active', id)),
    );
    const windows: RuleWindow[] = [];
    const found = await findImproperOffboarding({ after: '', limit: 10 }, NOW, {
      candidates: (window) => (windows.push(window), sparse.filter((id) => id > window.after).slice(0, window.limit)),
      lineageGraph: () => Promise.resolve(sparseGraph),
    });
    expect(found.map((f) => f.subject.id)).toEqual(sparse.filter(isHit).slice(0, 10));
    // 10 wanted at a first guess of one in four, with a quarter's margin: 50 candidates, 6 findings.
    // 4 more at one in 50/6: 42. Never below the floor.
    expect(windows).toEqual([
      { after: '', limit: 50 },
      { after: 'nhi:s0049', limit: 42 },
    ]);
    const few = await findImproperOffboarding({ after: '', limit: 1 }, NOW, { candidates: (w) => (windows.push(w), []), lineageGraph: () => Promise.resolve(sparseGraph) });
    expect(few).toEqual([]);
    expect(windows.at(-1)).toEqual({ after: '', limit: IMPROPER_OFFBOARDING_MIN_CHUNK });
  });

  it('stops at the limit, and resumes after a subject id', async () => {
    const first = await findImproperOffboarding({ after: '', limit: 3 }, NOW, source());
    expect(first.map((f) => f.subject.id)).toEqual(['nhi:a-orphan', unowned[0], unowned[1]]);
    const next = await findImproperOffboarding({ after: unowned[1]!, limit: 2 }, NOW, source());
    expect(next.map((f) => f.subject.id)).toEqual([unowned[2], unowned[3]]);
  });

  it('as of before the leaver left, the orphan is still accountable', async () => {
    const found = await findImproperOffboarding({ after: '', limit: 1 }, T0, source());
    expect(found.map((f) => f.subject.id)).toEqual([unowned[0]]);
  });
});
