import { NODE_KIND_NAMES, RELATION_KIND_NAMES } from '@lineage/domain';
import { findSchemaDir, loadMigrations } from './neo4j-migrations';
import { BOOKKEEPING_LABELS, NODE_LABEL } from './neo4j-model';

/** The schema files are written out by hand; these checks keep them in step with the graph model. */
const migrations = loadMigrations(findSchemaDir());
const statementsOf = (version: number): readonly string[] =>
  migrations.find((m) => m.version === version)?.statements ?? [];

/** `FOR (n:Label) REQUIRE n.id IS UNIQUE` → Label, for every single-property id constraint. */
function labelsWithUniqueId(statements: readonly string[]): string[] {
  return statements.flatMap((s) => {
    const match = /^CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \((\w+):(\w+)\) REQUIRE \1\.id IS UNIQUE$/.exec(s);
    return match ? [match[2]!] : [];
  });
}

describe('V0001__constraints.cypher', () => {
  const constraints = statementsOf(1);

  it('has a uniqueness constraint on id for :Node and for every node kind of the model', () => {
    const labels = labelsWithUniqueId(constraints);
    expect(labels).toContain(NODE_LABEL);
    for (const kind of NODE_KIND_NAMES) expect(labels).toContain(kind);
  });

  it("constrains only :Node, the model's kind labels and the bookkeeping labels (no typo slips through)", () => {
    const known = new Set<string>([NODE_LABEL, ...NODE_KIND_NAMES, ...BOOKKEEPING_LABELS]);
    const labels = constraints.map((s) => /FOR \(\w+:(\w+)\)/.exec(s)?.[1]);
    expect(labels.filter((label) => label === undefined || !known.has(label))).toEqual([]);
  });

  it('keys the bookkeeping nodes the adapter MERGEs on', () => {
    const expected = [
      'FOR (e:IngestedEvent) REQUIRE (e.source, e.id) IS UNIQUE',
      'FOR (t:TimelineEntry) REQUIRE (t.entityId, t.source, t.eventId) IS UNIQUE',
      'FOR (c:IngestCounter) REQUIRE (c.source, c.type) IS UNIQUE',
      'FOR (c:Checkpoint) REQUIRE c.stream IS UNIQUE',
      'FOR (s:Sequence) REQUIRE s.name IS UNIQUE',
      'FOR (p:OffboardingPlan) REQUIRE (p.triggerSource, p.triggeredBy) IS UNIQUE',
      'FOR (k:ApiKey) REQUIRE k.id IS UNIQUE',
      'FOR (m:SchemaMigration) REQUIRE m.version IS UNIQUE',
    ];
    for (const fragment of expected) expect(constraints.some((s) => s.endsWith(fragment))).toBe(true);
  });
});

describe('V0002__indexes.cypher', () => {
  const indexes = statementsOf(2);

  it('indexes the timeline by entity and time, and leavers by leftAt', () => {
    expect(indexes).toContain(
      'CREATE INDEX timeline_entity_time IF NOT EXISTS FOR (t:TimelineEntry) ON (t.entityId, t.time)',
    );
    expect(indexes).toContain('CREATE INDEX person_left_at IF NOT EXISTS FOR (n:Person) ON (n.leftAt)');
  });

  it('uses only labels and relationship types the model declares, or bookkeeping labels', () => {
    const known = new Set<string>([NODE_LABEL, ...NODE_KIND_NAMES, ...BOOKKEEPING_LABELS]);
    for (const statement of indexes) {
      const node = /FOR \(\w+:(\w+)\)/.exec(statement)?.[1];
      const rel = /FOR \(\)-\[\w+:(\w+)\]-\(\)/.exec(statement)?.[1];
      expect(node ?? rel).toBeDefined();
      if (node) expect(known.has(node)).toBe(true);
      if (rel) expect(RELATION_KIND_NAMES).toContain(rel);
    }
  });
});
