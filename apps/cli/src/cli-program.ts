import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DomainError } from '@lineage/domain';
import type { DomainErrorCode } from '@lineage/domain';
import { StoreUnavailableError } from '@lineage/pipeline';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './cli-errors';
import { IngestCliModule, withCliContext } from './cli-context';
import { runIngestCommand } from './ingest/ingest-command';
import { openNdjsonInput } from './ingest/ndjson-input';
import type { ProgressMode } from './ingest/progress-reporter';
import { PROGRESS_MODES } from './ingest/progress-reporter';
import { demoBanner, prepareDemo, serveDemo } from './demo/demo-command';
import { CompactCliModule, compactStore } from './compact/compact-command';
import { KeysCliModule, createKey, listKeys, parseCreateArgs, revokeKey } from './keys/keys-command';
import type { KeysOutput } from './keys/keys-command';
import { StderrLogger } from './stderr-logger';
import { ConfigError } from '@lineage/config';

/**
 * `nhi-lineage`: the command line. Each command opens a Nest application context over the
 * library modules it needs (no HTTP), does its work and closes the context, which drains the
 * pipeline and closes the store. stdout carries only the command's result; everything else goes
 * to stderr.
 */

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Resolves to the process exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let exitCode = EXIT_OK;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = buildProgram(io, setExit);
  try {
    await program.parseAsync([...argv], { from: 'node' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help text).
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`nhi-lineage: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    io.stderr.write(`nhi-lineage: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof DomainError) {
    io.stderr.write(`nhi-lineage: ${error.message}\n`);
    return exitCodeOf(error.code);
  }
  if (error instanceof StoreUnavailableError) {
    io.stderr.write(
      `nhi-lineage: ${error.message}; nothing after the last committed batch was applied, run the same command again to resume\n`,
    );
    return EXIT_FAILED;
  }
  io.stderr.write(`nhi-lineage: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_FAILED;
}

/** The user asked for something wrong (2), or the work could not be done (1). */
function exitCodeOf(code: DomainErrorCode): number {
  switch (code) {
    case 'BAD_USER_INPUT':
    case 'NOT_FOUND':
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
      return EXIT_USAGE;
    case 'CONFLICT':
    case 'UNAVAILABLE':
      return EXIT_FAILED;
  }
}

function integerOption(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer of at least ${min}.`);
    return n;
  };
}

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('nhi-lineage')
    .description('A lineage graph for non-human identities: ingest events, manage API keys, compact the store, run the demo.')
    .option('-v, --verbose', 'log progress messages on stderr')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  const verbose = (): boolean => program.opts<{ verbose?: boolean }>().verbose === true;

  program
    .command('ingest')
    .description(
      'Ingest an NDJSON file of events (one CloudEvent or native record per line; "-" reads stdin). Resumes after the last committed batch.',
    )
    .argument('<file>', 'the NDJSON file, or - for stdin')
    .option(
      '--from-start',
      'ignore the checkpoint and read from the first line (what was ingested already counts as duplicates)',
      false,
    )
    .option(
      '--batch-size <n>',
      'records per store transaction (default: LINEAGE_FILE_BATCH_SIZE)',
      integerOption('--batch-size', 1),
    )
    .addOption(new Option('--progress <mode>', 'progress on stderr').choices(PROGRESS_MODES).default('auto'))
    .action(async (file: string, options: { fromStart: boolean; batchSize?: number; progress: ProgressMode }) => {
      const logger = new StderrLogger(['error', 'warn'], io.stderr);
      const input = openNdjsonInput(file);
      // SIGINT or SIGTERM: stop reading, let the batch in flight commit, close the store, exit 128 + n.
      const controller = new AbortController();
      let signalled = 0;
      const onInt = (): void => ((signalled = 130), controller.abort());
      const onTerm = (): void => ((signalled = 143), controller.abort());
      process.once('SIGINT', onInt);
      process.once('SIGTERM', onTerm);
      try {
        const summary = await withCliContext(IngestCliModule, { verbose: verbose() }, (app) =>
          runIngestCommand(app, input, options, controller.signal, (message) => logger.warn(message, 'ingest')),
        );
        io.stdout.write(`${JSON.stringify(summary)}\n`);
        if (summary.interrupted) setExit(signalled);
      } finally {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      }
    });

  const keys = program
    .command('keys')
    .description('Manage API keys (stored hashed; each key is an NHI in the graph, owned by its owner).');
  const keysOut: KeysOutput = {
    result: (text) => io.stdout.write(`${text}\n`),
    note: (text) => io.stderr.write(`${text}\n`),
  };

  keys
    .command('create')
    .description('Create a key and print it once on stdout.')
    .requiredOption('--role <role>', 'analyst | responder | automation | admin')
    .requiredOption('--owner <personId>', 'the person who answers for the key, e.g. person:e1001')
    .requiredOption('--expires <duration>', 'lifetime: 90d, 12w, 6m or 1y')
    .option('--description <text>', 'what the key is for')
    .option('--json', 'print the key and its record as one JSON object')
    .action(async (options: { role: string; owner: string; expires: string; description?: string; json?: boolean }) => {
      const input = parseCreateArgs(options);
      await withCliContext(KeysCliModule, { verbose: verbose() }, (app) =>
        createKey(app, input, options.json === true, keysOut),
      );
    });

  keys
    .command('list')
    .description('List keys (never their secrets or hashes).')
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      await withCliContext(KeysCliModule, { verbose: verbose() }, (app) =>
        listKeys(app, options.json === true, keysOut),
      );
    });

  keys
    .command('revoke')
    .description('Revoke a key by its id (the 16 hex characters after nhil_).')
    .argument('<id>', 'the key id')
    .action(async (id: string) => {
      await withCliContext(KeysCliModule, { verbose: verbose() }, (app) => revokeKey(app, id, keysOut));
    });

  program
    .command('compact')
    .description(
      'Rewrite the embedded store file packed in key order, with 16 KiB pages (a store made by an earlier build has 4 KiB ones). Stop the server first; needs free disk of about twice the file.',
    )
    .action(async () => {
      const report = await withCliContext(CompactCliModule, { verbose: verbose() }, compactStore);
      io.stdout.write(`${JSON.stringify(report)}\n`);
    });

  program
    .command('demo')
    .description(
      'Load a demo enterprise through the ingestion pipeline (once), start the server and print example queries.',
    )
    .option('--people <n>', 'people in the enterprise (25 to 50 NHIs each)', integerOption('--people', 2), 400)
    .option('--seed <n>', 'the generator seed: the same seed gives the same enterprise', integerOption('--seed', 0), 42)
    .option('--no-serve', 'load and print the examples, but do not start the server')
    .option('--json', 'print the load and the examples as JSON instead of the banner')
    .action(async (options: { people: number; seed: number; serve: boolean; json?: boolean }) => {
      const log = (line: string): void => void io.stderr.write(`${line}\n`);
      const report = await withCliContext(IngestCliModule, { verbose: verbose() }, (app) =>
        prepareDemo(app, options, log),
      );
      const print = (serving: boolean): void => {
        io.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${demoBanner(report, serving)}\n`);
      };
      if (!options.serve) {
        print(false);
        return;
      }
      setExit(await serveDemo(report.url, () => print(true), log));
    });

  return program;
}
