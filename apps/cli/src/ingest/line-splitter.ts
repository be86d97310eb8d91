/**
 * Splits a byte stream into lines, keeping each line's exact bytes and the byte offset just past
 * it. We split bytes ourselves rather than use `node:readline`: readline decodes to strings, so
 * a line with invalid UTF-8 would lose its original bytes (which the dead-letter store must keep)
 * and a CRLF line would make byte offsets drift, and checkpoints are byte offsets.
 */

const LF = 0x0a;
const CR = 0x0d;

/**
 * The longest line kept in memory. A longer line (a file with no newlines, say) is cut to its
 * first `MAX_LINE_BYTES` bytes, which is far above the largest event the pipeline accepts, so it
 * is still dead-lettered as oversized; the rest of it is skipped, never buffered.
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface FileLine {
  /** The line without its terminator (`\n` or `\r\n`). */
  readonly bytes: Buffer;
  /** Byte offset just past the line's terminator (or the end of the input): where the next line starts. */
  readonly endOffset: number;
  /** True when the line was longer than the limit and `bytes` holds only its beginning. */
  readonly truncated: boolean;
}

export interface SplitOptions {
  /** Offset of the first byte of `chunks` within the whole input (when resuming mid-file). */
  readonly startOffset?: number;
  readonly maxLineBytes?: number;
}

export async function* splitLines(
  chunks: AsyncIterable<Buffer | string>,
  options: SplitOptions = {},
): AsyncGenerator<FileLine> {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  let offset = options.startOffset ?? 0;
  // The pieces of the current (unterminated) line seen so far, and how many bytes they hold.
  let parts: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  let pending = false;

  const take = (piece: Buffer): void => {
    pending = true;
    const room = maxLineBytes - kept;
    if (piece.length > room) truncated = true;
    const slice = piece.length > room ? piece.subarray(0, Math.max(room, 0)) : piece;
    if (slice.length > 0) {
      // Copy: the stream may reuse its chunk buffers.
      parts.push(Buffer.from(slice));
      kept += slice.length;
    }
  };
  const finish = (endOffset: number): FileLine => {
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, kept);
    if (!truncated && bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    const line: FileLine = { bytes, endOffset, truncated };
    parts = [];
    kept = 0;
    truncated = false;
    pending = false;
    return line;
  };

  for await (const chunk of chunks) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (;;) {
      const newline = buffer.indexOf(LF, start);
      if (newline === -1) break;
      take(buffer.subarray(start, newline));
      yield finish(offset + newline + 1);
      start = newline + 1;
    }
    if (start < buffer.length) take(buffer.subarray(start));
    offset += buffer.length;
  }
  if (pending) yield finish(offset);
}
