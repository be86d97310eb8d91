import { SingleBar } from 'cli-progress';
import type { FilePosition } from './file-position';
import type { IngestCounts } from './ingest-tally';

/**
 * How `ingest` shows progress on stderr (stdout is kept for the summary):
 * - `bar`: a progress bar by bytes, with records and events per second;
 * - `json`: one JSON line per committed batch, for scripts and tests that watch a run;
 * - `none`: nothing;
 * - `auto` (default): `bar` when stderr is a terminal and the input is large, else `none`.
 */
export const PROGRESS_MODES = ['auto', 'bar', 'json', 'none'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** Below this size a file ingests in a blink: no bar. */
export const LARGE_INPUT_BYTES = 8 * 1024 * 1024;

export interface ProgressReporter {
  /** `total` is the input's size in bytes (null for stdin). */
  start(total: number | null, from: FilePosition): void;
  /** A batch has committed: everything before `position` is in the store. */
  committed(position: FilePosition, totals: IngestCounts): void;
  stop(): void;
}

export function progressReporter(
  mode: ProgressMode,
  total: number | null,
  stderr: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  switch (mode) {
    case 'auto':
      return stderr.isTTY && total !== null && total >= LARGE_INPUT_BYTES
        ? new BarProgress(stderr)
        : new SilentProgress();
    case 'bar':
      return new BarProgress(stderr);
    case 'json':
      return new JsonProgress(stderr);
    case 'none':
      return new SilentProgress();
  }
}

class SilentProgress implements ProgressReporter {
  start(): void {}
  committed(): void {}
  stop(): void {}
}

/** One line per committed batch: `{"committed":{"offset":…,"line":…},"records":…,…}`. */
class JsonProgress implements ProgressReporter {
  constructor(private readonly out: NodeJS.WritableStream) {}

  start(total: number | null, from: FilePosition): void {
    this.out.write(`${JSON.stringify({ started: from, totalBytes: total })}\n`);
  }

  committed(position: FilePosition, totals: IngestCounts): void {
    this.out.write(`${JSON.stringify({ committed: position, ...totals })}\n`);
  }

  stop(): void {}
}

const MIB = 1024 * 1024;

class BarProgress implements ProgressReporter {
  private readonly bar: SingleBar;
  private startedAt = 0;

  constructor(stream: NodeJS.WritableStream) {
    this.bar = new SingleBar({
      stream,
      format:
        'ingest [{bar}] {percentage}% | {done}/{size} MiB | {records} records | {rate} events/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 20,
      fps: 5,
    });
  }

  start(total: number | null, from: FilePosition): void {
    this.startedAt = Date.now();
    const size = total ?? 0;
    this.bar.start(size, from.offset, {
      done: mib(from.offset),
      size: total === null ? '?' : mib(size),
      records: 0,
      rate: 0,
    });
  }

  committed(position: FilePosition, totals: IngestCounts): void {
    const seconds = (Date.now() - this.startedAt) / 1000;
    const rate = seconds > 0 ? Math.round((totals.accepted + totals.duplicates) / seconds) : 0;
    if (this.bar.getTotal() < position.offset) this.bar.setTotal(position.offset);
    this.bar.update(position.offset, { done: mib(position.offset), records: totals.records, rate });
  }

  stop(): void {
    this.bar.stop();
  }
}

function mib(bytes: number): string {
  return (bytes / MIB).toFixed(1);
}
