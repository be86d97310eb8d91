import type { BeforeApplicationShutdown, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type {
  EpochMs,
  GraphStore,
  OffboardingPlan,
  OffboardingPolicy,
  OffboardingTrigger,
} from '@lineage/domain';
import { GRAPH_STORE, planOffboarding } from '@lineage/domain';
import { LineageConfig } from '@lineage/config';
import { KAFKA_CHANNEL_NAME } from '@lineage/kafka';
import { IngestionPipeline } from '@lineage/pipeline';
import { PLAN_FOLLOW_UP, SUPERSEDE_FOLLOW_UP, offboardingFollowUps } from './offboarding-triggers';
import type { AttemptListener, DeliveryPolicy, PublishedListener } from './plan-delivery-worker';
import { DEFAULT_DELIVERY_POLICY, PlanDeliveryWorker } from './plan-delivery-worker';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, WEBHOOK_CHANNEL_NAME } from './webhook-plan-channel';

/**
 * The channels a plan is queued for: what the configuration names, not what this process has
 * loaded. A process without a channel (the CLI has no Kafka producer) leaves those deliveries in
 * the outbox for one that has it (the server or the ingestor).
 */
export function configuredPlanChannels(config: LineageConfig): string[] {
  return [...(config.KAFKA_BROKERS ? [KAFKA_CHANNEL_NAME] : []), ...(config.LINEAGE_WEBHOOK_URL ? [WEBHOOK_CHANNEL_NAME] : [])];
}

/** How many follow-ups one store read fetches. */
const FOLLOW_UP_PAGE = 100;

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

/** Told of each plan once stored, with the trigger it answers. */
export type PlannedListener = (plan: OffboardingPlan, trigger: OffboardingTrigger) => void;

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
export class OffboardingService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Offboarding');
  private readonly plannedListeners: PlannedListener[] = [];
  private readonly policy: OffboardingPolicy;
  private readonly options: OffboardingOptions;
  private readonly channelNames: string[];
  private draining: Promise<void> | null = null;
  private drainAgain = false;

  constructor(
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly pipeline: IngestionPipeline,
    private readonly worker: PlanDeliveryWorker,
    config: LineageConfig,
    @Optional() @Inject(OFFBOARDING_OPTIONS) options?: OffboardingOptions,
  ) {
    this.policy = { usageWindowDays: config.LINEAGE_USAGE_WINDOW_DAYS };
    this.channelNames = configuredPlanChannels(config);
    this.options = options ?? DEFAULT_OFFBOARDING_OPTIONS;
  }

  onModuleInit(): void {
    this.pipeline.addFollowUps((event) => offboardingFollowUps(event, this.options.clock));
    this.pipeline.onCommitted((events) => (events.some((e) => e.followUps?.length) ? this.onCommitted() : undefined));
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

  /** Called after every delivery attempt, whatever its outcome. */
  onAttempt(listener: AttemptListener): void {
    this.worker.onAttempt(listener);
  }

  /** Resolves when the deliveries requested so far have been attempted. */
  async deliveriesSettled(): Promise<void> {
    await this.worker.idle();
  }

  /**
   * After a commit, do the follow-ups it recorded: plans first, then supersessions, so that a
   * leave and a rejoin in one batch end with the plan superseded whatever their order in it. The
   * follow-ups come from the store, not from memory: what a crash interrupted is still there, and
   * start-up does it (`onApplicationBootstrap`). Runs never overlap; a call during a run makes
   * one more run after it.
   */
  async onCommitted(): Promise<void> {
    if (this.draining) {
      this.drainAgain = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.drainAgain = false;
          await this.drain();
        } while (this.drainAgain);
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.onCommitted();
  }

  private async drain(): Promise<void> {
    const saved = await this.each(PLAN_FOLLOW_UP, async (payload) => {
      const trigger = JSON.parse(payload) as OffboardingTrigger;
      return (await this.plan(trigger)) !== null;
    });
    await this.each(SUPERSEDE_FOLLOW_UP, async (payload) => {
      const rejoin = JSON.parse(payload) as { personId: string; at: number };
      const superseded = await this.store.supersedePlans(rejoin.personId, rejoin.at);
      if (superseded > 0) this.logger.log({ msg: 'offboarding plans superseded by a rejoin', subject: rejoin.personId, plans: superseded });
      return false;
    });
    if (saved > 0) void this.worker.kick();
  }

  /**
   * Do every pending follow-up of `kind` once; one that fails stays pending (logged loudly) and
   * is tried again on the next run. A page's finished follow-ups are removed together, after
   * it: a crash before that does them again, which the work allows (a trigger's plan is kept
   * once, a rejoin supersedes what is still current). Returns how many did something.
   */
  private async each(kind: string, work: (payload: string) => Promise<boolean>): Promise<number> {
    const failed = new Set<string>();
    const notDone = (keys: readonly string[], error: unknown) => {
      for (const key of keys) failed.add(key);
      this.logger.error({ msg: `offboarding follow-up not done; it stays pending`, kind, keys: keys.join(','), error: error instanceof Error ? error.message : String(error) });
    };
    let done = 0;
    for (;;) {
      const pending = (await this.store.pendingFollowUps(kind, FOLLOW_UP_PAGE + failed.size)).filter((f) => !failed.has(f.key));
      if (pending.length === 0) return done;
      const finished: string[] = [];
      for (const followUp of pending) {
        try {
          if (await work(followUp.payload)) done++;
          finished.push(followUp.key);
        } catch (error) {
          notDone([followUp.key], error);
        }
      }
      try {
        await this.store.completeFollowUps(finished);
      } catch (error) {
        notDone(finished, error);
      }
    }
  }

  /** Compute, store and queue the plan for one trigger. Null when the trigger already has a plan. */
  async plan(trigger: OffboardingTrigger): Promise<OffboardingPlan | null> {
    const context = await this.store.offboardingContext(trigger.subjectId, trigger.effectiveAt);
    const plan = planOffboarding(context, trigger, this.options.clock(), this.policy);
    if (!(await this.store.savePlan(plan, this.channelNames))) return null;
    this.logger.log({
      msg: 'offboarding plan stored',
      eventId: trigger.eventId,
      source: trigger.eventSource,
      subject: trigger.subjectId,
      actions: plan.actions.length,
      channels: this.channelNames.join(','),
    });
    for (const listener of this.plannedListeners) {
      try {
        listener(plan, trigger);
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
