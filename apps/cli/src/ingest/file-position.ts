import { createHash } from 'node:crypto';

/**
 * Where a file ingestion got to, and how a restart finds it again. The checkpoint the store keeps
 * for a file is a `FilePosition` (the byte offset just past the last line of the last committed
 * batch, and that line's number), written in the same transaction as the batch.
 */

export interface FilePosition {
  /** Byte offset where the next line starts. */
  readonly offset: number;
  /** Number of lines (blank ones included) before `offset`: the next line is `line + 1`. */
  readonly line: number;
}

export const START_OF_FILE: FilePosition = { offset: 0, line: 0 };

/** How much of the beginning of a file identifies it (with its absolute path). */
export const IDENTITY_HEAD_BYTES = 64 * 1024;

/**
 * The checkpoint stream of a file: its absolute path and a hash of its first 64 KiB. Appending to
 * the file keeps the identity (a later run resumes and reads only the new lines) once the file
 * is past 64 KiB; rewriting its beginning, or moving it, makes it a new stream, read from the start
 * (where everything already ingested counts as a duplicate, so nothing is applied twice).
 */
export function fileStreamId(absolutePath: string, head: Buffer): string {
  const digest = createHash('sha256').update(head.subarray(0, IDENTITY_HEAD_BYTES)).digest('hex');
  return `file:${absolutePath}#sha256:${digest}`;
}

export function encodePosition(position: FilePosition): string {
  return JSON.stringify({ offset: position.offset, line: position.line });
}

/** Parse a stored checkpoint; null (read from the start) when it is not one this CLI wrote. */
export function decodePosition(text: string): FilePosition | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { offset, line } = parsed as Record<string, unknown>;
  if (!isCount(offset) || !isCount(line) || line > offset) return null;
  return { offset, line };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export type ResumeDecision =
  | { readonly resume: true; readonly from: FilePosition }
  | { readonly resume: false; readonly from: FilePosition; readonly reason: string | null };

/**
 * Where to start reading, given the stored checkpoint (if any), the file's current size and the
 * byte just before the checkpoint's offset. A checkpoint is trusted only if it still falls on a
 * line boundary inside the file; otherwise the file changed under it and reading restarts at the
 * beginning (safe: replayed events are duplicates).
 */
export function decideResume(input: {
  readonly stored: string | null;
  readonly fromStart: boolean;
  readonly fileSize: number;
  /** The byte at `offset - 1` of the file, or null when there is none. */
  readonly byteBefore: (offset: number) => number | null;
}): ResumeDecision {
  if (input.fromStart) return { resume: false, from: START_OF_FILE, reason: null };
  if (input.stored === null) return { resume: false, from: START_OF_FILE, reason: null };
  const position = decodePosition(input.stored);
  if (!position)
    return { resume: false, from: START_OF_FILE, reason: `unreadable checkpoint ${JSON.stringify(input.stored)}` };
  if (position.offset === 0) return { resume: false, from: START_OF_FILE, reason: null };
  if (position.offset > input.fileSize) {
    return {
      resume: false,
      from: START_OF_FILE,
      reason: `checkpoint at byte ${position.offset} is past the end of the file (${input.fileSize} bytes)`,
    };
  }
  // A checkpoint is always just past a newline, unless it is the end of a file without a final newline.
  if (position.offset < input.fileSize && input.byteBefore(position.offset) !== 0x0a) {
    return {
      resume: false,
      from: START_OF_FILE,
      reason: `checkpoint at byte ${position.offset} is not at a line boundary`,
    };
  }
  return { resume: true, from: position };
}
