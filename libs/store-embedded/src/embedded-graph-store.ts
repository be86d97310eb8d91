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
import { DomainError } from '@lineage/domain';
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
  /** Rows the timeline's recent level holds before they move to the settled one (`TIMELINE_RECENT_ROWS`). */
  readonly timelineRecentRows?: number;
}

export const EMBEDDED_DB_FILE = 'lineage.db';

/**
 * The page size of a new store file, 16 KiB (SQLite's default is 4). A store grows by events in
 * time order, so the rows one question reads (a leaver's NHIs, their edges and credentials) lie
 * scattered over the file; larger pages hold more of them, and fewer pages are read for an
 * answer. `orphanedBy` answered 22% faster, at the median and at p99, on a P = 10,000 store
 * ingested with 16 KiB pages than on one with 4 (docs/benchmarks.md), and the ingest took no
 * longer. A file keeps the page size it was created with: SQLite takes a new one only before the
 * first table is written, and never in WAL mode (`compact` rewrites a file into new pages).
 */
export const NEW_STORE_PAGE_SIZE = 16_384;

/** The WAL is copied into the database each time it passes this size, whatever the page size. */
const WAL_CHECKPOINT_BYTES = 64 * 1024 * 1024;

/** The page cache while `compact` rewrites the file, in KiB. */
const COMPACT_CACHE_KIB = 64 * 1024;

/**
 * How a connection to the store runs: in WAL mode, its page cache of `cacheKib`, temporary tables
 * in memory, and a checkpoint each time the WAL passes 64 MiB rather than every 1,000 pages (a page
 * rewritten by successive ingest batches is copied into the database once). `open` sets it up and
 * `compact` puts it back after its rewrite.
 */
function useStoreSettings(db: Database.Database, cacheKib: number): void {
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed transaction survives a process crash (SIGKILL); only an OS crash may lose the last ones.
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = -${cacheKib}`);
  db.pragma('temp_store = MEMORY');
  db.pragma('busy_timeout = 5000');
  db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_BYTES / (db.pragma('page_size', { simple: true }) as number)}`);
}

/** The store file's page size and size in bytes (its WAL aside). */
export interface StoreFileFacts {
  readonly pageSize: number;
  readonly bytes: number;
}

/** What `compact` did: the file before and after, and how long it took. */
export interface CompactReport {
  readonly before: StoreFileFacts;
  readonly after: StoreFileFacts;
  readonly durationMs: number;
}

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

  private constructor(
    readonly db: Database.Database,
    private readonly cacheKib: number,
    timelineRecentRows?: number,
  ) {
    this.reader = new SqliteGraphReader(db);
    this.writer = new SqliteWriter(db, new SqliteDepartures(db, this.reader), timelineRecentRows);
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
    // Before anything writes the file's first page; an existing file keeps its own.
    db.pragma(`page_size = ${NEW_STORE_PAGE_SIZE}`);
    const cacheKib = (options.cacheMb ?? 128) * 1024;
    useStoreSettings(db, cacheKib);
    migrate(db);
    return new EmbeddedGraphStore(db, cacheKib, options.timelineRecentRows);
  }

  /**
   * Rewrite the file with `VACUUM`: every B-tree packed in key order, in pages of
   * `NEW_STORE_PAGE_SIZE` (how a store made by an older release, with 4 KiB pages, takes them).
   * Nothing is deleted from a store, so it mostly reorders. It needs the file to itself: leaving
   * WAL mode, which a new page size requires, fails while another connection has it open, and
   * that is answered as a CONFLICT before anything is changed. In rollback-journal mode a crash
   * during the rewrite leaves the file as it was. The copy is built in a temporary file (SQLite's
   * temporary directory), then written back under a journal: free disk of about twice the file.
   */
  compact(): CompactReport {
    const before = this.fileFacts();
    const started = performance.now();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    try {
      this.db.pragma('journal_mode = DELETE');
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY')) {
        throw new DomainError('CONFLICT', 'the store is open in another process (a server, an ingest): stop it, then compact');
      }
      throw error;
    }
    try {
      this.db.pragma(`page_size = ${NEW_STORE_PAGE_SIZE}`);
      // VACUUM builds its copy in temporary storage: a file, not this process's memory. The copy
      // gets a page cache as large as the store's: with 512 MiB the rewrite of a 2 GB store peaked
      // at 2.5 GB resident, with 64 MiB at 0.4 GB, and it was no slower.
      this.db.pragma('temp_store = FILE');
      this.db.pragma(`cache_size = ${-COMPACT_CACHE_KIB}`);
      this.db.exec('VACUUM');
    } finally {
      useStoreSettings(this.db, this.cacheKib);
    }
    return { before, after: this.fileFacts(), durationMs: Math.round(performance.now() - started) };
  }

  private fileFacts(): StoreFileFacts {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    return { pageSize, bytes: pageSize * pages };
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

  async completeFollowUps(keys: readonly string[]): Promise<void> {
    this.ledger.completeFollowUps(keys);
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
