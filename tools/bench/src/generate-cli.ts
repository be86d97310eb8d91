import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { Command, InvalidArgumentError } from 'commander';
import { peakRssMiB } from './bench-stats';
import type { GeneratedSummary } from './generator';
import { DEFAULT_NHIS_PER_PERSON, DEFAULT_SEED, generateEnterprise, writeNdjson } from './generator';

/**
 * `node dist/tools/bench/src/generate-cli.js --scale 10000 --seed 42 --out enterprise.ndjson`
 * Writes a synthetic enterprise's canonical events as NDJSON (to stdout without --out) and prints
 * a one-line JSON summary at the end (on stderr when the events go to stdout).
 */

export interface GenerateCliResult {
  readonly summary: GeneratedSummary;
  readonly out: string | null;
  readonly durationMs: number;
  /** The process's peak resident set size, in MiB. */
  readonly peakRssMiB: number;
}

function integer(option: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`${option} must be an integer from ${min} to ${max}, got "${value}"`);
    }
    return parsed;
  };
}

function positiveNumber(option: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0 || parsed > 1000) {
      throw new InvalidArgumentError(`${option} must be a number above 0 and at most 1000, got "${value}"`);
    }
    return parsed;
  };
}

export async function runGenerateCli(
  argv: readonly string[],
  stdout: Writable = process.stdout,
): Promise<GenerateCliResult> {
  const program = new Command()
    .name('generate')
    .description('Generate a synthetic enterprise as canonical CloudEvents (NDJSON).')
    .option('--scale <people>', 'number of people', integer('--scale', 2, 999_999), 10_000)
    .option('--seed <seed>', 'random seed (same seed, same bytes)', integer('--seed', 0, 0xffffffff), DEFAULT_SEED)
    .option(
      '--nhis-per-person <ratio>',
      'NHIs per person on average',
      positiveNumber('--nhis-per-person'),
      DEFAULT_NHIS_PER_PERSON,
    )
    .option('--out <file>', 'NDJSON file to write (default: stdout)')
    .exitOverride()
    .parse([...argv]);
  const options = program.opts<{ scale: number; seed: number; nhisPerPerson: number; out?: string }>();

  const started = process.hrtime.bigint();
  const target = options.out === undefined ? stdout : createWriteStream(options.out);
  const summary = await writeNdjson(
    generateEnterprise({ people: options.scale, seed: options.seed, nhisPerPerson: options.nhisPerPerson }),
    target,
  );
  if (options.out !== undefined) {
    target.end();
    await finished(target);
  }
  return {
    summary,
    out: options.out ?? null,
    durationMs: Number((process.hrtime.bigint() - started) / 1_000_000n),
    peakRssMiB: peakRssMiB(),
  };
}

if (require.main === module) {
  runGenerateCli(process.argv).then(
    (result) => {
      const line = `${JSON.stringify(result)}\n`;
      if (result.out === null) process.stderr.write(line);
      else process.stdout.write(line);
    },
    (error: unknown) => {
      // commander has already printed its own usage errors.
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || !code.startsWith('commander.')) {
        process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
      }
      process.exitCode = 1;
    },
  );
}
