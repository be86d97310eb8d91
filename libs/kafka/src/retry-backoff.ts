/**
 * Retrying a step until it succeeds, with capped exponential backoff. A Kafka consumer must
 * never skip a batch, so there is no attempt limit: only shutdown (the abort signal) ends the
 * loop, and then the step counts as not done (nothing is committed; the batch is redelivered).
 */

export interface Backoff {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialDelayMs: 200, maxDelayMs: 30_000 };

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** The delay before retry number `attempt` (1-based): initial × 2^(attempt-1), capped. */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  return Math.min(backoff.initialDelayMs * 2 ** Math.max(0, attempt - 1), backoff.maxDelayMs);
}

export class RetryAborted extends Error {
  constructor(readonly step: string) {
    super(`${step}: stopped before it succeeded (shutting down)`);
    this.name = 'RetryAborted';
  }
}

/**
 * Run `attempt` until it resolves. After each failure, `onFailure` hears about it and the loop
 * sleeps for the backoff delay. Throws `RetryAborted` when `signal` aborts before a success; an
 * attempt already running when shutdown begins is let finish.
 */
export async function retryUntilDone<T>(
  step: string,
  attempt: () => Promise<T>,
  options: {
    backoff: Backoff;
    signal: AbortSignal;
    sleep: Sleep;
    onFailure: (error: unknown, attempt: number, delayMs: number) => void;
  },
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (options.signal.aborted) throw new RetryAborted(step);
      const delay = backoffDelay(options.backoff, n);
      options.onFailure(error, n, delay);
      await options.sleep(delay, options.signal);
      if (options.signal.aborted) throw new RetryAborted(step);
    }
  }
}
