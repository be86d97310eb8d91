import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedGraphStore } from './embedded-graph-store';

/**
 * The aliases a statement gives a table: `relationships r`, `relationships AS r`,
 * `relationships INDEXED BY i r`, or the table's own name where it has none.
 */
function tableAliases(sql: string, table: string): Set<string> {
  const aliases = new Set<string>();
  for (const match of sql.matchAll(new RegExp(`\\b${table}\\b(?:\\s+INDEXED BY \\w+)?(?:\\s+AS)?(?:\\s+(\\w+))?`, 'gi'))) {
    const alias = match[1];
    aliases.add(alias && !/^(WHERE|ON|JOIN|CROSS|LEFT|INNER|GROUP|ORDER|LIMIT|UNION|SET|VALUES|USING)$/i.test(alias) ? alias : table);
  }
  return aliases;
}

/** Nulls for a statement's parameters, `@named` and `?`: a plan does not depend on the values bound. */
function nullParameters(sql: string): unknown[] {
  const named: Record<string, null> = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((match) => [match[1] ?? '', null]));
  const positional = (sql.match(/\?/g) ?? []).map(() => null);
  return Object.keys(named).length > 0 ? [...positional, named] : positional;
}

/** The alias a plan step reads whole: SCAN reads a whole table or index; a SEARCH by the type alone, every edge of a type. */
function wholeRange(detail: string): string | undefined {
  return (/^SCAN (\w+)/.exec(detail) ?? /^SEARCH (\w+) USING .*\(type=\?\)$/.exec(detail))?.[1];
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nhi-lineage-plans-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Every statement a migrated store prepares when it opens, with the plan SQLite gives it then
 * (under the planner statistics migration 4 fixes). The migrations' own, which run once over
 * every row, are left out: the store is migrated before it is opened again and watched.
 */
async function preparedPlans(tables: readonly string[]): Promise<{ sql: string; scans: string[] }[]> {
  await EmbeddedGraphStore.open({ dataDir: dir }).close();
  const prepare = jest.spyOn(Database.prototype, 'prepare');
  const store = EmbeddedGraphStore.open({ dataDir: dir });
  const statements = [...new Set(prepare.mock.calls.map(([sql]) => sql))];
  prepare.mockRestore();
  const plans = statements
    .filter((sql) => tables.some((table) => new RegExp(`\\b${table}\\b`, 'i').test(sql)) && !/^\s*(PRAGMA|EXPLAIN)/i.test(sql))
    .map((sql) => {
      const aliases = new Set(tables.flatMap((table) => [...tableAliases(sql, table)]));
      const details = (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...nullParameters(sql)) as { detail: string }[]).map((step) => step.detail);
      return { sql, scans: details.filter((detail) => aliases.has(wholeRange(detail) ?? '')) };
    });
  await store.close();
  return plans;
}

describe('the embedded store’s statements', () => {
  it('read relationships by key, never the whole table (a partial index serves only a query that repeats its condition)', async () => {
    const plans = await preparedPlans(['relationships']);
    // The statements that read relationships at all: the writer's, the reader's, the findings', the offboarding's.
    expect(plans.length).toBeGreaterThan(15);
    expect(plans.filter((plan) => plan.scans.length > 0)).toEqual([]);
  });

  it('read nodes by key, never the whole table', async () => {
    const plans = await preparedPlans(['nodes']);
    expect(plans.length).toBeGreaterThan(10);
    expect(plans.filter((plan) => plan.scans.length > 0)).toEqual([]);
  });

  it('read and move the timeline of each level by key, never a whole level (the reads, the writer’s appends and its moves)', async () => {
    const plans = await preparedPlans(['entity_events', 'entity_events_recent']);
    // The page and the count of a timeline, the appends (of one row and of a chunk), the boundary
    // of a move, two moves and two deletes; and the count of the recent level, which the writer makes once, at its first
    // append: its one whole read (bounded by TIMELINE_RECENT_ROWS).
    const opening = 'SELECT count(*) FROM entity_events_recent';
    expect(plans.map((plan) => plan.sql)).toContain(opening);
    expect(plans.length).toBe(10);
    expect(plans.filter((plan) => plan.sql !== opening && plan.scans.length > 0)).toEqual([]);
  });
});
