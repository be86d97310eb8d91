import 'reflect-metadata';
import { runCli } from './cli-program';

/**
 * Entry point of `nhi-lineage` (bin/nhi-lineage.js requires this file). Exits with the code
 * `runCli` resolves to once stdout has flushed; a command that keeps running (the demo's server)
 * never resolves.
 */
runCli(process.argv).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`nhi-lineage: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
