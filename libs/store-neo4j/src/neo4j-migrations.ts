import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pendingMigrations } from '@lineage/domain';
import type { Neo4jSessions } from './neo4j-session';
import { run } from './neo4j-session';
import { readNumber } from './neo4j-values';

/**
 * The Neo4j schema is versioned Cypher in `graph-schema/V<version>__<name>.cypher`. At start-up
 * every file whose version is not yet recorded runs, statement by statement (schema commands
 * cannot share a transaction with data writes), then its version is recorded as a
 * `:SchemaMigration` node. Every statement is `IF NOT EXISTS`, so a run interrupted halfway, or
 * two replicas starting together, simply run the same statements again.
 */

export interface SchemaMigration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly statements: readonly string[];
}

const FILE_NAME = /^V(\d+)__([A-Za-z0-9_-]+)\.cypher$/;

/** `V0002__indexes.cypher` → `{ version: 2, name: 'indexes' }`; null for any other file name. */
export function parseMigrationFileName(fileName: string): { version: number; name: string } | null {
  const match = FILE_NAME.exec(fileName);
  if (!match) return null;
  return { version: Number(match[1]), name: match[2]! };
}

/**
 * Split a Cypher script into statements on `;`, except where the `;` sits inside a string
 * ('…' or "…", with backslash escapes), a backtick-quoted name, a `//` line comment or a
 * block comment. Comments are dropped; empty statements are skipped.
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  const flush = (): void => {
    const statement = current.trim();
    if (statement.length > 0) statements.push(statement);
    current = '';
  };
  while (i < script.length) {
    const ch = script[i]!;
    const next = script[i + 1];
    if (ch === '/' && next === '/') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2);
      if (end === -1) throw new Error('unterminated block comment in Cypher script');
      current += ' ';
      i = end + 2;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      const start = i;
      i++;
      while (i < script.length && script[i] !== ch) i += ch !== '`' && script[i] === '\\' ? 2 : 1;
      if (i >= script.length) throw new Error(`unterminated ${ch === '`' ? 'quoted name' : 'string'} in Cypher script`);
      current += script.slice(start, i + 1);
      i++;
      continue;
    }
    if (ch === ';') {
      flush();
      i++;
      continue;
    }
    current += ch;
    i++;
  }
  flush();
  return statements;
}

/** Every migration in `dir`, in version order. Two files with one version are an error. */
export function loadMigrations(dir: string): SchemaMigration[] {
  const migrations: SchemaMigration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const parsed = parseMigrationFileName(file);
    if (!parsed) continue;
    const clash = migrations.find((m) => m.version === parsed.version);
    if (clash) throw new Error(`graph-schema: ${clash.file} and ${file} have the same version ${parsed.version}`);
    migrations.push({ ...parsed, file, statements: splitStatements(readFileSync(join(dir, file), 'utf8')) });
  }
  return migrations.sort((a, b) => a.version - b.version);
}

/**
 * The `graph-schema` directory: the nearest one above this file. The same walk finds it from
 * the TypeScript sources (`libs/store-neo4j/src`) and from the build (`dist/libs/store-neo4j/src`).
 */
export function findSchemaDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'graph-schema');
    if (existsSync(join(candidate, 'V0001__constraints.cypher'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`no graph-schema directory above ${from}`);
  }
}

const APPLIED_VERSIONS = 'MATCH (m:SchemaMigration) RETURN m.version AS version';
const RECORD_VERSION = `
MERGE (m:SchemaMigration {version: $version})
ON CREATE SET m.name = $name, m.appliedAt = $appliedAt`;
/** Indexes populate in the background; wait for them so the first queries are planned with them. */
const AWAIT_INDEXES = 'CALL db.awaitIndexes($timeoutSeconds)';

/** Apply every migration not yet recorded, in order; returns the versions applied now. */
export async function runMigrations(
  sessions: Neo4jSessions,
  migrations: readonly SchemaMigration[],
): Promise<number[]> {
  const applied = new Set(
    (await sessions.read((tx) => run(tx, APPLIED_VERSIONS))).map((record) =>
      readNumber(record.get('version'), 'schema migration version'),
    ),
  );
  const ran: number[] = [];
  for (const migration of pendingMigrations(applied, migrations)) {
    for (const statement of migration.statements) await sessions.write((tx) => run(tx, statement));
    await sessions.write((tx) =>
      run(tx, RECORD_VERSION, { version: migration.version, name: migration.name, appliedAt: Date.now() }),
    );
    ran.push(migration.version);
  }
  await sessions.write((tx) => run(tx, AWAIT_INDEXES, { timeoutSeconds: 300 }));
  return ran;
}
