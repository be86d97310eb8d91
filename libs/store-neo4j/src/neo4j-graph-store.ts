import type {
  PendingFollowUp,
  ApiKeyRecord,
  BatchOutcome,
  BlastRadius,
  BlastRadiusQuery,
  DeadLetterRecord,
  EpochMs,
  Finding,
  FindingsQuery,
  GraphNode,
  GraphStore,
  IngestBatch,
  IngestionStatus,
  Lineage,
  Neighbour,
  NeighbourQuery,
  OffboardingContext,
  OffboardingPlan,
  OrphanedNhi,
  OutboxChannel,
  Page,
  PageRequest,
  PendingDelivery,
  PlanDeliveryState,
  PlanFilter,
  PlanKey,
  TimelineEntry,
} from '@lineage/domain';
import type { Driver } from 'neo4j-driver';
import neo4j from 'neo4j-driver';
import { Neo4jApiKeys } from './neo4j-api-keys';
import { applyBatch } from './neo4j-batch-writer';
import { Neo4jBlastRadius } from './neo4j-blast-radius';
import { Neo4jFindings } from './neo4j-findings';
import { Neo4jGraphReads } from './neo4j-graph-reads';
import { Neo4jLedger } from './neo4j-ledger';
import { Neo4jLineageQueries } from './neo4j-lineage-queries';
import { Neo4jOffboarding } from './neo4j-offboarding';
import { findSchemaDir, loadMigrations, runMigrations } from './neo4j-migrations';
import { Neo4jPlans } from './neo4j-plans';
import { Neo4jSessions, run } from './neo4j-session';
import { readNumber } from './neo4j-values';

export interface Neo4jConnectOptions {
  readonly uri: string;
  readonly user: string;
  readonly password: string;
  /** The database to use; the server's default database when absent. */
  readonly database?: string;
  /** Where the `V*.cypher` migrations are; found above this module when absent. */
  readonly schemaDir?: string;
}

/** Oldest Neo4j the queries run on: quantified path patterns and relationship WHERE in them arrived in 5.9. */
export const MIN_NEO4J_VERSION = { major: 5, minor: 9 } as const;

/**
 * Check the server's agent string (`Neo4j/5.26.1`, `Neo4j/2025.01.0`); throws when it is older
 * than MIN_NEO4J_VERSION. Calendar versions (2025.x and later) follow 5.26 and pass.
 */
export function checkServerVersion(agent: string | undefined): void {
  const match = /^Neo4j\/(\d+)\.(\d+)/i.exec(agent ?? '');
  if (!match)
    throw new Error(
      `unrecognised Neo4j server agent "${agent ?? ''}"; Neo4j ${MIN_NEO4J_VERSION.major}.${MIN_NEO4J_VERSION.minor} or later is required`,
    );
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major > MIN_NEO4J_VERSION.major || (major === MIN_NEO4J_VERSION.major && minor >= MIN_NEO4J_VERSION.minor))
    return;
  throw new Error(
    `Neo4j ${major}.${minor} is too old: ${MIN_NEO4J_VERSION.major}.${MIN_NEO4J_VERSION.minor} or later is required`,
  );
}

/** A URI fit for a message: any user-info part (`user:password@`) is dropped. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//');
}

/** Everything but the schema's own record is deleted this many nodes per transaction. */
const CLEAR_BATCH = 10_000;
const CLEAR = `
MATCH (n)
WHERE NOT n:SchemaMigration
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted`;

/**
 * The Neo4j graph store. Each concern's Cypher lives in its own module (batch writes, lineage,
 * blast radius, reads, ledger, plans, api keys); this class connects, migrates and delegates.
 * Only this library imports `neo4j-driver`.
 */
export class Neo4jGraphStore implements GraphStore {
  readonly kind = 'neo4j' as const;
  private readonly reads: Neo4jGraphReads;
  private readonly lineageQueries: Neo4jLineageQueries;
  private readonly blast: Neo4jBlastRadius;
  private readonly ledger: Neo4jLedger;
  private readonly plans: Neo4jPlans;
  private readonly keys: Neo4jApiKeys;

  private constructor(
    private readonly driver: Driver,
    private readonly sessions: Neo4jSessions,
  ) {
    this.reads = new Neo4jGraphReads(sessions);
    this.lineageQueries = new Neo4jLineageQueries(sessions);
    this.blast = new Neo4jBlastRadius(sessions);
    this.ledger = new Neo4jLedger(sessions);
    this.plans = new Neo4jPlans(sessions);
    this.keys = new Neo4jApiKeys(sessions);
  }

  /**
   * Create the driver (integers come back as JavaScript numbers: every integer the store holds is
   * an epoch millisecond or a counter, well inside 2^53), check the server is reachable and recent
   * enough, and apply the schema migrations.
   */
  static async connect(options: Neo4jConnectOptions): Promise<Neo4jGraphStore> {
    const driver = neo4j.driver(options.uri, neo4j.auth.basic(options.user, options.password), {
      disableLosslessIntegers: true,
    });
    try {
      const info = await driver.getServerInfo(options.database ? { database: options.database } : {});
      checkServerVersion(info.agent);
      const sessions = new Neo4jSessions(driver, options.database);
      await runMigrations(sessions, loadMigrations(options.schemaDir ?? findSchemaDir()));
      return new Neo4jGraphStore(driver, sessions);
    } catch (error) {
      await driver.close();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot open the Neo4j store at ${redactUri(options.uri)}: ${reason}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  /**
   * DESTRUCTIVE, for tests only: delete every node and relationship of the database (in batches
   * of CLEAR_BATCH per transaction), keeping the schema and its migration records.
   */
  async clearForTests(): Promise<void> {
    for (;;) {
      const records = await this.sessions.write((tx) => run(tx, CLEAR, { limit: CLEAR_BATCH }));
      if (readNumber(records[0]?.get('deleted') ?? 0, 'deleted nodes') === 0) return;
    }
  }

  // ---- writes ----

  async applyBatch(batch: IngestBatch): Promise<BatchOutcome> {
    return applyBatch(this.sessions, batch);
  }

  async checkpoint(stream: string): Promise<string | null> {
    return this.ledger.checkpoint(stream);
  }

  async pendingFollowUps(kind: string, limit: number): Promise<PendingFollowUp[]> {
    return this.ledger.pendingFollowUps(kind, limit);
  }

  async completeFollowUps(keys: readonly string[]): Promise<void> {
    return this.ledger.completeFollowUps(keys);
  }

  // ---- graph reads ----

  async getNode(id: string): Promise<GraphNode | null> {
    return this.reads.getNode(id);
  }

  async getNodes(ids: readonly string[]): Promise<GraphNode[]> {
    return this.reads.getNodes(ids);
  }

  async neighbours(query: NeighbourQuery): Promise<Page<Neighbour>> {
    return this.reads.neighbours(query);
  }

  async timeline(
    entityId: string,
    from: EpochMs | null,
    to: EpochMs | null,
    page: PageRequest,
  ): Promise<Page<TimelineEntry>> {
    return this.reads.timeline(entityId, from, to, page);
  }

  async lineage(id: string, asOf: EpochMs): Promise<Lineage | null> {
    return this.lineageQueries.lineage(id, asOf);
  }

  async orphanedBy(personId: string, asOf: EpochMs): Promise<OrphanedNhi[]> {
    return this.lineageQueries.orphanedBy(personId, asOf);
  }

  async orphans(asOf: EpochMs, page: PageRequest, options?: { withTotal?: boolean }): Promise<Page<Lineage>> {
    return this.lineageQueries.orphans(asOf, page, options?.withTotal ?? false);
  }

  async blastRadius(query: BlastRadiusQuery): Promise<BlastRadius | null> {
    return this.blast.blastRadius(query);
  }

  // ---- ledger ----

  async ingestionStatus(): Promise<IngestionStatus> {
    return this.ledger.status();
  }

  async deadLetters(page: PageRequest): Promise<Page<DeadLetterRecord>> {
    return this.ledger.deadLetters(page);
  }

  // ---- findings and offboarding context (their queries go in neo4j-findings.ts / neo4j-offboarding.ts) ----

  async findings(query: FindingsQuery): Promise<Page<Finding>> {
    return new Neo4jFindings(this.sessions).findings(query);
  }

  async offboardingContext(subjectId: string, asOf: EpochMs): Promise<OffboardingContext | null> {
    return new Neo4jOffboarding(this.sessions).context(subjectId, asOf);
  }

  // ---- plans ----

  async savePlan(plan: OffboardingPlan, channels: readonly string[]): Promise<boolean> {
    return this.plans.savePlan(plan, channels);
  }

  async supersedePlans(subjectId: string, at: EpochMs): Promise<number> {
    return this.plans.supersedePlans(subjectId, at);
  }

  async latestPlan(subjectId: string): Promise<OffboardingPlan | null> {
    return this.plans.latestPlan(subjectId);
  }

  async listPlans(page: PageRequest, filter?: PlanFilter): Promise<Page<OffboardingPlan>> {
    return this.plans.listPlans(page, filter);
  }

  async planDeliveries(plans: readonly PlanKey[]): Promise<PlanDeliveryState[]> {
    return this.plans.planDeliveries(plans);
  }

  async pendingDeliveries(channel: string, now: EpochMs, limit: number): Promise<PendingDelivery[]> {
    return this.plans.pendingDeliveries(channel, now, limit);
  }

  async deliveryOutbox(): Promise<OutboxChannel[]> {
    return this.plans.deliveryOutbox();
  }

  async markDelivered(deliveryId: number, at: EpochMs): Promise<void> {
    return this.plans.markDelivered(deliveryId, at);
  }

  async markDeliveryFailed(deliveryId: number, error: string, retryAt: EpochMs): Promise<void> {
    return this.plans.markDeliveryFailed(deliveryId, error, retryAt);
  }

  async retryDeliveriesNow(channel: string, now: EpochMs): Promise<number> {
    return this.plans.retryDeliveriesNow(channel, now);
  }

  // ---- api keys ----

  async saveApiKey(key: ApiKeyRecord): Promise<void> {
    return this.keys.save(key);
  }

  async findApiKey(id: string): Promise<ApiKeyRecord | null> {
    return this.keys.find(id);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.keys.list();
  }

  async revokeApiKey(id: string, at: EpochMs): Promise<boolean> {
    return this.keys.revoke(id, at);
  }
}
