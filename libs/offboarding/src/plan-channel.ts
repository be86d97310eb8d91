import type { OffboardingPlan } from '@lineage/domain';

/** The CloudEvent this product publishes for a plan (`lineage.offboarding.planned`). */
export interface OffboardingPlannedEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: 'lineage.offboarding.planned';
  readonly time: string;
  readonly subject: string;
  readonly datacontenttype: 'application/json';
  readonly data: OffboardingPlan;
}

/**
 * Somewhere a plan is delivered: the Kafka topic `lineage.offboarding`, a webhook. Deliveries go
 * through the store's outbox, so a channel that is down loses nothing: `deliver` throwing means
 * "try again later". Throwing `PlanRefused` means the channel is up but refuses this plan.
 */
export interface PlanChannel {
  /** Stable name, stored with each pending delivery (`kafka`, `webhook`). */
  readonly name: string;
  deliver(event: OffboardingPlannedEvent): Promise<void>;
}

/** A channel's refusal of one plan (the channel itself is up): see `PlanChannel`. */
export { PlanRefused } from '@lineage/domain';

/** Injection token for the list of configured channels. */
export const PLAN_CHANNELS = 'PLAN_CHANNELS';
