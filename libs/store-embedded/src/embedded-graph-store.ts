import Database from 'better-sqlite3';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
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
  PendingFollowUp,
  PlanDeliveryState,
  PlanFilter,
  PlanKey,
  TimelineEntry,
} from '@lineage/domain';
import { migrate } from './sqlite-migrations';
import { SqliteApiKeys } from './sqlite-api-keys';
import { SqliteDepartures } from './sqlite-departures';
import { SqliteFindings } from './sqlite-findings';
import { SqliteGraphReader } from './sqlite-graph-reader';
import { SqliteLedger } from './sqlite-ledger';
import { SqliteOffboarding } from './sqlite-offboarding';
import { SqlitePlans } from './sqlite-plans';
import { SqliteWriter } from './sqlite-writer';

export interface EmbeddedStoreOptions {
  /** Directory for `lineage.db`; `:memory:` for a throwaway store. */
  readonly dataDir: string;
  /** Page cache in MiB (default 128; the apps pass LINEAGE_SQLITE_CACHE_MB). */
  readonly cacheMb?: number;
}

export const EMBEDDED_DB_FILE = 'lineage.db';

/**
 * The embedded graph store: one SQLite file (WAL) through better-sqlite3, nothing to install.
 * Each concern's statements live in their own class; this one opens, migrates and delegates.
 * better-sqlite3 is synchronous, so the async port methods resolve immediately.
 */
export class EmbeddedGraphStore implements GraphStore {
  readonly kind = 'embedded' as const;
  private readonly writer: SqliteWriter;
  private readonly reader: SqliteGraphReader;
  private readonly ledger: SqliteLedger;
  private readonly plans: SqlitePlans;
  private readonly keys: SqliteApiKeys;
  private readonly findingRules: SqliteFindings;

  private constructor(readonly db: Database.Database) {
    this.reader = new SqliteGraphReader(db);
    this.writer = new SqliteWriter(db, new SqliteDepartures(db, this.reader));
    this.ledger = new SqliteLedger(db);
    this.plans = new SqlitePlans(db);
    this.keys = new SqliteApiKeys(db);
    this.findingRules = new SqliteFindings(db, this.reader);
  }

  static open(options: EmbeddedStoreOptions): EmbeddedGraphStore {
    const inMemory = options.dataDir === ':memory:';
    let file = ':memory:';
    if (!inMemory) {
      mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
      file = join(options.dataDir, EMBEDDED_DB_FILE);
    }
    const db = new Database(file);
    if (!inMemory) chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a committed transaction survives a process crash (SIGKILL); only an OS crash may lose the last ones.
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${(options.cacheMb ?? 128) * 1024}`);
    db.pragma('temp_store = MEMORY');
    db.pragma('busy_timeout = 5000');
    // Checkpoint the WAL every ~64 MiB rather than every 4 MiB: a page rewritten by successive
    // ingest batches is copied into the database once.
    db.pragma('wal_autocheckpoint = 16384');
    migrate(db);
    return new EmbeddedGraphStore(db);
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    try {
      // Refresh the planner's statistics where they are stale; best effort (a locked database skips it).
      this.db.pragma('optimize');
    } catch {
      // The statistics stay as they were; closing matters more.
    } finally {
      this.db.close();
    }
  }

  async applyBatch(batch: IngestBatch): Promise<BatchOutcome> {
    return this.writer.apply(batch);
  }

  async checkpoint(stream: string): Promise<string | null> {
    return this.ledger.checkpoint(stream);
  }

  async pendingFollowUps(kind: string, limit: number): Promise<PendingFollowUp[]> {
    return this.ledger.pendingFollowUps(kind, limit);
  }

  async completeFollowUp(key: string): Promise<void> {
    this.ledger.completeFollowUp(key);
  }

  async getNode(id: string): Promise<GraphNode | null> {
    return this.reader.getNode(id);
  }

  async getNodes(ids: readonly string[]): Promise<GraphNode[]> {
    return this.reader.getNodes(ids);
  }

  async neighbours(query: NeighbourQuery): Promise<Page<Neighbour>> {
    return this.reader.neighbours(query);
  }

  async lineage(id: string, asOf: EpochMs): Promise<Lineage | null> {
    return this.reader.lineage(id, asOf);
  }

  async orphanedBy(personId: string, asOf: EpochMs): Promise<OrphanedNhi[]> {
    return this.reader.orphanedBy(personId, asOf);
  }

  async orphans(asOf: EpochMs, page: PageRequest, options?: { withTotal?: boolean }): Promise<Page<Lineage>> {
    return this.reader.orphans(asOf, page, options?.withTotal ?? false);
  }

  async blastRadius(query: BlastRadiusQuery): Promise<BlastRadius | null> {
    return this.reader.blastRadius(query);
  }

  async timeline(entityId: string, from: EpochMs | null, to: EpochMs | null, page: PageRequest): Promise<Page<TimelineEntry>> {
    return this.reader.timeline(entityId, from, to, page);
  }

  async ingestionStatus(): Promise<IngestionStatus> {
    return this.ledger.status();
  }

  async deadLetters(page: PageRequest): Promise<Page<DeadLetterRecord>> {
    return this.ledger.deadLetters(page);
  }

  async findings(query: FindingsQuery): Promise<Page<Finding>> {
    return this.findingRules.findings(query);
  }

  async offboardingContext(subjectId: string, asOf: EpochMs): Promise<OffboardingContext | null> {
    return SqliteOffboarding.for(this.db, this.reader).context(subjectId, asOf);
  }

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
    this.plans.markDelivered(deliveryId, at);
  }

  async markDeliveryFailed(deliveryId: number, error: string, retryAt: EpochMs): Promise<void> {
    this.plans.markDeliveryFailed(deliveryId, error, retryAt);
  }

  async retryDeliveriesNow(channel: string, now: EpochMs): Promise<number> {
    return this.plans.retryDeliveriesNow(channel, now);
  }

  async saveApiKey(key: ApiKeyRecord): Promise<void> {
    this.keys.save(key);
  }

  async findApiKey(id: string): Promise<ApiKeyRecord | null> {
    return this.keys.find(id);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.keys.list();
  }

  async revokeApiKey(id: string, at: EpochMs): Promise<boolean> {
    return this.keys.revokeKey(id, at);
  }
}
