import type { DeliveryRetry, EpochMs, OffboardingPlan, PlanDeliveryControl, PlanRepository } from '@lineage/domain';
import { toPlannedEvent } from './offboarding-planned-event';
import type { PlanChannel } from './plan-channel';
import { PlanRefused } from './plan-channel';

/**
 * The outbox's delivery side. A plan and one pending delivery per channel are stored together
 * (`PlanRepository.savePlan`); this worker sends what is due, channel by channel, and marks each
 * delivery delivered, or failed with the time of its next attempt (exponential backoff). The
 * outbox lives in the store, so a receiver that is down loses nothing and a restart resumes
 * where the last run stopped. Delivery is at least once: a crash between sending and marking
 * sends again, with the same CloudEvent id.
 */

export interface DeliveryPolicy {
  /** Delay before the first retry; doubled after every failed attempt, up to `maxDelayMs`. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Deliveries read per query. */
  readonly batchSize: number;
  /** How often the timer loop looks for due deliveries (retries, and what a previous run left). */
  readonly pollIntervalMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  batchSize: 100,
  pollIntervalMs: 1_000,
};

/** The delay before the next attempt, after `failedAttempts` failures (1 or more). */
export function retryDelay(policy: DeliveryPolicy, failedAttempts: number): number {
  return Math.min(policy.initialDelayMs * 2 ** Math.max(0, failedAttempts - 1), policy.maxDelayMs);
}

/** One plan delivered on one channel. `publishedAt` is when the channel accepted it. */
export interface PlanPublished {
  readonly plan: OffboardingPlan;
  readonly channel: string;
  readonly publishedAt: EpochMs;
  /** Attempts it took, this one included. */
  readonly attempts: number;
}

export type PublishedListener = (published: PlanPublished) => void;

/**
 * One attempt to deliver a plan on a channel and how it ended: delivered, failed (the channel is
 * down, most likely: it waits for the retry) or refused (`PlanRefused`: this plan waits for its
 * retry, the channel's next ones go on).
 */
export interface DeliveryAttempt {
  readonly plan: OffboardingPlan;
  readonly channel: string;
  readonly outcome: 'delivered' | 'failed' | 'refused';
  /** When it ended; for a delivered plan, when the channel accepted it. */
  readonly at: EpochMs;
  /** Attempts made on this delivery, this one included. */
  readonly attempts: number;
}

export type AttemptListener = (attempt: DeliveryAttempt) => void;

export interface DeliveryReport {
  readonly delivered: number;
  readonly failed: number;
}

export type DeliveryLog = (
  level: 'warn' | 'error',
  message: string,
  fields: Readonly<Record<string, string | number>>,
) => void;

type DeliveryStore = Pick<PlanRepository, 'pendingDeliveries' | 'markDelivered' | 'markDeliveryFailed' | 'retryDeliveriesNow'>;

export class PlanDeliveryWorker implements PlanDeliveryControl {
  private readonly listeners: AttemptListener[] = [];
  /** Runs one after another: a run never overlaps another, so nothing is sent twice by one process. */
  private chain: Promise<unknown> = Promise.resolve();
  /** A run requested but not started yet: further requests join it. */
  private queued: Promise<void> | null = null;
  /** A channel that just failed is left alone until then, so a receiver that is down is not hammered. */
  private readonly pausedUntil = new Map<string, EpochMs>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: DeliveryStore,
    private readonly channels: readonly PlanChannel[],
    private readonly policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
    private readonly clock: () => EpochMs = Date.now,
    private readonly log: DeliveryLog = () => undefined,
  ) {}

  get channelNames(): string[] {
    return this.channels.map((channel) => channel.name);
  }

  /** Called after every delivery attempt, whatever its outcome (once the store has recorded it). */
  onAttempt(listener: AttemptListener): void {
    this.listeners.push(listener);
  }

  /** Called once per plan and channel when the channel accepted it. */
  onPublished(listener: PublishedListener): void {
    this.onAttempt(({ plan, channel, outcome, at, attempts }) => {
      if (outcome === 'delivered') listener({ plan, channel, publishedAt: at, attempts });
    });
  }

  /** Start the timer loop (and deliver what is due now: what a previous process left behind). */
  start(): void {
    if (this.timer || this.channels.length === 0) return;
    void this.kick();
    this.timer = setInterval(() => void this.kick(), this.policy.pollIntervalMs);
    // The loop alone must not keep a process alive (a CLI run ends when its work does).
    this.timer.unref();
  }

  /** Stop the loop and wait for the run in flight. Pending deliveries stay in the store for the next start. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
  }

  /** Deliver what is due now, soon: joins a run that has not started yet. Never rejects. */
  kick(): Promise<void> {
    this.queued ??= this.exclusive(async () => {
      this.queued = null;
      await this.deliverDueNow(this.clock());
    }).catch((error: unknown) => {
      this.log('error', 'plan delivery run failed', { error: message(error) });
    });
    return this.queued;
  }

  /**
   * An operator's retry, once a receiver is back: each channel's waiting deliveries become due now
   * and the channel is no longer paused, then a run starts. Between runs, so it never races one.
   * Resolves with what was rescheduled; the run's outcome shows in the outbox as usual.
   */
  async retryNow(channels: readonly string[]): Promise<DeliveryRetry[]> {
    const retries = await this.exclusive(async () => {
      const now = this.clock();
      const done: DeliveryRetry[] = [];
      for (const channel of channels) {
        done.push({ channel, rescheduled: await this.store.retryDeliveriesNow(channel, now) });
        this.pausedUntil.delete(channel);
      }
      return done;
    });
    void this.kick();
    return retries;
  }

  /** One run over every channel, as if the time were `now` (after the runs already queued). */
  deliverDue(now: EpochMs = this.clock()): Promise<DeliveryReport> {
    return this.exclusive(() => this.deliverDueNow(now));
  }

  /** Resolves when every run requested so far has finished. */
  async idle(): Promise<void> {
    await this.chain;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async deliverDueNow(now: EpochMs): Promise<DeliveryReport> {
    let delivered = 0;
    let failed = 0;
    for (const channel of this.channels) {
      if ((this.pausedUntil.get(channel.name) ?? -Infinity) > now) continue;
      this.pausedUntil.delete(channel.name);
      for (;;) {
        const due = await this.store.pendingDeliveries(channel.name, now, this.policy.batchSize);
        let stop = false;
        for (const delivery of due) {
          const attempts = delivery.attempts + 1;
          const attempt = { plan: delivery.plan, channel: channel.name, attempts };
          try {
            await channel.deliver(toPlannedEvent(delivery.plan));
          } catch (error) {
            const retryAt = now + retryDelay(this.policy, attempts);
            await this.store.markDeliveryFailed(delivery.deliveryId, message(error), retryAt);
            const refused = error instanceof PlanRefused;
            this.log(refused ? 'error' : 'warn', refused ? 'plan refused by the channel; will retry' : 'plan delivery failed; will retry', {
              channel: channel.name,
              triggeredBy: delivery.plan.triggeredBy,
              attempts,
              retryAt: new Date(retryAt).toISOString(),
              error: message(error),
            });
            this.notify({ ...attempt, outcome: refused ? 'refused' : 'failed', at: this.clock() });
            failed++;
            // A plan the channel refuses must not hold back the others: the next one goes now.
            if (refused) continue;
            // The channel is down, most likely: the rest of its deliveries wait for the retry.
            this.pausedUntil.set(channel.name, retryAt);
            stop = true;
            break;
          }
          const publishedAt = this.clock();
          await this.store.markDelivered(delivery.deliveryId, publishedAt);
          delivered++;
          this.notify({ ...attempt, outcome: 'delivered', at: publishedAt });
        }
        if (stop || due.length < this.policy.batchSize) break;
      }
    }
    return { delivered, failed };
  }

  private notify(attempt: DeliveryAttempt): void {
    for (const listener of this.listeners) {
      try {
        listener(attempt);
      } catch (error) {
        this.log('error', 'a plan-delivery listener failed', { error: message(error) });
      }
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
