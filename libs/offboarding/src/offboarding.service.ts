import type { BeforeApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type {
  AcceptedEvent,
  EpochMs,
  GraphStore,
  OffboardingPlan,
  OffboardingPolicy,
  OffboardingTrigger,
} from '@lineage/domain';
import { GRAPH_STORE, planOffboarding } from '@lineage/domain';
import { LineageConfig } from '@lineage/config';
import { IngestionPipeline } from '@lineage/pipeline';
import { offboardingTriggerOf, rejoinOf } from './offboarding-triggers';
import type { DeliveryPolicy, PublishedListener } from './plan-delivery-worker';
import { DEFAULT_DELIVERY_POLICY, PlanDeliveryWorker } from './plan-delivery-worker';
import { DEFAULT_WEBHOOK_TIMEOUT_MS } from './webhook-plan-channel';

/** Injection token of `OffboardingOptions`: optional, defaults apply; a test or the bench provides it globally. */
export const OFFBOARDING_OPTIONS = 'OFFBOARDING_OPTIONS';

export interface OffboardingOptions {
  readonly delivery: DeliveryPolicy;
  readonly webhookTimeoutMs: number;
  /** Epoch ms now: when a plan is created, a delivery attempted, a retry due. */
  readonly clock: () => EpochMs;
}

export const DEFAULT_OFFBOARDING_OPTIONS: OffboardingOptions = {
  delivery: DEFAULT_DELIVERY_POLICY,
  webhookTimeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS,
  clock: () => Date.now(),
};

export type PlannedListener = (plan: OffboardingPlan) => void;

/**
 * Offboarding automation: for each accepted `hr.person.left` (employees and contractors alike)
 * and `vendor.contract.ended`, compute the plan as of the leaving time, store it with one pending
 * delivery per channel (one transaction; a trigger that already has a plan writes nothing), and
 * have the delivery worker send it at once. A person who joins again supersedes their open plans.
 * Plans are advisory: nothing here changes the graph or any system it describes.
 *
 * For the benchmark's "leaver accepted → plan published": `onPlanned` fires when a plan is
 * stored (and so served over GraphQL), `onPublished` when a channel accepted it.
 */
@Injectable()
export class OffboardingService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Offboarding');
  private readonly plannedListeners: PlannedListener[] = [];
  private readonly policy: OffboardingPolicy;
  private readonly options: OffboardingOptions;

  constructor(
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly pipeline: IngestionPipeline,
    private readonly worker: PlanDeliveryWorker,
    config: LineageConfig,
    @Optional() @Inject(OFFBOARDING_OPTIONS) options?: OffboardingOptions,
  ) {
    this.policy = { usageWindowDays: config.LINEAGE_USAGE_WINDOW_DAYS };
    this.options = options ?? DEFAULT_OFFBOARDING_OPTIONS;
  }

  onModuleInit(): void {
    this.pipeline.onCommitted((events) => this.onCommitted(events));
    this.worker.start();
  }

  /** Before the store closes (PipelineModule closes it at shutdown): stop the loop, let the run in flight finish. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  /** Called with each plan once it is stored (not for a redelivered trigger). */
  onPlanned(listener: PlannedListener): void {
    this.plannedListeners.push(listener);
  }

  /** Called once per plan and channel when the channel accepted it; `publishedAt` is when. */
  onPublished(listener: PublishedListener): void {
    this.worker.onPublished(listener);
  }

  /** Resolves when the deliveries requested so far have been attempted. */
  async deliveriesSettled(): Promise<void> {
    await this.worker.idle();
  }

  /**
   * The pipeline's commit listener. Plans first, then supersessions, so that a leave and a rejoin
   * in one batch end with the plan superseded whatever their order in it.
   */
  async onCommitted(events: readonly AcceptedEvent[]): Promise<void> {
    let saved = 0;
    for (const event of events) {
      const trigger = offboardingTriggerOf(event);
      if (!trigger) continue;
      try {
        if (await this.plan(trigger)) saved++;
      } catch (error) {
        this.reportFailure('offboarding plan not created', event, trigger.subjectId, error);
      }
    }
    for (const event of events) {
      const rejoin = rejoinOf(event);
      if (!rejoin) continue;
      try {
        const superseded = await this.store.supersedePlans(rejoin.personId, rejoin.at);
        if (superseded > 0)
          this.logger.log({
            msg: 'offboarding plans superseded by a rejoin',
            eventId: event.id,
            subject: rejoin.personId,
            plans: superseded,
          });
      } catch (error) {
        this.reportFailure('offboarding plans not superseded', event, rejoin.personId, error);
      }
    }
    if (saved > 0) void this.worker.kick();
  }

  /**
   * The event itself is committed by now: throwing would only make the transport redeliver it as
   * a duplicate, which plans nothing. So say loudly which event was not acted on (an operator can
   * call `plan` for it again) and go on with the others.
   */
  private reportFailure(msg: string, event: AcceptedEvent, subject: string, error: unknown): void {
    this.logger.error({
      msg,
      eventId: event.id,
      source: event.source,
      type: event.type,
      subject,
      error: error instanceof Error ? error.message : String(error),
    });
  }

  /** Compute, store and queue the plan for one trigger. Null when the trigger already has a plan. */
  async plan(trigger: OffboardingTrigger): Promise<OffboardingPlan | null> {
    const context = await this.store.offboardingContext(trigger.subjectId, trigger.effectiveAt);
    const plan = planOffboarding(context, trigger, this.options.clock(), this.policy);
    if (!(await this.store.savePlan(plan, this.worker.channelNames))) return null;
    this.logger.log({
      msg: 'offboarding plan stored',
      eventId: trigger.eventId,
      source: trigger.eventSource,
      subject: trigger.subjectId,
      actions: plan.actions.length,
      channels: this.worker.channelNames.join(','),
    });
    for (const listener of this.plannedListeners) {
      try {
        listener(plan);
      } catch (error) {
        this.logger.error({
          msg: 'a plan-stored listener failed',
          eventId: trigger.eventId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return plan;
  }
}
