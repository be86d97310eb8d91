import { Writable } from 'node:stream';
import { writeNdjson } from './ndjson-writer';

/** A slow sink: accepts a chunk, then takes a turn of the event loop before asking for more. */
class SlowSink extends Writable {
  readonly chunks: string[] = [];
  drains = 0;

  constructor(highWaterMark: number) {
    super({ highWaterMark, decodeStrings: false });
    this.on('drain', () => this.drains++);
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(String(chunk));
    setImmediate(callback);
  }
}

function* numbered(count: number): Generator<{ n: number; label: string }, string, undefined> {
  for (let n = 0; n < count; n++) yield { n, label: `item ${n}` };
  return `done after ${count}`;
}

describe('writeNdjson', () => {
  it('writes one JSON document per line and resolves with the generator’s return value', async () => {
    const sink = new SlowSink(1 << 20);
    const result = await writeNdjson(numbered(3), sink);

    expect(result).toBe('done after 3');
    expect(sink.chunks.join('')).toBe('{"n":0,"label":"item 0"}\n{"n":1,"label":"item 1"}\n{"n":2,"label":"item 2"}\n');
  });

  it('waits for drain when the stream is full, losing and reordering nothing', async () => {
    const sink = new SlowSink(64);
    await writeNdjson(numbered(2000), sink, 256);

    const lines = sink.chunks.join('').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => (JSON.parse(line) as { n: number }).n)).toEqual(
      Array.from({ length: 2000 }, (_, n) => n),
    );
    // The sink filled up and the writer waited for it, many times over.
    expect(sink.drains).toBeGreaterThan(10);
    expect(sink.writableLength).toBe(0);
  });

  it('pulls values only as fast as the stream takes them', async () => {
    const sink = new SlowSink(64);
    let pulled = 0;
    function* counting(): Generator<number, void, undefined> {
      for (let n = 0; n < 1000; n++) {
        pulled++;
        yield n;
      }
    }
    const writing = writeNdjson(counting(), sink, 128);
    // One synchronous burst fills the first chunk and the sink, then the writer waits.
    expect(pulled).toBeLessThan(100);
    await writing;
    expect(pulled).toBe(1000);
  });

  it('rejects when the stream fails', async () => {
    const failing = new Writable({
      highWaterMark: 16,
      write(_chunk, _encoding, callback) {
        callback(new Error('disk full'));
      },
    });
    failing.on('error', () => undefined);
    await expect(writeNdjson(numbered(10_000), failing, 64)).rejects.toThrow('disk full');
  });
});
