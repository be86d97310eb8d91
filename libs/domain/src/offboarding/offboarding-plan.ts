import type { EpochMs, GraphNode, GraphRelationship } from '../model/graph-types';

export const OFFBOARDING_ACTIONS = ['REASSIGN', 'ROTATE', 'DISABLE', 'REVOKE'] as const;
export type OffboardingActionKind = (typeof OFFBOARDING_ACTIONS)[number];

export interface OffboardingAction {
  readonly targetId: string;
  readonly action: OffboardingActionKind;
  readonly reason: string;
  readonly suggestedOwnerId: string | null;
  readonly evidence: readonly string[];
}

export interface OffboardingPlan {
  /** The person or vendor who left. */
  readonly subjectId: string;
  readonly subjectKind: 'Person' | 'Vendor';
  /** The id of the triggering event; one plan per trigger. */
  readonly triggeredBy: string;
  readonly triggerSource: string;
  readonly triggerType: string;
  /** When the person left or the contract ended (event time). */
  readonly effectiveAt: EpochMs;
  readonly createdAt: EpochMs;
  readonly actions: readonly OffboardingAction[];
  /** Set when the person joined again: the plan no longer stands. */
  readonly supersededAt: EpochMs | null;
}

/**
 * What the offboarding rules read about a leaver, fetched by the store in a bounded number of
 * queries: the nodes and relationships around the leaver, with every interval, so the rules can
 * evaluate lineage as of the leaving time.
 */
export interface OffboardingContext {
  readonly subject: GraphNode;
  readonly nodes: readonly GraphNode[];
  readonly relationships: readonly GraphRelationship[];
  /** NHIs downstream of the subject: the ones it may have been accountable for. */
  readonly candidateNhiIds: readonly string[];
}

/** What starts a plan: a person who left (employee or contractor) or a vendor whose contract ended. */
export interface OffboardingTrigger {
  readonly subjectId: string;
  readonly subjectKind: 'Person' | 'Vendor';
  /** The triggering event's id and source: the plan's idempotency key. */
  readonly eventId: string;
  readonly eventSource: string;
  readonly eventType: string;
  /** When the person left or the contract ended (epoch ms): the plan is evaluated as of then. */
  readonly effectiveAt: EpochMs;
  /**
   * When the pipeline accepted the triggering event (epoch ms), for the plan's latency; absent
   * from the triggers an older release recorded.
   */
  readonly acceptedAt?: EpochMs;
}

export interface OffboardingPolicy {
  /** An NHI or credential used within this many days before the leaving time still does work. */
  readonly usageWindowDays: number;
}

// The planning rules live beside these types; the domain's index exports them through this file.
export * from './offboarding-planner';
