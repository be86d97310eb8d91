/**
 * Exit codes: 0 done (rejected records included: they are dead-lettered and counted), 1 the work
 * failed (the store did not accept a batch), 2 bad usage (a bad option, a bad environment
 * variable, an unreadable input), 128 + signal number when interrupted after a graceful drain.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A mistake in what the user asked for; the message names the option or argument. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
