import Database from 'better-sqlite3';
import type { RelationKind } from '@lineage/domain';
import { LINEAGE_DOWNSTREAM, LINEAGE_UPSTREAM, RELATION_KIND_NAMES } from '@lineage/domain';
import {
  LINEAGE_EDGE_TYPES,
  LINEAGE_ONLY_BY_TARGET,
  MIGRATIONS,
  SHARED_WORKLOAD_SUBJECT,
  WORKLOAD_EDGE_TYPES,
  applyMigration,
  byTargetWhere,
  edgesIntoTable,
  edgesIntoWhere,
  lineageEdgesWhere,
  migrate,
} from './sqlite-migrations';
import { NODE_COLUMNS, nodeStateAt } from './sqlite-rows';

/** A database migrated up to (and including) `version`, as an older release left it. */
function databaseAt(version: number): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
    applyMigration(db, migration);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
  }
  return db;
}

describe('embedded store migrations', () => {
  it('apply once, in order, and record what ran', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('7 gives a removal marker stored without its ends the placeholders the domain would have made', () => {
    const db = databaseAt(6);
    // What releases up to 6 stored for a role removal that arrived before any other event.
    db.prepare(
      `INSERT INTO relationships (type, src, dst, valid_from, valid_to, first_seen, last_seen, confidence, source, evidence, attributes)
       VALUES ('HAS_ROLE', 'nhi:b', 'role:y', 1000, 1000, 1000, 1000, 'declared', 'iam.aws', '["evt-1"]', '{}')`,
    ).run();
    db.prepare(
      `INSERT INTO nodes (id, kind, name, source, first_seen, last_seen, valid_from, valid_to, placeholder, attributes, property_times)
       VALUES ('role:y', 'Role', 'reader', 'iam.aws', 500, 500, 500, NULL, 0, '{}', '{}')`,
    ).run();

    expect(migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 7).map((m) => m.version));

    const nodes = db.prepare('SELECT id, kind, placeholder, valid_from AS validFrom, source FROM nodes ORDER BY id').all();
    expect(nodes).toEqual([
      { id: 'nhi:b', kind: 'NHI', placeholder: 1, validFrom: 1000, source: 'iam.aws' },
      { id: 'role:y', kind: 'Role', placeholder: 0, validFrom: 500, source: 'iam.aws' },
    ]);
  });

  it('8 finds the subjects two workloads already use, and its trigger keeps finding them', () => {
    const db = databaseAt(7);
    const edge = db.prepare(
      `INSERT INTO relationships (type, src, dst, valid_from, valid_to, first_seen, last_seen, confidence, source, evidence, attributes)
       VALUES (?, ?, ?, 1000, NULL, 1000, 1000, 'declared', 'ci.github', '["evt"]', '{}')`,
    );
    edge.run('USES', 'workload:a', 'cred:shared');
    edge.run('USES', 'workload:b', 'cred:shared');
    edge.run('USES', 'workload:a', 'cred:alone');
    edge.run('RUNS_AS', 'workload:a', 'nhi:later');
    edge.run('HAS_ROLE', 'workload:b', 'nhi:later');
    const shared = () => db.prepare('SELECT id FROM shared_workload_subjects ORDER BY id').pluck().all();

    applyMigration(db, MIGRATIONS.find((m) => m.version === 8)!);
    expect(shared()).toEqual(['cred:shared']);

    // A second workload comes later: the trigger adds its subject; a repeat of the same one does not.
    db.prepare(`DELETE FROM relationships WHERE src = 'workload:a' AND dst = 'cred:alone'`).run();
    edge.run('USES', 'workload:a', 'cred:alone');
    edge.run('RUNS_AS', 'workload:c', 'nhi:later');
    expect(shared()).toEqual(['cred:shared', 'nhi:later']);
  });

  it('15 drops the trigger of 8, and the statement the writer runs after a workload edge adds what the trigger added', () => {
    const db = databaseAt(14);
    const triggers = () => db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger'`).pluck().all();
    expect(triggers()).toEqual(['shared_workload_subjects_on_insert']);
    expect(migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 15).map((m) => m.version));
    expect(triggers()).toEqual([]);

    const insert = db.prepare(
      `INSERT INTO relationships (type, src, dst, valid_from, valid_to, first_seen, last_seen, confidence, source, evidence, attributes)
       VALUES (?, ?, ?, ?, NULL, 1000, 1000, 'declared', 'ci.github', '["evt"]', '{}')`,
    );
    const note = db.prepare(SHARED_WORKLOAD_SUBJECT);
    // As the writer does: the statement follows an insert of a workload edge.
    const edge = (type: RelationKind, src: string, dst: string, validFrom = 1000) => {
      insert.run(type, src, dst, validFrom);
      if (WORKLOAD_EDGE_TYPES.includes(type)) note.run({ subject: dst, workload: src });
    };
    const shared = () => db.prepare('SELECT id FROM shared_workload_subjects ORDER BY id').pluck().all();
    edge('USES', 'workload:a', 'cred:shared');
    edge('USES', 'workload:a', 'cred:shared', 2000);
    expect(shared()).toEqual([]);
    edge('RUNS_AS', 'workload:b', 'cred:shared');
    edge('USES', 'workload:a', 'nhi:other');
    edge('HAS_ROLE', 'workload:b', 'nhi:other');
    expect(shared()).toEqual(['cred:shared']);
  });

  it('9 indexes every relationship type the lineage walks read, under the condition the reads repeat', () => {
    // A type the walks follow but the index leaves out would read as no edges at all.
    expect(LINEAGE_EDGE_TYPES).toEqual(expect.arrayContaining([...LINEAGE_UPSTREAM, ...LINEAGE_DOWNSTREAM]));
    const nine = MIGRATIONS.find((m) => m.version === 9)!;
    expect(nine.sql).toContain(`WHERE ${lineageEdgesWhere()};`);

    const db = new Database(':memory:');
    migrate(db);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT r.evidence FROM relationships r WHERE r.dst = ? AND ${lineageEdgesWhere('r')} AND +r.type IN ('OWNS', 'CREATED')`)
      .all('nhi:a') as { detail: string }[];
    expect(plan.map((step) => step.detail)).toEqual(['SEARCH r USING COVERING INDEX relationships_lineage (dst=?)']);
  });

  it('10 renames the property times, so a release that knows only the old column cannot write the packed form; old rows still read', () => {
    const db = databaseAt(9);
    db.prepare(
      `INSERT INTO nodes (id, kind, name, source, first_seen, last_seen, valid_from, valid_to, placeholder, attributes, property_times)
       VALUES ('nhi:a', 'NHI', 'etl', 'iam.aws', 900, 1000, 900, NULL, 0, '{"platform":"aws"}', '{"platform":900,"$kind":900,"$name":1000}')`,
    ).run();

    expect(migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 10).map((m) => m.version));

    // What an older release prepares at start-up.
    expect(() => db.prepare('SELECT property_times FROM nodes')).toThrow(/no such column: property_times/);
    const row = db.prepare(`SELECT ${NODE_COLUMNS} FROM nodes`).raw().get() as unknown[];
    expect(nodeStateAt(row).propertyTimes).toEqual({ platform: 900, $kind: 900, $name: 1000 });
  });

  it('12 starts everyone who has left with a stale departure, and no one else', () => {
    const db = databaseAt(11);
    const person = db.prepare(`
      INSERT INTO nodes (id, kind, name, source, first_seen, last_seen, valid_from, valid_to, placeholder, attributes, packed_property_times)
      VALUES (?, ?, NULL, 'hr.workday', 900, 1000, 900, NULL, 0, ?, '[900]')`);
    person.run('person:left', 'Person', '{"leftAt":1000}');
    person.run('person:here', 'Person', '{"email":"here@example.com"}');
    person.run('nhi:left-at-is-not-a-person-attribute-here', 'NHI', '{"leftAt":1000}');

    expect(migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 12).map((m) => m.version));
    expect(db.prepare('SELECT person_id, left_at, members FROM departures').all()).toEqual([{ person_id: 'person:left', left_at: 1000, members: null }]);
  });

  it('13 leaves the lineage-only types out of the by-target index; every type still reads by target, through one index or the other', () => {
    expect(LINEAGE_EDGE_TYPES).toEqual(expect.arrayContaining([...LINEAGE_ONLY_BY_TARGET]));
    const thirteen = MIGRATIONS.find((m) => m.version === 13)!;
    expect(thirteen.sql).toContain(`WHERE ${byTargetWhere()};`);

    const db = databaseAt(12);
    const edge = db.prepare(
      `INSERT INTO relationships (type, src, dst, valid_from, valid_to, first_seen, last_seen, confidence, source, evidence, attributes)
       VALUES (?, 'from', 'to', 1000, NULL, 1000, 1000, 'declared', 'iam.aws', '["evt"]', '{}')`,
    );
    for (const type of RELATION_KIND_NAMES) edge.run(type);
    // Figures as `PRAGMA optimize` measures them on a large store, not migration 4's.
    db.prepare(`UPDATE sqlite_stat1 SET stat = '2894582 2001 2 1 1' WHERE idx = 'relationships'`).run();
    expect(migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 13).map((m) => m.version));

    // A read that does not repeat the index's condition cannot use it.
    expect(() => db.prepare(`SELECT type FROM relationships INDEXED BY relationships_by_dst WHERE type = 'USES' AND dst = ?`)).toThrow(/no query solution/);
    const indexed = db.prepare(`SELECT type FROM relationships INDEXED BY relationships_by_dst WHERE ${byTargetWhere()} ORDER BY type`).pluck().all();
    expect(indexed).toEqual(RELATION_KIND_NAMES.filter((type) => !LINEAGE_ONLY_BY_TARGET.includes(type)).sort());
    // Its planner statistics are the primary key's, once.
    expect(db.prepare(`SELECT stat FROM sqlite_stat1 WHERE idx = 'relationships_by_dst'`).pluck().all()).toEqual(['2894582 2001 2 1 1']);

    for (const type of RELATION_KIND_NAMES) {
      const sql = `SELECT r.src FROM ${edgesIntoTable(type, 'r')} WHERE r.dst = ? AND ${edgesIntoWhere(type, 'r')}`;
      expect(db.prepare(sql).pluck().all('to')).toEqual(['from']);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('to') as { detail: string }[]).map((step) => step.detail);
      expect(plan).toEqual([
        LINEAGE_ONLY_BY_TARGET.includes(type)
          ? 'SEARCH r USING COVERING INDEX relationships_lineage (dst=?)'
          : 'SEARCH r USING COVERING INDEX relationships_by_dst (type=? AND dst=?)',
      ]);
    }
  });

  it('refuse a store that a newer release has migrated, naming both versions', () => {
    const db = new Database(':memory:');
    migrate(db);
    const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(newest + 1, 'from the future');
    expect(() => migrate(db)).toThrow(`the store has schema version ${newest + 1}, newer than this release knows (${newest})`);
  });
});
