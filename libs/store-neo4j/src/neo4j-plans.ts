import { randomUUID } from 'node:crypto';
import type {
  EpochMs,
  OffboardingAction,
  OffboardingPlan,
  OutboxChannel,
  Page,
  PageRequest,
  PendingDelivery,
  PlanDeliveryState,
  PlanFilter,
  PlanKey,
} from '@lineage/domain';
import { decodeCursor, distinctPlanKeys, mapPage, pageOf } from '@lineage/domain';
import type { Neo4jSessions } from './neo4j-session';
import { run } from './neo4j-session';
import { SEQUENCES, reserveSequence } from './neo4j-sequences';
import { StoredValueError, readNullableNumber, readNullableString, readNumber, readString } from './neo4j-values';

/**
 * Offboarding plans and their outbox. A plan is keyed by its trigger (source + event id): saving
 * it again writes nothing. A plan and its `:PlanDelivery` rows commit in one transaction, so a
 * relay that reads pending deliveries never misses a stored plan. Only a delivery still to make
 * has a `nextAttemptAt`: a range index holds only nodes that have every property it is on, so
 * `plan_delivery_pending` (channel, nextAttemptAt) holds the outbox and nothing delivered.
 */

/** Create the plan unless its trigger has one; the attempt's marker tells which happened (see RECORD_EVENTS). */
export const MERGE_PLAN = `
MERGE (p:OffboardingPlan {triggerSource: $plan.triggerSource, triggeredBy: $plan.triggeredBy})
ON CREATE SET p.subjectId = $plan.subjectId, p.subjectKind = $plan.subjectKind, p.triggerType = $plan.triggerType,
              p.effectiveAt = $plan.effectiveAt, p.createdAt = $plan.createdAt, p.supersededAt = $plan.supersededAt,
              p.actions = $plan.actions, p.writeMarker = $marker
WITH p, coalesce(p.writeMarker = $marker, false) AS created
FOREACH (ignored IN CASE WHEN created THEN [1] ELSE [] END | REMOVE p.writeMarker)
RETURN created`;

export const NUMBER_PLAN = `
MATCH (p:OffboardingPlan {triggerSource: $triggerSource, triggeredBy: $triggeredBy})
SET p.seq = $seq`;

export const CREATE_DELIVERIES = `
UNWIND $deliveries AS d
CREATE (:PlanDelivery {id: d.id, triggerSource: $triggerSource, triggeredBy: $triggeredBy, channel: d.channel,
                       attempts: 0, nextAttemptAt: $nextAttemptAt})`;

export const SUPERSEDE_PLANS = `
MATCH (p:OffboardingPlan {subjectId: $subjectId})
WHERE p.supersededAt IS NULL AND p.effectiveAt < $at
SET p.supersededAt = $at
RETURN count(p) AS n`;

export const LATEST_PLAN = `
MATCH (p:OffboardingPlan {subjectId: $subjectId})
RETURN p
ORDER BY p.effectiveAt DESC, p.seq DESC
LIMIT 1`;

/** Newest first: a page holds plans numbered below the cursor. */
export const PLAN_PAGE = `
MATCH (p:OffboardingPlan)
WHERE p.seq < $before
RETURN p
ORDER BY p.seq DESC
LIMIT $limit`;

export const COUNT_PLANS = 'MATCH (p:OffboardingPlan) RETURN count(p) AS n';

/** A plan (`p`) with a delivery not made yet. */
const UNDELIVERED = `EXISTS {
  MATCH (d:PlanDelivery {triggerSource: p.triggerSource, triggeredBy: p.triggeredBy})
  WHERE d.deliveredAt IS NULL
}`;

export const UNDELIVERED_PLAN_PAGE = `
MATCH (p:OffboardingPlan)
WHERE p.seq < $before AND ${UNDELIVERED}
RETURN p
ORDER BY p.seq DESC
LIMIT $limit`;

export const COUNT_UNDELIVERED_PLANS = `
MATCH (p:OffboardingPlan)
WHERE ${UNDELIVERED}
RETURN count(p) AS n`;

/** The deliveries of some plans, through `plan_delivery_plan` (V0004). */
export const PLAN_DELIVERIES = `
UNWIND $plans AS wanted
MATCH (d:PlanDelivery {triggerSource: wanted.triggerSource, triggeredBy: wanted.triggeredBy})
RETURN d.triggerSource AS triggerSource, d.triggeredBy AS triggeredBy, d.channel AS channel, d.attempts AS attempts,
       d.deliveredAt AS deliveredAt, d.nextAttemptAt AS nextAttemptAt, d.lastError AS lastError
ORDER BY triggerSource, triggeredBy, channel`;

export const PENDING_DELIVERIES = `
MATCH (d:PlanDelivery {channel: $channel})
WHERE d.deliveredAt IS NULL AND d.nextAttemptAt <= $now
MATCH (p:OffboardingPlan {triggerSource: d.triggerSource, triggeredBy: d.triggeredBy})
RETURN d.id AS deliveryId, d.channel AS channel, d.attempts AS attempts, p
ORDER BY deliveryId
LIMIT $limit`;

/** The undelivered deliveries per channel: a scan of `plan_delivery_pending`, which holds only those. */
export const DELIVERY_OUTBOX = `
MATCH (d:PlanDelivery)
WHERE d.channel IS NOT NULL AND d.nextAttemptAt IS NOT NULL AND d.deliveredAt IS NULL
MATCH (p:OffboardingPlan {triggerSource: d.triggerSource, triggeredBy: d.triggeredBy})
RETURN d.channel AS channel, count(d) AS pending, sum(CASE WHEN d.attempts > 0 THEN 1 ELSE 0 END) AS retrying,
       min(p.createdAt) AS oldestCreatedAt
ORDER BY channel`;

export const MARK_DELIVERED = `
MATCH (d:PlanDelivery {id: $id})
SET d.deliveredAt = $at, d.attempts = d.attempts + 1, d.lastError = null
REMOVE d.nextAttemptAt`;

export const MARK_DELIVERY_FAILED = `
MATCH (d:PlanDelivery {id: $id})
SET d.attempts = d.attempts + 1, d.lastError = $error, d.nextAttemptAt = $retryAt`;

/** A channel's undelivered deliveries due after `$now`, made due at it: a range of `plan_delivery_pending`. */
export const RETRY_DELIVERIES_NOW = `
MATCH (d:PlanDelivery {channel: $channel})
WHERE d.nextAttemptAt > $now AND d.deliveredAt IS NULL
SET d.nextAttemptAt = $now
RETURN count(d) AS n`;

const SUBJECT_KINDS = ['Person', 'Vendor'] as const;

/** A stored plan (`p` of the queries above) as the domain type. */
export function toPlan(value: unknown): OffboardingPlan {
  const props = nodeProperties(value, 'offboarding plan');
  const subjectKind = SUBJECT_KINDS.find((kind) => kind === props['subjectKind']);
  if (!subjectKind) throw new StoredValueError('plan subject kind', props['subjectKind']);
  let actions: unknown;
  try {
    actions = JSON.parse(readString(props['actions'], 'plan actions'));
  } catch {
    throw new StoredValueError('plan actions', props['actions']);
  }
  if (!Array.isArray(actions)) throw new StoredValueError('plan actions', actions);
  return {
    subjectId: readString(props['subjectId'], 'plan subject'),
    subjectKind,
    triggeredBy: readString(props['triggeredBy'], 'plan trigger'),
    triggerSource: readString(props['triggerSource'], 'plan trigger source'),
    triggerType: readString(props['triggerType'], 'plan trigger type'),
    effectiveAt: readNumber(props['effectiveAt'], 'plan effectiveAt'),
    createdAt: readNumber(props['createdAt'], 'plan createdAt'),
    supersededAt: readNullableNumber(props['supersededAt'], 'plan supersededAt'),
    actions: actions as OffboardingAction[],
  };
}

function nodeProperties(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || !('properties' in value)) throw new StoredValueError(what, value);
  return (value as { properties: Record<string, unknown> }).properties;
}

export class Neo4jPlans {
  constructor(private readonly sessions: Neo4jSessions) {}

  async savePlan(plan: OffboardingPlan, channels: readonly string[]): Promise<boolean> {
    return this.sessions.write(async (tx) => {
      const stored = {
        triggerSource: plan.triggerSource,
        triggeredBy: plan.triggeredBy,
        subjectId: plan.subjectId,
        subjectKind: plan.subjectKind,
        triggerType: plan.triggerType,
        effectiveAt: plan.effectiveAt,
        createdAt: plan.createdAt,
        supersededAt: plan.supersededAt,
        actions: JSON.stringify(plan.actions),
      };
      const records = await run(tx, MERGE_PLAN, { plan: stored, marker: randomUUID() });
      if (records[0]?.get('created') !== true) return false;
      const key = { triggerSource: plan.triggerSource, triggeredBy: plan.triggeredBy };
      // Numbers are taken only for a plan that was created, so the sequence has no gaps from duplicates.
      await run(tx, NUMBER_PLAN, { ...key, seq: await reserveSequence(tx, SEQUENCES.plan, 1) });
      if (channels.length > 0) {
        const first = await reserveSequence(tx, SEQUENCES.planDelivery, channels.length);
        await run(tx, CREATE_DELIVERIES, {
          ...key,
          nextAttemptAt: plan.createdAt,
          deliveries: channels.map((channel, i) => ({ id: first + i, channel })),
        });
      }
      return true;
    });
  }

  async supersedePlans(subjectId: string, at: EpochMs): Promise<number> {
    const records = await this.sessions.write((tx) => run(tx, SUPERSEDE_PLANS, { subjectId, at }));
    return readNumber(records[0]?.get('n'), 'superseded plans');
  }

  async latestPlan(subjectId: string): Promise<OffboardingPlan | null> {
    const records = await this.sessions.read((tx) => run(tx, LATEST_PLAN, { subjectId }));
    return records[0] ? toPlan(records[0].get('p')) : null;
  }

  async listPlans(page: PageRequest, filter: PlanFilter = {}): Promise<Page<OffboardingPlan>> {
    const before = page.after ? Number(decodeCursor(page.after, 1)[0]) : Number.MAX_SAFE_INTEGER;
    const [pageQuery, countQuery] = filter.undelivered ? [UNDELIVERED_PLAN_PAGE, COUNT_UNDELIVERED_PLANS] : [PLAN_PAGE, COUNT_PLANS];
    return this.sessions.read(async (tx) => {
      const records = await run(tx, pageQuery, { before, limit: page.first + 1 });
      const rows = records.map((record) => ({
        plan: toPlan(record.get('p')),
        seq: readNumber(nodeProperties(record.get('p'), 'offboarding plan')['seq'], 'plan seq'),
      }));
      const total = readNumber((await run(tx, countQuery))[0]?.get('n'), 'plan count');
      return mapPage(pageOf(rows, page.first, (row) => [row.seq], total), (row) => row.plan);
    });
  }

  async planDeliveries(plans: readonly PlanKey[]): Promise<PlanDeliveryState[]> {
    if (plans.length === 0) return [];
    const records = await this.sessions.read((tx) => run(tx, PLAN_DELIVERIES, { plans: distinctPlanKeys(plans) }));
    return records.map((record) => ({
      triggerSource: readString(record.get('triggerSource'), 'delivery trigger source'),
      triggeredBy: readString(record.get('triggeredBy'), 'delivery trigger'),
      channel: readString(record.get('channel'), 'delivery channel'),
      attempts: readNumber(record.get('attempts'), 'delivery attempts'),
      deliveredAt: readNullableNumber(record.get('deliveredAt'), 'delivery deliveredAt'),
      nextAttemptAt: readNullableNumber(record.get('nextAttemptAt'), 'delivery nextAttemptAt'),
      lastError: readNullableString(record.get('lastError'), 'delivery lastError'),
    }));
  }

  async pendingDeliveries(channel: string, now: EpochMs, limit: number): Promise<PendingDelivery[]> {
    const records = await this.sessions.read((tx) => run(tx, PENDING_DELIVERIES, { channel, now, limit }));
    return records.map((record) => ({
      deliveryId: readNumber(record.get('deliveryId'), 'delivery id'),
      channel: readString(record.get('channel'), 'delivery channel'),
      attempts: readNumber(record.get('attempts'), 'delivery attempts'),
      plan: toPlan(record.get('p')),
    }));
  }

  async deliveryOutbox(): Promise<OutboxChannel[]> {
    const records = await this.sessions.read((tx) => run(tx, DELIVERY_OUTBOX));
    return records.map((record) => ({
      channel: readString(record.get('channel'), 'delivery channel'),
      pending: readNumber(record.get('pending'), 'pending deliveries'),
      retrying: readNumber(record.get('retrying'), 'retrying deliveries'),
      oldestCreatedAt: readNumber(record.get('oldestCreatedAt'), 'plan createdAt'),
    }));
  }

  async markDelivered(deliveryId: number, at: EpochMs): Promise<void> {
    await this.sessions.write((tx) => run(tx, MARK_DELIVERED, { id: deliveryId, at }));
  }

  async markDeliveryFailed(deliveryId: number, error: string, retryAt: EpochMs): Promise<void> {
    await this.sessions.write((tx) => run(tx, MARK_DELIVERY_FAILED, { id: deliveryId, error, retryAt }));
  }

  async retryDeliveriesNow(channel: string, now: EpochMs): Promise<number> {
    const records = await this.sessions.write((tx) => run(tx, RETRY_DELIVERIES_NOW, { channel, now }));
    return readNumber(records[0]?.get('n'), 'rescheduled deliveries');
  }
}
