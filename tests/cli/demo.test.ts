import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedGraphStore } from '@lineage/store-embedded';
import { ensureBuilt, runCli } from './cli-harness';

/**
 * `nhi-lineage demo --no-serve`: loads the seeded enterprise through the pipeline once, and its
 * three examples are real answers of the store (checked here by asking the store again).
 */

interface DemoReportJson {
  load: {
    events: number;
    alreadyLoaded: number;
    accepted: number;
    duplicates: number;
    rejected: number;
    stream: string;
  };
  examples: {
    leaver: { personId: string; orphaned: number } | null;
    lineage: { nhiId: string; accountableId: string | null; chain: string[] } | null;
    blast: { credentialId: string; adminResources: number; resources: number; adminPath: string[] } | null;
  };
  requests: { title: string; query: string; variables: Record<string, string> }[];
  adminKey: { kind: string; path?: string };
}

const PEOPLE = '60';
let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'nhi-cli-demo-'));
}, 600_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

it('loads the enterprise once and picks examples that the store confirms', async () => {
  const dataDir = join(work, 'data');
  const env = { LINEAGE_DATA_DIR: dataDir };
  const first = await runCli(['demo', '--people', PEOPLE, '--no-serve', '--json'], { env });
  expect(first.code).toBe(0);
  const report = JSON.parse(first.stdout) as DemoReportJson;
  expect(report.load.alreadyLoaded).toBe(0);
  expect(report.load.rejected).toBe(0);
  expect(report.load.accepted).toBe(report.load.events);
  expect(report.adminKey).toEqual({ kind: 'file', path: join(dataDir, 'admin.key') });

  const { leaver, lineage, blast } = report.examples;
  expect(leaver).not.toBeNull();
  expect(lineage).not.toBeNull();
  expect(blast).not.toBeNull();
  expect(report.requests.map((r) => Object.values(r.variables)[0])).toEqual([
    leaver!.personId,
    lineage!.nhiId,
    blast!.credentialId,
  ]);

  const store = EmbeddedGraphStore.open({ dataDir });
  try {
    const now = Date.now();
    const orphaned = await store.orphanedBy(leaver!.personId, now);
    expect(orphaned.length).toBe(leaver!.orphaned);
    expect(orphaned.length).toBeGreaterThan(0);
    expect(orphaned.every((o) => o.lineage.lastAccountable?.id === leaver!.personId)).toBe(true);

    const answer = await store.lineage(lineage!.nhiId, now);
    expect(answer?.status).toBe('ACCOUNTABLE');
    expect(answer?.accountable?.id).toBe(lineage!.accountableId);
    expect(answer?.chain.some((step) => step.relation === 'CREATED' && step.from.kind !== 'Person')).toBe(true);
    expect([answer!.chain[0]!.from.id, ...answer!.chain.map((step) => step.to.id)]).toEqual(lineage!.chain);

    const radius = await store.blastRadius({ rootId: blast!.credentialId, maxDepth: 4, asOf: now });
    const admin = radius!.resources.filter((r) => r.level === 'admin');
    expect(admin).toHaveLength(blast!.adminResources);
    expect(admin.map((r) => r.path)).toContainEqual(blast!.adminPath);
  } finally {
    await store.close();
  }

  // Run again: the checkpoint says everything is loaded; nothing is ingested twice.
  const second = await runCli(['demo', '--people', PEOPLE, '--no-serve', '--json'], { env });
  expect(second.code).toBe(0);
  const again = JSON.parse(second.stdout) as DemoReportJson;
  expect(again.load).toMatchObject({
    events: report.load.events,
    alreadyLoaded: report.load.events,
    accepted: 0,
    duplicates: 0,
  });
  expect(again.examples).toEqual(report.examples);

  // The banner form prints the examples as curl commands with those ids.
  const banner = await runCli(['demo', '--people', PEOPLE, '--no-serve'], { env });
  expect(banner.code).toBe(0);
  for (const id of [leaver!.personId, lineage!.nhiId, blast!.credentialId]) expect(banner.stdout).toContain(`"${id}"`);
  expect(banner.stdout.match(/^curl -s /gm)).toHaveLength(3);
  expect(banner.stdout).toContain(`$(cat '${join(dataDir, 'admin.key')}')`);
}, 600_000);
