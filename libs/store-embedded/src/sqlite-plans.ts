import type Database from 'better-sqlite3';
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

interface PlanRow {
  trigger_source: string;
  triggered_by: string;
  subject_id: string;
  subject_kind: string;
  trigger_type: string;
  effective_at: number;
  created_at: number;
  superseded_at: number | null;
  actions: string;
  seq: number;
}

const PLAN_COLUMNS = 'trigger_source, triggered_by, subject_id, subject_kind, trigger_type, effective_at, created_at, superseded_at, actions, seq';

/** A plan (`p`) with a delivery not made yet, through `plan_deliveries_by_plan`. */
const UNDELIVERED = `EXISTS (
  SELECT 1 FROM plan_deliveries d
  WHERE d.trigger_source = p.trigger_source AND d.triggered_by = p.triggered_by AND d.delivered_at IS NULL)`;

interface DeliveryRow {
  triggerSource: string;
  triggeredBy: string;
  channel: string;
  attempts: number;
  deliveredAt: number | null;
  nextAttemptAt: number;
  lastError: string | null;
}

function toPlan(row: PlanRow): OffboardingPlan {
  return {
    subjectId: row.subject_id,
    subjectKind: row.subject_kind as OffboardingPlan['subjectKind'],
    triggeredBy: row.triggered_by,
    triggerSource: row.trigger_source,
    triggerType: row.trigger_type,
    effectiveAt: row.effective_at,
    createdAt: row.created_at,
    supersededAt: row.superseded_at,
    actions: JSON.parse(row.actions) as OffboardingAction[],
  };
}

/** Offboarding plans and their outbox on the embedded store: a plan and its deliveries commit together. */
export class SqlitePlans {
  private readonly insertPlan: Database.Statement;
  private readonly insertDelivery: Database.Statement;
  private readonly latest: Database.Statement;
  private readonly page: Database.Statement;
  private readonly count: Database.Statement;
  private readonly undeliveredPage: Database.Statement;
  private readonly undeliveredCount: Database.Statement;
  private readonly deliveries: Database.Statement;
  private readonly pending: Database.Statement;
  private readonly outbox: Database.Statement;
  private readonly delivered: Database.Statement;
  private readonly failed: Database.Statement;
  private readonly retryNow: Database.Statement;
  private readonly supersede: Database.Statement;
  private readonly save: Database.Transaction<(plan: OffboardingPlan, channels: readonly string[]) => boolean>;

  constructor(db: Database.Database) {
    this.insertPlan = db.prepare(`
      INSERT OR IGNORE INTO offboarding_plans (${PLAN_COLUMNS})
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM offboarding_plans))`);
    this.insertDelivery = db.prepare(
      'INSERT INTO plan_deliveries (trigger_source, triggered_by, channel, next_attempt_at) VALUES (?, ?, ?, ?)',
    );
    this.latest = db.prepare(`SELECT ${PLAN_COLUMNS} FROM offboarding_plans WHERE subject_id = ? ORDER BY effective_at DESC, seq DESC LIMIT 1`);
    this.page = db.prepare(`SELECT ${PLAN_COLUMNS} FROM offboarding_plans WHERE seq < ? ORDER BY seq DESC LIMIT ?`);
    this.count = db.prepare('SELECT count(*) AS n FROM offboarding_plans');
    this.undeliveredPage = db.prepare(`SELECT ${PLAN_COLUMNS} FROM offboarding_plans p WHERE seq < ? AND ${UNDELIVERED} ORDER BY seq DESC LIMIT ?`);
    this.undeliveredCount = db.prepare(`SELECT count(*) AS n FROM offboarding_plans p WHERE ${UNDELIVERED}`);
    this.deliveries = db.prepare(`
      SELECT d.trigger_source AS triggerSource, d.triggered_by AS triggeredBy, d.channel AS channel, d.attempts AS attempts,
             d.delivered_at AS deliveredAt, d.next_attempt_at AS nextAttemptAt, d.last_error AS lastError
      FROM json_each(?) k CROSS JOIN plan_deliveries d
        ON d.trigger_source = json_extract(k.value, '$[0]') AND d.triggered_by = json_extract(k.value, '$[1]')
      ORDER BY d.trigger_source, d.triggered_by, d.channel`);
    this.pending = db.prepare(`
      SELECT d.id AS deliveryId, d.channel AS channel, d.attempts AS attempts, ${PLAN_COLUMNS.split(', ').map((c) => `p.${c}`).join(', ')}
      FROM plan_deliveries d JOIN offboarding_plans p ON p.trigger_source = d.trigger_source AND p.triggered_by = d.triggered_by
      WHERE d.channel = ? AND d.delivered_at IS NULL AND d.next_attempt_at <= ?
      ORDER BY d.id LIMIT ?`);
    this.outbox = db.prepare(`
      SELECT d.channel AS channel, count(*) AS pending, sum(d.attempts > 0) AS retrying, min(p.created_at) AS oldestCreatedAt
      FROM plan_deliveries d JOIN offboarding_plans p ON p.trigger_source = d.trigger_source AND p.triggered_by = d.triggered_by
      WHERE d.delivered_at IS NULL
      GROUP BY d.channel ORDER BY d.channel`);
    this.delivered = db.prepare('UPDATE plan_deliveries SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?');
    this.failed = db.prepare('UPDATE plan_deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?');
    // A range of plan_deliveries_pending: the channel's undelivered deliveries due after now.
    this.retryNow = db.prepare(
      'UPDATE plan_deliveries SET next_attempt_at = @now WHERE channel = @channel AND delivered_at IS NULL AND next_attempt_at > @now',
    );
    this.supersede = db.prepare(
      'UPDATE offboarding_plans SET superseded_at = ? WHERE subject_id = ? AND superseded_at IS NULL AND effective_at < ?',
    );
    this.save = db.transaction((plan: OffboardingPlan, channels: readonly string[]) => {
      const inserted =
        this.insertPlan.run(
          plan.triggerSource,
          plan.triggeredBy,
          plan.subjectId,
          plan.subjectKind,
          plan.triggerType,
          plan.effectiveAt,
          plan.createdAt,
          plan.supersededAt,
          JSON.stringify(plan.actions),
        ).changes === 1;
      if (inserted) for (const channel of channels) this.insertDelivery.run(plan.triggerSource, plan.triggeredBy, channel, plan.createdAt);
      return inserted;
    });
  }

  savePlan(plan: OffboardingPlan, channels: readonly string[]): boolean {
    return this.save.immediate(plan, channels);
  }

  /** A person who joined again at `at` supersedes their open plans from before. */
  supersedePlans(subjectId: string, at: EpochMs): number {
    return this.supersede.run(at, subjectId, at).changes;
  }

  latestPlan(subjectId: string): OffboardingPlan | null {
    const row = this.latest.get(subjectId) as PlanRow | undefined;
    return row ? toPlan(row) : null;
  }

  listPlans(page: PageRequest, filter: PlanFilter = {}): Page<OffboardingPlan> {
    const before = page.after ? Number(decodeCursor(page.after, 1)[0]) : Number.MAX_SAFE_INTEGER;
    const [rowsOf, countOf] = filter.undelivered ? [this.undeliveredPage, this.undeliveredCount] : [this.page, this.count];
    const rows = rowsOf.all(before, page.first + 1) as PlanRow[];
    return mapPage(pageOf(rows, page.first, (row) => [row.seq], (countOf.get() as { n: number }).n), toPlan);
  }

  planDeliveries(plans: readonly PlanKey[]): PlanDeliveryState[] {
    if (plans.length === 0) return [];
    const keys = JSON.stringify(distinctPlanKeys(plans).map((plan) => [plan.triggerSource, plan.triggeredBy]));
    return (this.deliveries.all(keys) as DeliveryRow[]).map((row) => ({
      ...row,
      nextAttemptAt: row.deliveredAt === null ? row.nextAttemptAt : null,
    }));
  }

  pendingDeliveries(channel: string, now: EpochMs, limit: number): PendingDelivery[] {
    return (this.pending.all(channel, now, limit) as (PlanRow & { deliveryId: number; channel: string; attempts: number })[]).map((row) => ({
      deliveryId: row.deliveryId,
      channel: row.channel,
      attempts: row.attempts,
      plan: toPlan(row),
    }));
  }

  deliveryOutbox(): OutboxChannel[] {
    return this.outbox.all() as OutboxChannel[];
  }

  markDelivered(deliveryId: number, at: EpochMs): void {
    this.delivered.run(at, deliveryId);
  }

  markDeliveryFailed(deliveryId: number, error: string, retryAt: EpochMs): void {
    this.failed.run(error, retryAt, deliveryId);
  }

  retryDeliveriesNow(channel: string, now: EpochMs): number {
    return this.retryNow.run({ channel, now }).changes;
  }
}
