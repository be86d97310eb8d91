import type { BlastRadius } from '../blast/blast-radius';
import type { GraphFact } from '../facts/graph-fact';
import type { Lineage } from '../lineage/accountability';
import type { RelationKind } from '../model/graph-model';
import type { EpochMs, GraphNode, GraphRelationship, Page, PageRequest } from '../model/graph-types';
import type { Finding, FindingsQuery } from '../findings/finding';
import type { OffboardingContext, OffboardingPlan } from '../offboarding/offboarding-plan';

/**
 * The graph-store port, in the domain's terms. The embedded (SQLite) and Neo4j adapters
 * implement it; `tests/conformance/` runs the same cases against both. Traversals run inside
 * the store: no method's number of round trips grows with the size of the graph.
 */

/**
 * Work an accepted event asks for once it has committed (an offboarding plan). It is written in
 * the event's own transaction, so a crash between the commit and the work cannot lose it: what
 * is still pending at start-up is done then.
 */
export interface FollowUp {
  /** What kind of work (`offboarding.plan`); each kind has one consumer. */
  readonly kind: string;
  /** What the consumer needs, as JSON. */
  readonly payload: string;
}

export interface PendingFollowUp extends FollowUp {
  /** Stable: the kind, the event's source and id. */
  readonly key: string;
}

/** An event that passed validation, with the facts its transform produced. */
export interface AcceptedEvent {
  readonly source: string;
  readonly id: string;
  readonly type: string;
  readonly time: EpochMs;
  readonly subject: string | null;
  /** A one-line, secret-free description for timelines. */
  readonly summary: string;
  /** The entities whose timeline this event belongs on. */
  readonly entityIds: readonly string[];
  readonly facts: readonly GraphFact[];
  /** Recorded with the event when it is new (never for a duplicate). */
  readonly followUps?: readonly FollowUp[];
}

/** Input that could not be accepted, kept with its original bytes. */
export interface DeadLetter {
  readonly raw: Buffer;
  readonly reason: string;
  /** The field the reason names (`data.personId`), when one does. */
  readonly field: string | null;
  /** Where it came from: `http`, `file:<name>:<line>`, `kafka:<topic>/<partition>/<offset>`. */
  readonly origin: string;
  readonly source: string | null;
  readonly type: string | null;
  readonly receivedAt: EpochMs;
}

export interface IngestBatch {
  readonly events: readonly AcceptedEvent[];
  readonly deadLetters: readonly DeadLetter[];
  /** Written in the same transaction: where a resumable stream (a file) got to. */
  readonly checkpoint?: { readonly stream: string; readonly position: string };
}

export type EventOutcome = 'accepted' | 'duplicate';

export interface BatchOutcome {
  /** One per event of the batch, in order. */
  readonly outcomes: readonly EventOutcome[];
}

export interface TimelineEntry {
  readonly eventId: string;
  readonly source: string;
  readonly type: string;
  readonly time: EpochMs;
  readonly subject: string | null;
  readonly summary: string;
}

export interface SourceStatus {
  readonly source: string;
  readonly type: string;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly lastEventTime: EpochMs | null;
}

export interface IngestionStatus {
  readonly sources: readonly SourceStatus[];
  readonly deadLettered: number;
}

export interface DeadLetterRecord extends DeadLetter {
  readonly seq: number;
}

export interface OrphanedNhi {
  readonly lineage: Lineage;
  /** The NHI's credentials that are still active as of the question's time. */
  readonly credentials: readonly GraphNode[];
}

export interface Neighbour {
  readonly node: GraphNode;
  readonly relationship: GraphRelationship;
}

export interface NeighbourQuery {
  readonly id: string;
  readonly type: RelationKind;
  readonly direction: 'out' | 'in';
  readonly asOf: EpochMs;
  readonly page: PageRequest;
}

export interface BlastRadiusQuery {
  /** A credential or an NHI. */
  readonly rootId: string;
  readonly maxDepth: number;
  readonly asOf: EpochMs;
}

/** What the ingestion pipeline needs of a store. */
export interface BatchApplier {
  /** Apply a batch atomically: events not seen before (by source + id) apply, the rest are duplicates. */
  applyBatch(batch: IngestBatch): Promise<BatchOutcome>;
}

export interface GraphWriter extends BatchApplier {
  /** The last position written for a resumable stream. */
  checkpoint(stream: string): Promise<string | null>;
  /** Follow-ups of `kind` not done yet, oldest first. */
  pendingFollowUps(kind: string, limit: number): Promise<PendingFollowUp[]>;
  /** These follow-ups are done: they are removed, all in one transaction. */
  completeFollowUps(keys: readonly string[]): Promise<void>;
}

export interface GraphReader {
  getNode(id: string): Promise<GraphNode | null>;
  getNodes(ids: readonly string[]): Promise<GraphNode[]>;
  neighbours(query: NeighbourQuery): Promise<Page<Neighbour>>;
  lineage(id: string, asOf: EpochMs): Promise<Lineage | null>;
  orphanedBy(personId: string, asOf: EpochMs): Promise<OrphanedNhi[]>;
  /**
   * NHIs with no active accountable person (ORPHANED or UNOWNED), by id. Counting them means
   * resolving every NHI, so `totalCount` is computed only when `withTotal` asks for it (else -1).
   */
  orphans(asOf: EpochMs, page: PageRequest, options?: { withTotal?: boolean }): Promise<Page<Lineage>>;
  blastRadius(query: BlastRadiusQuery): Promise<BlastRadius | null>;
  timeline(entityId: string, from: EpochMs | null, to: EpochMs | null, page: PageRequest): Promise<Page<TimelineEntry>>;
}

export interface IngestionLedger {
  ingestionStatus(): Promise<IngestionStatus>;
  deadLetters(page: PageRequest): Promise<Page<DeadLetterRecord>>;
}

export interface FindingsReader {
  findings(query: FindingsQuery): Promise<Page<Finding>>;
}

/** Where plans and their pending deliveries live; a plan and its outbox rows commit together. */
export interface PlanRepository {
  /** Everything the offboarding rules need about a leaver or an ended vendor, as of `asOf`. */
  offboardingContext(subjectId: string, asOf: EpochMs): Promise<OffboardingContext | null>;
  /** Store a plan and queue its deliveries; false (and nothing written) when its trigger has a plan. */
  savePlan(plan: OffboardingPlan, channels: readonly string[]): Promise<boolean>;
  /** A person who joined again at `at` supersedes their plans from before it; returns how many. */
  supersedePlans(subjectId: string, at: EpochMs): Promise<number>;
  latestPlan(subjectId: string): Promise<OffboardingPlan | null>;
  /** Plans newest first (by the order they were stored); `undelivered` keeps those with a delivery still to make. */
  listPlans(page: PageRequest, filter?: PlanFilter): Promise<Page<OffboardingPlan>>;
  /** Where each of `plans`' deliveries stands, by plan (trigger source, then id) and channel. */
  planDeliveries(plans: readonly PlanKey[]): Promise<PlanDeliveryState[]>;
  pendingDeliveries(channel: string, now: EpochMs, limit: number): Promise<PendingDelivery[]>;
  markDelivered(deliveryId: number, at: EpochMs): Promise<void>;
  markDeliveryFailed(deliveryId: number, error: string, retryAt: EpochMs): Promise<void>;
  /** Make `channel`'s undelivered deliveries waiting for a later attempt due at `now`; returns how many. */
  retryDeliveriesNow(channel: string, now: EpochMs): Promise<number>;
  /** The deliveries not delivered yet, per channel that has any, in channel order: the outbox's depth, for monitoring. */
  deliveryOutbox(): Promise<OutboxChannel[]>;
}

/** A plan is known by its trigger: the event (source + id) that made it. */
export interface PlanKey {
  readonly triggerSource: string;
  readonly triggeredBy: string;
}

/** Each plan of `plans` once, as its key alone (a store reads deliveries by these). */
export function distinctPlanKeys(plans: readonly PlanKey[]): PlanKey[] {
  const keys = new Map(plans.map(({ triggerSource, triggeredBy }) => [JSON.stringify([triggerSource, triggeredBy]), { triggerSource, triggeredBy }]));
  return [...keys.values()];
}

export interface PlanFilter {
  /** Only plans with a delivery not made yet (waiting for its first attempt, or for a retry). */
  readonly undelivered?: boolean;
}

/** One plan's delivery on one channel, as the outbox has it. */
export interface PlanDeliveryState extends PlanKey {
  readonly channel: string;
  /** Attempts made so far, the successful one included. */
  readonly attempts: number;
  /** When the channel accepted it; null while it waits. */
  readonly deliveredAt: EpochMs | null;
  /** When it is tried next; null once delivered. */
  readonly nextAttemptAt: EpochMs | null;
  /** Why the last attempt failed (as the channel said it, never a secret); null once delivered or before any attempt. */
  readonly lastError: string | null;
}

/** One channel's undelivered plans. */
export interface OutboxChannel {
  readonly channel: string;
  /** Deliveries not delivered yet. */
  readonly pending: number;
  /** Of those, the ones with a failed (or refused) attempt behind them. */
  readonly retrying: number;
  /** When the oldest of their plans was stored. */
  readonly oldestCreatedAt: EpochMs;
}

export interface PendingDelivery {
  readonly deliveryId: number;
  readonly channel: string;
  readonly plan: OffboardingPlan;
  readonly attempts: number;
}

export const API_ROLES = ['analyst', 'responder', 'automation', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface ApiKeyRecord {
  /** Public id, part of the key string; the secret part is never stored. */
  readonly id: string;
  readonly role: ApiRole;
  readonly ownerId: string;
  /** scrypt hash of the secret part, with its salt and parameters. */
  readonly hash: string;
  readonly createdAt: EpochMs;
  readonly expiresAt: EpochMs;
  readonly revokedAt: EpochMs | null;
  readonly description: string | null;
}

export interface ApiKeyRepository {
  saveApiKey(key: ApiKeyRecord): Promise<void>;
  findApiKey(id: string): Promise<ApiKeyRecord | null>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  revokeApiKey(id: string, at: EpochMs): Promise<boolean>;
}

/** The key of an event's follow-up of one kind. */
export function followUpKey(kind: string, eventSource: string, eventId: string): string {
  return JSON.stringify([kind, eventSource, eventId]);
}

export interface GraphStore extends GraphWriter, GraphReader, IngestionLedger, FindingsReader, PlanRepository, ApiKeyRepository {
  readonly kind: 'embedded' | 'neo4j';
  close(): Promise<void>;
}

/** Injection token for the store (a string, so the domain stays free of framework types). */
export const GRAPH_STORE = 'GRAPH_STORE';

/** How many of a channel's waiting deliveries a retry made due now. */
export interface DeliveryRetry {
  readonly channel: string;
  readonly rescheduled: number;
}

/**
 * The outbox's delivery side, as an operator drives it: after a receiver that was down comes
 * back, its waiting deliveries go now instead of at their backed-off times.
 */
export interface PlanDeliveryControl {
  /** The configured channels, in delivery order. */
  readonly channelNames: readonly string[];
  /** Make the channels' waiting deliveries due now and start a delivery run; resolves once they are rescheduled, not delivered. */
  retryNow(channels: readonly string[]): Promise<DeliveryRetry[]>;
}

/** Injection token for the delivery control (provided where offboarding runs). */
export const PLAN_DELIVERY_CONTROL = 'PLAN_DELIVERY_CONTROL';
