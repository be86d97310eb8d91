import type Database from 'better-sqlite3';
import type { RelationKind } from '@lineage/domain';
import { RELATION_KIND_NAMES, pendingMigrations, placeholderEnds } from '@lineage/domain';
import { fromNodeState, placeholders, sqlStrings } from './sqlite-rows';

/**
 * Versioned schema migrations for the embedded store. Each runs once, in order, inside a
 * transaction, and is recorded in `schema_migrations`. Never edit a released migration: add one.
 *
 * The graph is two tables: `nodes` (one row per node, latest properties, validity interval) and
 * `relationships` (one row per validity interval of a (type, from, to) key). Nothing is deleted:
 * removal closes an interval.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL to execute, or a step that needs the domain's rules. */
  readonly sql: string | ((db: Database.Database) => void);
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'graph',
    sql: `
      CREATE TABLE nodes (
        id             TEXT PRIMARY KEY,
        kind           TEXT NOT NULL,
        name           TEXT,
        source         TEXT,
        first_seen     INTEGER NOT NULL,
        last_seen      INTEGER NOT NULL,
        valid_from     INTEGER NOT NULL,
        valid_to       INTEGER,
        placeholder    INTEGER NOT NULL,
        attributes     TEXT NOT NULL,
        property_times TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX nodes_by_kind ON nodes (kind, id);

      CREATE TABLE relationships (
        type        TEXT NOT NULL,
        src         TEXT NOT NULL,
        dst         TEXT NOT NULL,
        valid_from  INTEGER NOT NULL,
        valid_to    INTEGER,
        first_seen  INTEGER NOT NULL,
        last_seen   INTEGER NOT NULL,
        confidence  TEXT NOT NULL,
        source      TEXT,
        evidence    TEXT NOT NULL,
        attributes  TEXT NOT NULL,
        PRIMARY KEY (type, src, dst, valid_from)
      ) WITHOUT ROWID;
      -- Every query names the relationship type, so type leads both keys: two B-trees serve
      -- walks in either direction and the findings' scans of one type.
      CREATE INDEX relationships_by_dst ON relationships (type, dst, src, valid_from);
    `,
  },
  {
    version: 2,
    name: 'ingestion ledger',
    sql: `
      CREATE TABLE events (
        seq         INTEGER PRIMARY KEY,
        source      TEXT NOT NULL,
        id          TEXT NOT NULL,
        type        TEXT NOT NULL,
        time        INTEGER NOT NULL,
        subject     TEXT,
        summary     TEXT NOT NULL,
        received_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX events_by_key ON events (source, id);

      -- The timeline index: an entity's events by time, pointing at events by sequence number.
      CREATE TABLE entity_events (
        entity_id TEXT NOT NULL,
        time      INTEGER NOT NULL,
        seq       INTEGER NOT NULL,
        PRIMARY KEY (entity_id, time, seq)
      ) WITHOUT ROWID;

      CREATE TABLE ingest_counters (
        source          TEXT NOT NULL,
        type            TEXT NOT NULL,
        accepted        INTEGER NOT NULL DEFAULT 0,
        duplicates      INTEGER NOT NULL DEFAULT 0,
        rejected        INTEGER NOT NULL DEFAULT 0,
        last_event_time INTEGER,
        PRIMARY KEY (source, type)
      ) WITHOUT ROWID;

      CREATE TABLE dead_letters (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at INTEGER NOT NULL,
        origin      TEXT NOT NULL,
        source      TEXT,
        type        TEXT,
        reason      TEXT NOT NULL,
        field       TEXT,
        raw         BLOB NOT NULL
      );

      CREATE TABLE checkpoints (
        stream     TEXT PRIMARY KEY,
        position   TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'offboarding plans and api keys',
    sql: `
      CREATE TABLE offboarding_plans (
        trigger_source TEXT NOT NULL,
        triggered_by   TEXT NOT NULL,
        subject_id     TEXT NOT NULL,
        subject_kind   TEXT NOT NULL,
        trigger_type   TEXT NOT NULL,
        effective_at   INTEGER NOT NULL,
        created_at     INTEGER NOT NULL,
        superseded_at  INTEGER,
        actions        TEXT NOT NULL,
        seq            INTEGER NOT NULL,
        PRIMARY KEY (trigger_source, triggered_by)
      ) WITHOUT ROWID;
      CREATE INDEX offboarding_plans_by_subject ON offboarding_plans (subject_id, effective_at);
      CREATE UNIQUE INDEX offboarding_plans_by_seq ON offboarding_plans (seq);

      CREATE TABLE plan_deliveries (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        trigger_source  TEXT NOT NULL,
        triggered_by    TEXT NOT NULL,
        channel         TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        delivered_at    INTEGER,
        last_error      TEXT
      );
      CREATE INDEX plan_deliveries_pending ON plan_deliveries (channel, delivered_at, next_attempt_at);

      CREATE TABLE api_keys (
        id          TEXT PRIMARY KEY,
        role        TEXT NOT NULL,
        owner_id    TEXT NOT NULL,
        hash        TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        revoked_at  INTEGER,
        description TEXT
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'planner statistics',
    // Without statistics SQLite may walk a whole relationship type rather than join through
    // (type, dst). These fixed figures (the documented way to steer the planner) say what holds
    // for a lineage graph: a type alone selects much, a type with a node id almost nothing.
    // `PRAGMA optimize` on close replaces them with measured ones once the tables are large.
    sql: `
      ANALYZE sqlite_schema;
      DELETE FROM sqlite_stat1 WHERE tbl IN ('relationships', 'nodes');
      INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('relationships', 'relationships_by_dst', '4000000 300000 3 1 1'),
        ('relationships', 'relationships', '4000000 300000 3 1 1'),
        ('nodes', 'nodes_by_kind', '2000000 250000 1'),
        ('nodes', 'nodes', '2000000 1');
      ANALYZE sqlite_schema;
    `,
  },
  {
    version: 5,
    name: 'follow-ups',
    sql: `
      CREATE TABLE follow_ups (
        seq     INTEGER PRIMARY KEY,
        key     TEXT NOT NULL UNIQUE,
        kind    TEXT NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE INDEX follow_ups_by_kind ON follow_ups (kind, seq);
    `,
  },
  {
    version: 6,
    name: 'admin grants',
    // NHI5 asks, per role, whether it grants admin anywhere; a role may hold a thousand grants.
    sql: `
      CREATE INDEX relationships_admin_grants ON relationships (src, json_extract(attributes, '$.level')) WHERE type = 'GRANTS';
    `,
  },
  {
    version: 7,
    name: 'relationship ends',
    // Until now a removal that arrived before its grant stored its marker without placeholder
    // ends. The writer now relies on every row's ends existing (a key at an unknown node is not
    // read), so the missing ends are made, as the domain would have made them.
    sql: addMissingEnds,
  },
  {
    version: 8,
    name: 'environment isolation',
    // NHI8 asks which NHIs and credentials workloads of prod and of another environment share.
    // Only a subject two workloads have ever used can be one, so a trigger keeps those subjects
    // (a set that only grows, right for any asOf), and two covering indexes answer per subject
    // which workloads use it and in which environment, without reading their rows.
    sql: `
      CREATE INDEX relationships_workload_edges ON relationships (dst, src, valid_from, valid_to) WHERE type IN ('USES', 'RUNS_AS');
      CREATE INDEX nodes_workload_environment ON nodes (id, json_extract(attributes, '$.environment'), valid_from, valid_to, kind) WHERE kind = 'Workload';
      CREATE TABLE shared_workload_subjects (id TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE TRIGGER shared_workload_subjects_on_insert AFTER INSERT ON relationships
      WHEN new.type IN ('USES', 'RUNS_AS')
      BEGIN
        INSERT OR IGNORE INTO shared_workload_subjects (id)
        SELECT new.dst WHERE EXISTS (
          SELECT 1 FROM relationships o INDEXED BY relationships_workload_edges
          WHERE o.type IN ('USES', 'RUNS_AS') AND o.dst = new.dst AND o.src <> new.src);
      END;
      INSERT INTO shared_workload_subjects (id)
      SELECT dst FROM relationships INDEXED BY relationships_workload_edges
      WHERE type IN ('USES', 'RUNS_AS') GROUP BY dst HAVING min(src) <> max(src);
    `,
  },
  {
    version: 9,
    name: 'lineage edges by node',
    // Lineage walks upstream: from a node to whatever owns, created, runs as or supplies it, and
    // from an NHI to its credentials. Keyed by the node with every column, one range of the index
    // holds all of a node's lineage edges, every interval included: no second lookup into the
    // table, and no seek per type (type follows src, so the types asked filter the range).
    // The WHERE is `lineageEdgesWhere()`, word for word: SQLite uses a partial index only for a
    // query that repeats its condition.
    sql: `
      CREATE INDEX relationships_lineage ON relationships
        (dst, src, type, valid_from, valid_to, first_seen, last_seen, confidence, source, evidence, attributes)
      WHERE type IN ('OWNS', 'CREATED', 'RUNS_AS', 'SUPPLIES', 'SPONSORS', 'AUTHENTICATES');
    `,
  },
  {
    version: 10,
    name: 'packed property times',
    // The writer now keeps the time most of a node's properties share and the times that differ
    // (`encodePropertyTimes`); rows already written keep their form, which it still reads. The
    // column is renamed so that an older release, which would read the packed form as no times
    // at all and let any late event overwrite a newer value, cannot open the store unnoticed.
    sql: 'ALTER TABLE nodes RENAME COLUMN property_times TO packed_property_times',
  },
  {
    version: 11,
    name: 'deliveries by plan',
    // A plan is served with where its deliveries stand, and plans can be listed by whether one
    // is still undelivered: both look deliveries up by their plan's key.
    sql: 'CREATE INDEX plan_deliveries_by_plan ON plan_deliveries (trigger_source, triggered_by, channel)',
  },
  {
    version: 12,
    name: 'kept departures',
    // What each leaver's departure left them answering for, kept by the writer (SqliteDepartures);
    // members is null while stale. Everyone who has left already starts stale, for batches to fill.
    sql: `
      CREATE TABLE departures (
        person_id TEXT PRIMARY KEY,
        left_at   INTEGER NOT NULL,
        members   TEXT
      ) WITHOUT ROWID;
      CREATE INDEX departures_by_left_at ON departures (left_at);
      CREATE INDEX departures_stale ON departures (left_at) WHERE members IS NULL;
      INSERT INTO departures (person_id, left_at, members)
        SELECT id, json_extract(attributes, '$.leftAt'), NULL FROM nodes
        WHERE kind = 'Person' AND json_type(attributes, '$.leftAt') IN ('integer', 'real');`,
  },
  {
    version: 13,
    name: 'by-target index without the lineage edges',
    // relationships_lineage (migration 9) holds every lineage edge by the node it points at, so
    // relationships_by_dst holding OWNS, CREATED, RUNS_AS and AUTHENTICATES too was a second
    // entry for three in five of all edges, written on every insert. It now leaves those four
    // out; their reads by target go through relationships_lineage. SUPPLIES and SPONSORS stay:
    // NHI3 walks SUPPLIES in target order, which relationships_lineage cannot give by type.
    // Dropping the index drops its planner statistics; it is given the primary key's, fixed
    // (migration 4) or measured: both lead with the type, then one node and the other. The
    // WHERE is `byTargetWhere()`, word for word.
    sql: `
      DROP INDEX relationships_by_dst;
      CREATE INDEX relationships_by_dst ON relationships (type, dst, src, valid_from)
      WHERE type NOT IN ('OWNS', 'CREATED', 'RUNS_AS', 'AUTHENTICATES');
      DELETE FROM sqlite_stat1 WHERE idx = 'relationships_by_dst';
      INSERT INTO sqlite_stat1 (tbl, idx, stat)
        SELECT tbl, 'relationships_by_dst', stat FROM sqlite_stat1 WHERE tbl = 'relationships' AND idx = 'relationships';
      ANALYZE sqlite_schema;
    `,
  },
  {
    version: 14,
    name: 'recent timeline level',
    // New timeline rows go here first and move to entity_events a key range at a time
    // (TimelineLevels): a few cached pages take each batch's rows, not a page per row of the
    // large B-tree. Readers union the two; a row is in one or the other.
    sql: `
      CREATE TABLE entity_events_recent (
        entity_id TEXT NOT NULL,
        time      INTEGER NOT NULL,
        seq       INTEGER NOT NULL,
        PRIMARY KEY (entity_id, time, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 15,
    name: 'shared workload subjects kept by the writer',
    // The trigger of migration 8 ran a sub-program for every relationship inserted, whatever its
    // type, to act on the one in twenty that is a workload edge: a third of an insert's cost. The
    // writer now runs the same statement itself after inserting a workload edge
    // (`SHARED_WORKLOAD_SUBJECT`); the set holds what it held.
    sql: 'DROP TRIGGER shared_workload_subjects_on_insert',
  },
];

/**
 * The condition of the `relationships_lineage` index (migration 9), which a query must repeat
 * to read through it; the relationship types it holds are `LINEAGE_EDGE_TYPES`.
 */
export const LINEAGE_EDGE_TYPES: readonly RelationKind[] = ['OWNS', 'CREATED', 'RUNS_AS', 'SUPPLIES', 'SPONSORS', 'AUTHENTICATES'];
export function lineageEdgesWhere(alias?: string): string {
  return `${alias ? `${alias}.` : ''}type IN ${sqlStrings(LINEAGE_EDGE_TYPES)}`;
}

/**
 * The lineage edges that only `relationships_lineage` holds by the node they point at (migration 13);
 * `relationships_by_dst` holds every other type, under `byTargetWhere()`, which a read through it repeats.
 */
export const LINEAGE_ONLY_BY_TARGET: readonly RelationKind[] = ['OWNS', 'CREATED', 'RUNS_AS', 'AUTHENTICATES'];
export function byTargetWhere(alias?: string): string {
  return `${alias ? `${alias}.` : ''}type NOT IN ${sqlStrings(LINEAGE_ONLY_BY_TARGET)}`;
}

/**
 * A read of the `type` edges into a node names the index that holds them by target, and repeats
 * its condition: `relationships_lineage` for the four of `LINEAGE_ONLY_BY_TARGET` (the type
 * filtered, not sought), `relationships_by_dst` for any other. Named, because with measured
 * statistics the planner may otherwise walk the primary key's whole range of the type.
 */
export function edgesIntoTable(type: RelationKind, alias: string): string {
  return `relationships ${alias} INDEXED BY ${LINEAGE_ONLY_BY_TARGET.includes(type) ? 'relationships_lineage' : 'relationships_by_dst'}`;
}
export function edgesIntoWhere(type: RelationKind, alias: string): string {
  return LINEAGE_ONLY_BY_TARGET.includes(type)
    ? `${lineageEdgesWhere(alias)} AND +${alias}.type = '${type}'`
    : `${alias}.type = '${type}' AND ${byTargetWhere(alias)}`;
}

/**
 * One statement per relationship type, each prepared up front with its type written in (as
 * `edgesIntoWhere` needs, for the planner to see which index serves it), chosen by type.
 */
export function statementPerType(prepare: (type: RelationKind) => Database.Statement): (type: RelationKind) => Database.Statement {
  const statements = new Map(RELATION_KIND_NAMES.map((type) => [type, prepare(type)] as const));
  return (type) => {
    const statement = statements.get(type);
    if (!statement) throw new Error(`no statement for relationship type ${String(type)}`);
    return statement;
  };
}

/** The edges by which workloads use what they hold: those `relationships_workload_edges` (migration 8) indexes. */
export const WORKLOAD_EDGE_TYPES: readonly RelationKind[] = ['USES', 'RUNS_AS'];
/** The condition of `relationships_workload_edges`, which a query must repeat to read through it. */
export function workloadEdgesWhere(alias: string): string {
  return `${alias}.type IN ${sqlStrings(WORKLOAD_EDGE_TYPES)}`;
}

/**
 * Adds `@subject` to `shared_workload_subjects` (migration 8) when a workload other than
 * `@workload` also uses it or runs as it: run after inserting a workload edge from `@workload` to
 * `@subject`, as migration 8's trigger did until migration 15.
 */
export const SHARED_WORKLOAD_SUBJECT = `
  INSERT OR IGNORE INTO shared_workload_subjects (id)
  SELECT @subject WHERE EXISTS (
    SELECT 1 FROM relationships o INDEXED BY relationships_workload_edges
    WHERE ${workloadEdgesWhere('o')} AND o.dst = @subject AND o.src <> @workload)`;

function addMissingEnds(db: Database.Database): void {
  const orphanRows = db.prepare(`
    SELECT r.type, r.src, r.dst, r.valid_from AS time, r.source, r.evidence FROM relationships r
    WHERE NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = r.src) OR NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = r.dst)`);
  const exists = db.prepare('SELECT 1 FROM nodes WHERE id = ?').pluck();
  // The columns as they were at version 7 (10 renamed the last one).
  const insert = db.prepare(`
    INSERT INTO nodes (id, kind, name, source, first_seen, last_seen, valid_from, valid_to, placeholder, attributes, property_times)
    VALUES ${placeholders(11)}`);
  const rows = orphanRows.all() as { type: RelationKind; src: string; dst: string; time: number; source: string | null; evidence: string }[];
  for (const row of rows) {
    const evidence = (JSON.parse(row.evidence) as string[])[0] ?? 'migration:7';
    const rel = { type: row.type, from: row.src, to: row.dst, time: row.time, evidence, source: row.source ?? 'migration:7' };
    for (const node of placeholderEnds(rel, (id) => exists.get(id) !== undefined)) insert.run(fromNodeState(node));
  }
}

/** Runs one migration's step (without recording it). */
export function applyMigration(db: Database.Database, migration: Migration): void {
  if (typeof migration.sql === 'string') db.exec(migration.sql);
  else migration.sql(db);
}

export function migrate(db: Database.Database): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((row) => row.version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const ran: number[] = [];
  for (const migration of pendingMigrations(applied, MIGRATIONS)) {
    db.transaction(() => {
      applyMigration(db, migration);
      record.run(migration.version, migration.name, Date.now());
    })();
    ran.push(migration.version);
  }
  return ran;
}
