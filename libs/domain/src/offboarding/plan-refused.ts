/**
 * A delivery channel is up, but refuses this plan (too large for it, or rejected as it is): the plan is
 * tried again later, on its own backoff, and the channel's other plans go on meanwhile. Any other
 * error says the channel is down, and its other plans wait for the retry.
 */
export class PlanRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanRefused';
  }
}
