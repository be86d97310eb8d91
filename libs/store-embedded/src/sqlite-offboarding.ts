import type Database from 'better-sqlite3';
import type { EpochMs, OffboardingContext } from '@lineage/domain';
import { MAX_MANAGER_ESCALATION, OFFBOARDING_ROLE_DEPTH, compareIds } from '@lineage/domain';
import type { SqliteGraphReader } from './sqlite-graph-reader';
import { edgesIntoTable, edgesIntoWhere } from './sqlite-migrations';
import { relationshipColumns, relationshipOf } from './sqlite-rows';

const R_COLUMNS = relationshipColumns('r');

/**
 * Everything around a leaver that the lineage slice does not hold, in one statement, every
 * interval that started by @asOf (the planner evaluates them as of the leaving time):
 * - MANAGES into the subject and up its manager chain (MAX_MANAGER_ESCALATION levels);
 * - the subject's HAS_ROLE and CREATED, the roles it can reach through CAN_ASSUME
 *   (OFFBOARDING_ROLE_DEPTH hops) with their CAN_ASSUME and GRANTS;
 * - STORED_IN into the secret stores those grants cover: the granted id itself, or every store
 *   under `<prefix>/` for a grant on `<prefix>/*` (a range scan on the kind index; the planner's
 *   `grantCoversStore` is the rule, this fetches exactly what it can accept);
 * - AUTHENTICATES into the candidate NHIs (their credentials);
 * - USES into every credential above (the leaver's, the candidates', the stores').
 * CROSS JOIN fixes the join order (SQLite's rule for it): the small sets found so far drive, and
 * each probes the relationships by key, whatever the planner would guess without statistics.
 */
export const OFFBOARDING_RELATIONSHIPS = `
  WITH RECURSIVE
  managers(id, depth) AS (
    SELECT @subject, 0
    UNION
    SELECT r.src, m.depth + 1 FROM managers m CROSS JOIN ${edgesIntoTable('MANAGES', 'r')} ON r.dst = m.id AND ${edgesIntoWhere('MANAGES', 'r')}
    WHERE m.depth < @managerDepth AND r.valid_from <= @asOf
  ),
  roles(id, depth) AS (
    SELECT r.dst, 1 FROM relationships r WHERE r.src = @subject AND r.type = @hasRole AND r.valid_from <= @asOf
    UNION
    SELECT r.dst, x.depth + 1 FROM roles x CROSS JOIN relationships r ON r.src = x.id AND r.type = @canAssume
    WHERE x.depth < @roleDepth AND r.valid_from <= @asOf
  ),
  role_ids(id) AS (SELECT DISTINCT id FROM roles),
  granted(id) AS (
    SELECT DISTINCT r.dst FROM role_ids x CROSS JOIN relationships r ON r.src = x.id AND r.type = @grants AND r.valid_from <= @asOf
  ),
  -- For a grant on 'P/*': every id under 'P/' sorts from 'P/' up to, not including, 'P0'.
  globs(under, above) AS (
    SELECT substr(id, 1, length(id) - 1), substr(id, 1, length(id) - 2) || '0' FROM granted WHERE substr(id, -2) = '/*'
  ),
  stores(id) AS (
    SELECT n.id FROM granted g CROSS JOIN nodes n ON n.id = g.id AND n.kind = @storeKind
    UNION
    SELECT n.id FROM globs x CROSS JOIN nodes n ON n.kind = @storeKind AND n.id >= x.under AND n.id < x.above
  ),
  candidates(id) AS (SELECT value FROM json_each(@candidates)),
  credentials(id) AS (
    SELECT r.dst FROM relationships r WHERE r.src = @subject AND r.type = @created AND r.valid_from <= @asOf
    UNION
    SELECT r.src FROM candidates c CROSS JOIN ${edgesIntoTable('AUTHENTICATES', 'r')} ON r.dst = c.id AND ${edgesIntoWhere('AUTHENTICATES', 'r')} AND r.valid_from <= @asOf
    UNION
    SELECT r.src FROM stores s CROSS JOIN ${edgesIntoTable('STORED_IN', 'r')} ON r.dst = s.id AND ${edgesIntoWhere('STORED_IN', 'r')} AND r.valid_from <= @asOf
  )
  SELECT ${R_COLUMNS} FROM managers m CROSS JOIN ${edgesIntoTable('MANAGES', 'r')} ON r.dst = m.id AND ${edgesIntoWhere('MANAGES', 'r')}
  WHERE m.depth < @managerDepth AND r.valid_from <= @asOf
  UNION ALL
  SELECT ${R_COLUMNS} FROM relationships r WHERE r.src = @subject AND r.type IN (@hasRole, @created) AND r.valid_from <= @asOf
  UNION ALL
  SELECT ${R_COLUMNS} FROM role_ids x CROSS JOIN relationships r ON r.src = x.id AND r.type IN (@canAssume, @grants) AND r.valid_from <= @asOf
  UNION ALL
  SELECT ${R_COLUMNS} FROM stores s CROSS JOIN ${edgesIntoTable('STORED_IN', 'r')} ON r.dst = s.id AND ${edgesIntoWhere('STORED_IN', 'r')} AND r.valid_from <= @asOf
  UNION ALL
  SELECT ${R_COLUMNS} FROM candidates c CROSS JOIN ${edgesIntoTable('AUTHENTICATES', 'r')} ON r.dst = c.id AND ${edgesIntoWhere('AUTHENTICATES', 'r')} AND r.valid_from <= @asOf
  UNION ALL
  SELECT ${R_COLUMNS} FROM credentials k CROSS JOIN ${edgesIntoTable('USES', 'r')} ON r.dst = k.id AND ${edgesIntoWhere('USES', 'r')} AND r.valid_from <= @asOf`;

const instances = new WeakMap<Database.Database, SqliteOffboarding>();

/**
 * The offboarding context on the embedded store, in a fixed number of statements whatever the
 * graph's size: the subject, its accountability candidates (one recursive walk), their lineage
 * slice (three, shared with lineage and orphanedBy), the relationships above (one) and the
 * nodes those name that the slice lacks (one).
 */
export class SqliteOffboarding {
  private readonly relationships: Database.Statement;

  private constructor(
    db: Database.Database,
    private readonly reader: SqliteGraphReader,
  ) {
    this.relationships = db.prepare(OFFBOARDING_RELATIONSHIPS).raw();
  }

  /** One instance (and one set of prepared statements) per database connection. */
  static for(db: Database.Database, reader: SqliteGraphReader): SqliteOffboarding {
    let instance = instances.get(db);
    if (!instance) {
      instance = new SqliteOffboarding(db, reader);
      instances.set(db, instance);
    }
    return instance;
  }

  context(subjectId: string, asOf: EpochMs): OffboardingContext | null {
    // The downstream walk starts at the subject, so it reads the subject's node too.
    const { candidates: candidateNhiIds, reached } = this.reader.accountabilityCandidates(subjectId);
    const subject = reached.get(subjectId);
    if (!subject) return null;
    const slice = this.reader.lineageSlice([subjectId, ...candidateNhiIds], reached);
    const extra = (
      this.relationships.all({
        subject: subjectId,
        asOf,
        candidates: JSON.stringify(candidateNhiIds),
        managerDepth: MAX_MANAGER_ESCALATION,
        roleDepth: OFFBOARDING_ROLE_DEPTH,
        storeKind: 'SecretStore',
        hasRole: 'HAS_ROLE',
        canAssume: 'CAN_ASSUME',
        grants: 'GRANTS',
        created: 'CREATED',
      }) as unknown[][]
    ).map(relationshipOf);
    const known = new Set(slice.nodes.map((node) => node.id));
    const missing = [...new Set(extra.flatMap((rel) => [rel.from, rel.to]))].filter((id) => !known.has(id));
    // The walk down read some of them already (credentials the subject created). In id order, as a
    // read returns them (the planner orders the stores it meets itself).
    const more = this.reader.nodesOf(missing, reached).sort((a, b) => compareIds(a.id, b.id));
    return {
      subject,
      nodes: [...slice.nodes, ...more],
      relationships: [...slice.relationships, ...extra],
      candidateNhiIds,
    };
  }
}
