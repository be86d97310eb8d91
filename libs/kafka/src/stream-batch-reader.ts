import type { Readable } from 'node:stream';

/**
 * What the owner of a stream read with `readBatch` does once, when it opens it:
 *  - a listener on 'readable' for the stream's whole life keeps it in paused mode. Without one,
 *    Node puts the stream back to "not flowing, not paused" once `readBatch` stops waiting, and
 *    `@platformatic/kafka`'s MessagesStream does not fetch in that state: a fetch that completes
 *    while a batch is being applied leaves it waiting for a read that never starts another, and
 *    the consumer stops for good while its heartbeats carry on;
 *  - a listener on 'error': between two reads nobody else listens, and an unheard 'error' event
 *    would crash the process.
 */
export function holdPaused(stream: Readable, onError: (error: Error) => void): void {
  stream.on('readable', () => undefined);
  stream.on('error', onError);
}

/**
 * Reads batches from an object-mode stream in paused mode: whatever the stream has buffered, up
 * to `max` items, waiting only when nothing is buffered. Reading in paused mode is what gives
 * backpressure: while a batch is being applied nothing is read, the stream's buffer fills to its
 * high-water mark and the client stops fetching.
 *
 * Resolves null when the stream ends or `signal` aborts the wait; rejects with the stream's error.
 * The stream must be held (`holdPaused`) for its whole life.
 */
export async function readBatch<T>(stream: Readable, max: number, signal: AbortSignal): Promise<T[] | null> {
  for (;;) {
    if (signal.aborted) return null;
    if (stream.errored) throw stream.errored;
    const batch: T[] = [];
    while (batch.length < max) {
      const item = stream.read() as T | null;
      if (item === null) break;
      batch.push(item);
    }
    if (batch.length > 0) return batch;
    if (stream.readableEnded || stream.destroyed) return null;
    await nextChange(stream, signal);
  }
}

/** Resolves at the stream's next 'readable', 'end' or 'close', or on abort; rejects on 'error'. */
function nextChange(stream: Readable, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanUp = (): void => {
      stream.off('readable', changed);
      stream.off('end', changed);
      stream.off('close', changed);
      stream.off('error', failed);
      signal.removeEventListener('abort', changed);
    };
    const changed = (): void => {
      cleanUp();
      resolve();
    };
    const failed = (error: Error): void => {
      cleanUp();
      reject(error);
    };
    stream.on('readable', changed);
    stream.on('end', changed);
    stream.on('close', changed);
    stream.on('error', failed);
    signal.addEventListener('abort', changed, { once: true });
  });
}
