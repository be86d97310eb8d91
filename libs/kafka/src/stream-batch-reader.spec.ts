import { Readable } from 'node:stream';
import { readBatch } from './stream-batch-reader';

/** An object-mode stream the test feeds by hand, as the Kafka client's stream is fed by fetches. */
function handFedStream(): Readable {
  const stream = new Readable({ objectMode: true, highWaterMark: 100, read: () => undefined });
  stream.on('error', () => undefined);
  return stream;
}

const live = () => new AbortController().signal;

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
});
