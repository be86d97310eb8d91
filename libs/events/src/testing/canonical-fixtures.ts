import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalEvent } from '../contracts/canonical-event';
import { validateCanonical } from '../validation/canonical-validator';

/** Test support: the hand-written canonical events of tests/fixtures/canonical. */
export const CANONICAL_FIXTURES_DIR = join(__dirname, '..', '..', '..', '..', 'tests', 'fixtures', 'canonical');

/** The files of accepted events, one per family. */
export const ACCEPTED_FIXTURE_FILES = [
  'hr.ndjson',
  'vendor.ndjson',
  'iam.ndjson',
  'audit.ndjson',
  'ci.ndjson',
  'workload.ndjson',
] as const;

/** The lines of an NDJSON fixture, raw (blank lines skipped). */
export function fixtureLines(file: string): string[] {
  return readFileSync(join(CANONICAL_FIXTURES_DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** Every accepted fixture event, validated (a fixture that fails validation fails the test). */
export function acceptedFixtures(): CanonicalEvent[] {
  return ACCEPTED_FIXTURE_FILES.flatMap((file) =>
    fixtureLines(file).map((line) => mustValidate(JSON.parse(line) as unknown, file)),
  );
}

/** The accepted fixture event with this id. */
export function fixtureEvent(id: string): CanonicalEvent {
  const event = acceptedFixtures().find((candidate) => candidate.id === id);
  if (!event) throw new Error(`no canonical fixture with id ${id}`);
  return event;
}

export interface RejectedCase {
  readonly case: string;
  readonly expect: {
    readonly reason: string;
    readonly field: string | null;
    readonly source: string | null;
    readonly type: string | null;
  };
  /** The bytes as received, when the case is about parsing. */
  readonly raw?: string;
  /** The parsed event, when the case is about validation. */
  readonly event?: unknown;
}

export function rejectedCases(): RejectedCase[] {
  return fixtureLines('rejected.ndjson').map((line) => JSON.parse(line) as RejectedCase);
}

function mustValidate(value: unknown, file: string): CanonicalEvent {
  const result = validateCanonical(value);
  if (!result.ok) throw new Error(`${file}: fixture rejected: ${result.reason}`);
  return result.value;
}

/** The stamp every fact of an event carries: its time in epoch ms, its id as evidence, its source. */
export function stampOf(event: CanonicalEvent): { time: number; evidence: string; source: string } {
  return { time: Date.parse(event.time), evidence: event.id, source: event.source };
}
