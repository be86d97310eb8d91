import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSchemaDir, loadMigrations, parseMigrationFileName, splitStatements } from './neo4j-migrations';

describe('splitStatements', () => {
  it('splits a script on semicolons and trims each statement', () => {
    expect(splitStatements('CREATE (a);\n  CREATE (b) ;\nRETURN 1')).toEqual(['CREATE (a)', 'CREATE (b)', 'RETURN 1']);
  });

  it('keeps semicolons inside single- and double-quoted strings, with escaped quotes', () => {
    const script = `RETURN 'a;b' AS x;RETURN "c\\";d" AS y;RETURN 'it\\'s;fine'`;
    expect(splitStatements(script)).toEqual([`RETURN 'a;b' AS x`, `RETURN "c\\";d" AS y`, `RETURN 'it\\'s;fine'`]);
  });

  it('keeps semicolons inside backtick-quoted names', () => {
    expect(splitStatements('MATCH (n:`odd;label`) RETURN n; RETURN 2')).toEqual([
      'MATCH (n:`odd;label`) RETURN n',
      'RETURN 2',
    ]);
  });

  it('drops line and block comments, including semicolons inside them', () => {
    const script = '// first; comment\nCREATE (a); /* block; comment */ CREATE (b);\n// trailing';
    expect(splitStatements(script)).toEqual(['CREATE (a)', 'CREATE (b)']);
  });

  it('does not mistake // inside a string for a comment', () => {
    expect(splitStatements("RETURN 'http://x;y' AS url; RETURN 3")).toEqual(["RETURN 'http://x;y' AS url", 'RETURN 3']);
  });

  it('skips empty statements', () => {
    expect(splitStatements(';;\n ; CREATE (a);;')).toEqual(['CREATE (a)']);
  });

  it('rejects an unterminated string or comment instead of guessing', () => {
    expect(() => splitStatements("RETURN 'open;")).toThrow(/unterminated string/);
    expect(() => splitStatements('CREATE (a) /* open;')).toThrow(/unterminated block comment/);
  });
});

describe('parseMigrationFileName', () => {
  it('reads the version and name of a V<n>__<name>.cypher file', () => {
    expect(parseMigrationFileName('V0002__indexes.cypher')).toEqual({ version: 2, name: 'indexes' });
    expect(parseMigrationFileName('V12__more_things.cypher')).toEqual({ version: 12, name: 'more_things' });
  });

  it('ignores other files', () => {
    expect(parseMigrationFileName('README.md')).toBeNull();
    expect(parseMigrationFileName('V1_constraints.cypher')).toBeNull();
    expect(parseMigrationFileName('V0001__constraints.cypher.bak')).toBeNull();
  });
});

describe('loadMigrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'graph-schema-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('orders migrations by version, not by file name, and ignores other files', () => {
    writeFileSync(join(dir, 'V10__later.cypher'), 'CREATE INDEX c IF NOT EXISTS FOR (n:C) ON (n.x);');
    writeFileSync(
      join(dir, 'V2__earlier.cypher'),
      'CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x);\nCREATE INDEX b IF NOT EXISTS FOR (n:B) ON (n.x);',
    );
    writeFileSync(join(dir, 'notes.txt'), 'not a migration');
    const migrations = loadMigrations(dir);
    expect(migrations.map((m) => [m.version, m.name, m.statements.length])).toEqual([
      [2, 'earlier', 2],
      [10, 'later', 1],
    ]);
  });

  it('refuses two files with the same version', () => {
    writeFileSync(join(dir, 'V1__one.cypher'), 'RETURN 1;');
    writeFileSync(join(dir, 'V0001__other.cypher'), 'RETURN 2;');
    expect(() => loadMigrations(dir)).toThrow(/same version 1/);
  });
});

describe('the repository schema', () => {
  // A data step may only remove properties from what it matches: running it again changes nothing.
  const SCHEMA = /^CREATE (CONSTRAINT|INDEX) [a-z_]+ IF NOT EXISTS FOR /;
  const REMOVAL = /^MATCH \(\w+:\w+\)(?: WHERE [^;]+?)? REMOVE \w+\.\w+(?:, \w+\.\w+)*$/;

  it('is found above the adapter and every statement is idempotent', () => {
    const migrations = loadMigrations(findSchemaDir());
    expect(migrations.map((m) => m.version)).toEqual([1, 2, 3, 4]);
    for (const statement of migrations.flatMap((m) => m.statements)) {
      expect([statement, SCHEMA.test(statement) || REMOVAL.test(statement)]).toEqual([statement, true]);
    }
    expect(REMOVAL.test('MATCH (d:PlanDelivery) SET d.x = 1')).toBe(false);
  });

  it('names every constraint and index once (names share one namespace in Neo4j)', () => {
    const names = loadMigrations(findSchemaDir())
      .flatMap((m) => m.statements)
      .filter((statement) => !REMOVAL.test(statement))
      .map((statement) => /^CREATE (?:CONSTRAINT|INDEX) ([a-z_]+)/.exec(statement)?.[1]);
    expect(names.every((name) => name !== undefined)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });
});
