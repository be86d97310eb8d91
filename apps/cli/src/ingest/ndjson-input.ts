import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { UsageError } from '../cli-errors';
import { fileStreamId, IDENTITY_HEAD_BYTES } from './file-position';
import type { NdjsonInput } from './ndjson-ingestion';

/** Large reads: the file streams through in 1 MiB chunks, never whole. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/** `-` is stdin; anything else a regular file. */
export function openNdjsonInput(path: string, stdin: Readable = process.stdin): NdjsonInput {
  return path === '-' ? stdinInput(stdin) : fileInput(path);
}

function fileInput(path: string): NdjsonInput {
  const absolute = resolve(path);
  let size: number;
  try {
    const stats = statSync(absolute);
    if (!stats.isFile()) throw new UsageError(`FILE: ${path} is not a regular file`);
    size = stats.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const head = readAt(absolute, 0, Math.min(size, IDENTITY_HEAD_BYTES));
  return {
    path,
    name: basename(absolute),
    stream: fileStreamId(absolute, head),
    size,
    open: (offset) => createReadStream(absolute, { start: offset, highWaterMark: READ_CHUNK_BYTES }),
    byteBefore: (offset) => (offset <= 0 ? null : (readAt(absolute, offset - 1, 1)[0] ?? null)),
  };
}

function stdinInput(stdin: Readable): NdjsonInput {
  return {
    path: '-',
    name: 'stdin',
    stream: null,
    size: null,
    open: () => stdin,
    byteBefore: () => null,
  };
}

function readAt(path: string, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  if (length === 0) return buffer;
  const fd = openSync(path, 'r');
  try {
    const read = readSync(fd, buffer, 0, length, position);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
