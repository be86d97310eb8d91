import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Writes a (lazy) sequence of values as NDJSON, one JSON document per line, honouring the
 * stream's backpressure: lines are gathered into chunks of about `chunkBytes` and, when the
 * stream says it is full, writing waits for `drain`. Memory stays at one chunk, whatever the
 * number of values. Resolves with the iterator's return value (the generator's summary); the
 * stream is left open, for the caller to end.
 */
export async function writeNdjson<R>(values: Iterator<unknown, R>, out: Writable, chunkBytes = 1 << 16): Promise<R> {
  let chunk = '';
  for (;;) {
    const step = values.next();
    if (step.done) {
      if (chunk.length > 0) await write(out, chunk);
      return step.value;
    }
    chunk += `${JSON.stringify(step.value)}\n`;
    if (chunk.length >= chunkBytes) {
      await write(out, chunk);
      chunk = '';
    }
  }
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (out.errored) throw out.errored;
  if (out.destroyed || out.writableEnded) throw new Error('writeNdjson: the output stream is closed');
  // `once` rejects if the stream errors while we wait.
  if (!out.write(chunk)) await once(out, 'drain');
}
