import { splitLines } from './line-splitter';

async function* chunksOf(data: Buffer, sizes: readonly number[]): AsyncGenerator<Buffer> {
  let at = 0;
  let i = 0;
  while (at < data.length) {
    const size = sizes[i++ % sizes.length]!;
    yield data.subarray(at, at + size);
    at += size;
  }
}

async function collect(data: Buffer, sizes: readonly number[], options = {}) {
  const lines = [];
  for await (const line of splitLines(chunksOf(data, sizes), options)) {
    lines.push({ text: line.bytes.toString('latin1'), endOffset: line.endOffset, truncated: line.truncated });
  }
  return lines;
}

describe('splitLines', () => {
  const data = Buffer.from('{"a":1}\n\n{"b":22}\r\nlast', 'latin1');
  const expected = [
    { text: '{"a":1}', endOffset: 8, truncated: false },
    { text: '', endOffset: 9, truncated: false },
    { text: '{"b":22}', endOffset: 19, truncated: false },
    { text: 'last', endOffset: 23, truncated: false },
  ];

  it.each([[[1]], [[2, 3]], [[7]], [[8]], [[1000]]])(
    'gives the same lines and offsets whatever the chunk sizes (%j)',
    async (sizes) => {
      expect(await collect(data, sizes)).toEqual(expected);
    },
  );

  it('ends each offset where the next line starts, so the offsets can seek', async () => {
    const lines = await collect(data, [5]);
    for (const [i, line] of lines.slice(0, -1).entries()) {
      const nextStart = line.endOffset;
      const rest = data.subarray(nextStart).toString('latin1');
      expect(rest.startsWith(lines[i + 1]!.text)).toBe(true);
    }
    expect(lines[lines.length - 1]!.endOffset).toBe(data.length);
  });

  it('keeps the original bytes of a line that is not valid UTF-8', async () => {
    const bad = Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a, 0x41]);
    const lines = [];
    for await (const line of splitLines(chunksOf(bad, [2]))) lines.push(line);
    expect(lines[0]!.bytes).toEqual(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(lines.map((l) => l.endOffset)).toEqual([5, 6]);
  });

  it('numbers offsets from where a resumed read starts', async () => {
    const tail = Buffer.from('x\ny\n');
    const lines = await collect(tail, [3], { startOffset: 100 });
    expect(lines.map((l) => l.endOffset)).toEqual([102, 104]);
  });

  it('yields no line for empty input and no extra line after a final newline', async () => {
    expect(await collect(Buffer.alloc(0), [1])).toEqual([]);
    expect(await collect(Buffer.from('a\n'), [1])).toEqual([{ text: 'a', endOffset: 2, truncated: false }]);
  });

  it('cuts an over-long line to the limit, keeps counting its bytes, and goes on with the next line', async () => {
    const long = Buffer.from(`${'x'.repeat(50)}\nok\n`);
    const lines = await collect(long, [7], { maxLineBytes: 10 });
    expect(lines).toEqual([
      { text: 'x'.repeat(10), endOffset: 51, truncated: true },
      { text: 'ok', endOffset: 54, truncated: false },
    ]);
  });
});
