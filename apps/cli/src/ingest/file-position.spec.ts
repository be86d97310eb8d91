import { decideResume, decodePosition, encodePosition, fileStreamId, IDENTITY_HEAD_BYTES } from './file-position';

describe('file positions', () => {
  it('round-trips a position through its stored form', () => {
    expect(decodePosition(encodePosition({ offset: 1234, line: 56 }))).toEqual({ offset: 1234, line: 56 });
  });

  it.each(['', 'nope', '12', '{"offset":-1,"line":0}', '{"offset":5,"line":6}', '{"offset":1.5,"line":0}', 'null'])(
    'refuses %j as a position',
    (text) => {
      expect(decodePosition(text)).toBeNull();
    },
  );

  it('identifies a file by its path and its first 64 KiB only', () => {
    const head = Buffer.alloc(IDENTITY_HEAD_BYTES, 'a');
    const appended = Buffer.concat([head, Buffer.from('more lines')]);
    expect(fileStreamId('/data/x.ndjson', appended)).toBe(fileStreamId('/data/x.ndjson', head));
    expect(fileStreamId('/data/y.ndjson', head)).not.toBe(fileStreamId('/data/x.ndjson', head));
    const changed = Buffer.from(head);
    changed[10] = 0x62;
    expect(fileStreamId('/data/x.ndjson', changed)).not.toBe(fileStreamId('/data/x.ndjson', head));
    expect(fileStreamId('/data/x.ndjson', head)).toMatch(/^file:\/data\/x\.ndjson#sha256:[0-9a-f]{64}$/);
  });
});

describe('decideResume', () => {
  const file = Buffer.from('a\nbb\nccc\n');
  const byteBefore = (offset: number) => (offset > 0 ? (file[offset - 1] ?? null) : null);
  const decide = (stored: string | null, fromStart = false, fileSize = file.length) =>
    decideResume({ stored, fromStart, fileSize, byteBefore });

  it('resumes at a stored position that is at a line boundary inside the file', () => {
    expect(decide(encodePosition({ offset: 5, line: 2 }))).toEqual({ resume: true, from: { offset: 5, line: 2 } });
  });

  it('resumes at the very end (nothing new to read)', () => {
    expect(decide(encodePosition({ offset: file.length, line: 3 }))).toEqual({
      resume: true,
      from: { offset: 9, line: 3 },
    });
  });

  it('reads from the start without a checkpoint, or when asked to', () => {
    expect(decide(null)).toEqual({ resume: false, from: { offset: 0, line: 0 }, reason: null });
    expect(decide(encodePosition({ offset: 5, line: 2 }), true)).toEqual({
      resume: false,
      from: { offset: 0, line: 0 },
      reason: null,
    });
  });

  it('restarts from the beginning, saying why, when the checkpoint no longer fits the file', () => {
    const mid = decide(encodePosition({ offset: 4, line: 1 }));
    expect(mid).toMatchObject({ resume: false, from: { offset: 0, line: 0 } });
    expect(mid.resume === false && mid.reason).toContain('not at a line boundary');
    const past = decide(encodePosition({ offset: 50, line: 9 }));
    expect(past.resume === false && past.reason).toContain('past the end of the file');
    const junk = decide('garbage');
    expect(junk.resume === false && junk.reason).toContain('unreadable checkpoint');
  });
});
