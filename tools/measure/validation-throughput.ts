/**
 * Why the event contracts are TypeBox schemas compiled by ajv, and not class-validator classes:
 * the ingest hot path must sustain ≥ 50,000 events/s end to end on 2 cores. This measures, on
 * representative canonical events (tests/fixtures/canonical), how many events per second one core
 * validates with
 *   1. class-validator: `plainToInstance` + `validateSync` on classes equivalent to the contracts
 *      (same fields, bounds, enums, email and RFC 3339 checks) — the house default for DTOs;
 *   2. ajv: the TypeBox contracts compiled once (envelope + the type's data schema);
 *   3. `validateCanonical`: what ingest runs (ajv, type dispatch, field-naming reasons, secret scan);
 *   4. `parseJson` + `validateCanonical` + `transformEvent`: the library's whole share of an event.
 *
 * Run: `npm run build && node dist/tools/measure/validation-throughput.js [iterations]`.
 * Prints a table, then one JSON line. Numbers are per core, single-threaded, after warm-up; the
 * median of five rounds, so that other work on a shared machine disturbs them less.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { plainToInstance, Type } from 'class-transformer';
import {
  Equals,
  IsEmail,
  IsIn,
  IsOptional,
  IsRFC3339,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { CREDENTIAL_KINDS } from '@lineage/domain';
import {
  DATA_SCHEMAS,
  EMPLOYMENT_TYPES,
  Envelope,
  parseJson,
  parseRfc3339,
  transformEvent,
  validateCanonical,
} from '@lineage/events';
import type { CanonicalEventType } from '@lineage/events';

// ---- 1. The same contracts as class-validator classes -------------------------------------

abstract class EnvelopeDto {
  @Equals('1.0') specversion!: string;
  @IsString() @Length(1, 256) id!: string;
  @IsString() @Length(1, 1024) source!: string;
  @IsString() @Length(1, 128) type!: string;
  @IsRFC3339() @MaxLength(64) time!: string;
  @IsOptional() @IsString() @Length(1, 2048) subject?: string;
  @IsOptional() @IsString() @Length(1, 128) datacontenttype?: string;
}

class PersonJoinedDataDto {
  @IsString() @Length(1, 2048) personId!: string;
  @IsEmail() @MaxLength(320) email!: string;
  @IsOptional() @IsString() @Length(1, 256) name?: string;
  @IsOptional() @IsIn(EMPLOYMENT_TYPES) employmentType?: string;
  @IsOptional() @IsString() @Length(1, 2048) managerId?: string;
  @IsOptional() @IsString() @Length(1, 128) department?: string;
}

class PersonJoinedEventDto extends EnvelopeDto {
  @ValidateNested() @Type(() => PersonJoinedDataDto) data!: PersonJoinedDataDto;
}

class CredentialCreatedDataDto {
  @IsString() @Length(1, 2048) credentialId!: string;
  @IsString() @Length(1, 2048) nhiId!: string;
  @IsIn(CREDENTIAL_KINDS) kind!: string;
  @IsOptional() @IsString() @Length(1, 2048) createdBy?: string;
  @IsOptional() @IsRFC3339() @MaxLength(64) expiresAt?: string;
  @IsOptional() @IsString() @Length(1, 512) fingerprint?: string;
}

class CredentialCreatedEventDto extends EnvelopeDto {
  @ValidateNested() @Type(() => CredentialCreatedDataDto) data!: CredentialCreatedDataDto;
}

type EventDto = new () => EnvelopeDto;

// ---- 2. The TypeBox contracts compiled by ajv (the options canonical-validator.ts uses) -----

const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false });
addFormats(ajv, ['email']);
ajv.addFormat('date-time', { type: 'string', validate: (value: string) => parseRfc3339(value) !== null });
const validateEnvelope = ajv.compile(Envelope);
const dataValidators = new Map<string, ValidateFunction>();
function ajvValidate(event: { type: CanonicalEventType; data: unknown }): boolean {
  let validateData = dataValidators.get(event.type);
  if (!validateData) dataValidators.set(event.type, (validateData = ajv.compile(DATA_SCHEMAS[event.type])));
  return validateEnvelope(event) && validateData(event.data);
}

// ---- The measurement -------------------------------------------------------------------------

interface Sample {
  readonly name: string;
  readonly type: CanonicalEventType;
  readonly json: string;
  readonly dto: EventDto;
}

/** Run from the repository root (as npm scripts are). */
const FIXTURES = join(process.cwd(), 'tests', 'fixtures', 'canonical');

function fixture(file: string, id: string): string {
  const line = readFileSync(join(FIXTURES, file), 'utf8')
    .split('\n')
    .find((candidate) => candidate.includes(`"id":"${id}"`));
  if (!line) throw new Error(`fixture ${id} not found in ${file}`);
  return line;
}

const SAMPLES: readonly Sample[] = [
  {
    name: 'hr.person.joined',
    type: 'hr.person.joined',
    json: fixture('hr.ndjson', 'hr-joined-1'),
    dto: PersonJoinedEventDto,
  },
  {
    name: 'iam.credential.created',
    type: 'iam.credential.created',
    json: fixture('iam.ndjson', 'credential-created-1'),
    dto: CredentialCreatedEventDto,
  },
];

/** Events per second of `run` over `iterations` calls: the median of five timed rounds after a warm-up. */
function throughput(iterations: number, run: () => boolean): number {
  for (let i = 0; i < Math.min(iterations, 20_000); i++)
    if (!run()) throw new Error('an event that should validate did not');
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(iterations / seconds);
  }
  rates.sort((a, b) => a - b);
  return Math.round(rates[2]!);
}

function main(): void {
  const iterations = Number(process.argv[2] ?? 100_000);
  const results: Record<string, Record<string, number>> = {};
  for (const sample of SAMPLES) {
    const plain = JSON.parse(sample.json) as { type: CanonicalEventType; data: unknown };
    const bytes = Buffer.from(sample.json);
    results[sample.name] = {
      // A yardstick that contention slows as much as the rest: every event is parsed at least once.
      'JSON.parse alone (baseline)': throughput(iterations, () => JSON.parse(sample.json) !== null),
      'class-validator (plainToInstance + validateSync)': throughput(
        iterations,
        () => validateSync(plainToInstance(sample.dto, plain)).length === 0,
      ),
      'ajv (compiled TypeBox schemas)': throughput(iterations, () => ajvValidate(plain)),
      'validateCanonical (ajv + reasons + secret scan)': throughput(iterations, () => validateCanonical(plain).ok),
      'parseJson + validateCanonical + transformEvent': throughput(iterations, () => {
        const parsed = parseJson(bytes);
        if (!parsed.ok) return false;
        const validated = validateCanonical(parsed.value);
        return validated.ok && transformEvent(validated.value).facts.length > 0;
      }),
    };
  }

  const load = loadavg().map((value) => value.toFixed(1));
  console.log(`events per second on one core (${iterations} per round, median of 5)`);
  console.log(`node ${process.version}, ${cpus().length} cores, load average ${load.join(' ')}`);
  for (const [sample, rows] of Object.entries(results)) {
    console.log(`\n${sample.padEnd(54)} events/s  vs class-validator`);
    const classValidator = rows['class-validator (plainToInstance + validateSync)']!;
    for (const [what, rate] of Object.entries(rows)) {
      const ratio = (rate / classValidator).toFixed(1);
      console.log(`  ${what.padEnd(52)} ${String(rate).padStart(10)}  ${ratio.padStart(6)}x`);
    }
  }
  console.log(`\n${JSON.stringify({ iterations, node: process.version, loadavg: loadavg(), results })}`);
}

main();
