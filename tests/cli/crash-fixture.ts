import { closeSync, openSync, writeSync } from 'node:fs';
import { generateEnterprise } from '../../tools/bench/src/generator';

/**
 * A large NDJSON file for the CLI tests: the first `events` events of the seeded synthetic
 * enterprise, with bad lines, exact duplicates and blank lines mixed in at fixed intervals, so
 * every kind of outcome happens all through the file (and so on both sides of a crash).
 */

export interface FixtureCounts {
  /** Distinct generated events. */
  readonly events: number;
  /** Lines repeating an earlier event verbatim (same source and id). */
  readonly duplicates: number;
  /** Lines the pipeline must dead-letter. */
  readonly invalid: number;
  readonly blank: number;
  readonly bytes: number;
}

/** One of each rejection path a file can hit, cycled through. */
const BAD_LINES: readonly Buffer[] = [
  Buffer.from('{"specversion":"1.0","id":"broken-json","source":"crash-test",'),
  Buffer.from(
    JSON.stringify({
      specversion: '1.0',
      id: 'unknown-type',
      source: 'crash-test',
      type: 'hr.person.teleported',
      time: '2025-01-01T00:00:00Z',
      data: {},
    }),
  ),
  Buffer.from(
    JSON.stringify({
      specversion: '1.0',
      id: 'no-email',
      source: 'crash-test',
      type: 'hr.person.joined',
      time: '2025-01-01T00:00:00Z',
      data: { personId: 'person:x1' },
    }),
  ),
  Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
];

export function writeEnterpriseFixture(
  path: string,
  events: number,
  options: { every?: number; seed?: number; people?: number } = {},
): FixtureCounts {
  const every = options.every ?? 5_000;
  const fd = openSync(path, 'w');
  let bytes = 0;
  const write = (data: Buffer | string): void => {
    const buffer = typeof data === 'string' ? Buffer.from(data) : data;
    writeSync(fd, buffer);
    bytes += buffer.length;
  };
  let written = 0;
  let duplicates = 0;
  let invalid = 0;
  let blank = 0;
  let previous = '';
  try {
    for (const event of generateEnterprise({ people: options.people ?? 400, seed: options.seed ?? 7 })) {
      if (written === events) break;
      const line = JSON.stringify(event);
      write(`${line}\n`);
      written++;
      if (written % every === 0) {
        write(BAD_LINES[invalid % BAD_LINES.length]!);
        write('\n');
        invalid++;
        write(`${previous}\n`);
        duplicates++;
        write('\n');
        blank++;
      }
      previous = line;
    }
  } finally {
    closeSync(fd);
  }
  if (written < events)
    throw new Error(`the generator gave ${written} events, fewer than the ${events} asked for: raise people`);
  return { events: written, duplicates, invalid, blank, bytes };
}
