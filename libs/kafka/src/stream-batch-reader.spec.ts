import { Readable } from 'node:stream';
import { holdPaused, readBatch } from './stream-batch-reader';

/** An object-mode stream the test feeds by hand, as the Kafka client's stream is fed by fetches. */
function handFedStream(): Readable {
  const stream = new Readable({ objectMode: true, highWaterMark: 100, read: () => undefined });
  stream.on('error', () => undefined);
  return stream;
}

const live = () => new AbortController().signal;

/**
 * A stream that fetches as `@platformatic/kafka`'s MessagesStream does: each `_read` starts one
 * asynchronous fetch, and none starts while nobody listens (`readableFlowing` null), in which
 * case, as there, `_read` returns without pushing and the stream waits for a push that never comes.
 */
class FetchingStream extends Readable {
  private next = 0;

  constructor(private readonly total: number) {
    super({ objectMode: true, highWaterMark: 10 });
  }

  override _read(): void {
    if (this.readableFlowing === null) return;
    setImmediate(() => {
      for (let i = 0; i < 10 && this.next < this.total; i++) this.push(this.next++);
    });
  }
}

describe('readBatch', () => {
  it('returns what is buffered, at most max items, in order', async () => {
    const stream = handFedStream();
    for (const n of [1, 2, 3, 4, 5]) stream.push(n);

    expect(await readBatch<number>(stream, 3, live())).toEqual([1, 2, 3]);
    expect(await readBatch<number>(stream, 3, live())).toEqual([4, 5]);
  });

  it('waits when nothing is buffered and wakes with the next items', async () => {
    const stream = handFedStream();
    const pending = readBatch<string>(stream, 10, live());
    setImmediate(() => {
      stream.push('a');
      stream.push('b');
    });
    expect(await pending).toEqual(['a', 'b']);
  });

  it('resolves null once the stream has ended and everything was read', async () => {
    const stream = handFedStream();
    stream.push('last');
    stream.push(null);
    expect(await readBatch<string>(stream, 10, live())).toEqual(['last']);
    expect(await readBatch<string>(stream, 10, live())).toBeNull();
  });

  it('resolves null when shutdown aborts the wait, and reads nothing more after it', async () => {
    const stream = handFedStream();
    const shutdown = new AbortController();
    const pending = readBatch<number>(stream, 10, shutdown.signal);
    shutdown.abort();
    expect(await pending).toBeNull();
    stream.push(1);
    expect(await readBatch<number>(stream, 10, shutdown.signal)).toBeNull();
  });

  it('rejects with the error that destroyed the stream, while waiting or at the next read', async () => {
    const stream = handFedStream();
    const pending = readBatch<number>(stream, 10, live());
    stream.destroy(new Error('connection reset'));
    await expect(pending).rejects.toThrow('connection reset');
    await expect(readBatch<number>(stream, 10, live())).rejects.toThrow('connection reset');
  });

  it('keeps a held stream fetching while batches are applied, losing and repeating nothing', async () => {
    const stream = new FetchingStream(200);
    holdPaused(stream, () => undefined);
    // Give up after a while rather than hang: a stream that stopped fetching answers null.
    const guard = AbortSignal.timeout(2_000);
    const read: number[] = [];
    while (read.length < 200) {
      const batch = await readBatch<number>(stream, 25, guard);
      if (batch === null) break;
      read.push(...batch);
      // The store transaction: the client's fetches complete meanwhile, with no read waiting.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(read).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('hands the stream\'s error to the holder, so an error between two reads never goes unheard', () => {
    const stream = new FetchingStream(0);
    const heard: string[] = [];
    holdPaused(stream, (error) => heard.push(error.message));
    stream.destroy(new Error('broker gone'));
    return new Promise<void>((resolve) => setImmediate(() => {
      expect(heard).toEqual(['broker gone']);
      resolve();
    }));
  });
});
