import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED_DB_FILE, EmbeddedGraphStore } from './embedded-graph-store';

const WAL_CHECKPOINT_BYTES = 64 * 1024 * 1024;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nhi-lineage-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pragma = (store: EmbeddedGraphStore, name: string): unknown => store.db.pragma(name, { simple: true });

/** The store file as an earlier build made it: 4 KiB pages, WAL; `sql` runs in it before it closes. */
function earlierBuildFile(sql = ''): void {
  const older = new Database(join(dir, EMBEDDED_DB_FILE));
  older.pragma('page_size = 4096');
  older.pragma('journal_mode = WAL');
  if (sql) older.exec(sql);
  older.close();
}

describe('the embedded store file', () => {
  it('is created with 16 KiB pages, in WAL mode, checkpointed every 64 MiB', async () => {
    const store = EmbeddedGraphStore.open({ dataDir: dir });
    expect([pragma(store, 'page_size'), pragma(store, 'journal_mode'), pragma(store, 'wal_autocheckpoint')]).toEqual([
      16_384,
      'wal',
      WAL_CHECKPOINT_BYTES / 16_384,
    ]);
    await store.close();

    const reopened = new Database(join(dir, EMBEDDED_DB_FILE), { readonly: true });
    expect(reopened.pragma('page_size', { simple: true })).toBe(16_384);
    reopened.close();
  });

  it('made by an older release with 4 KiB pages keeps them and its data, and still checkpoints every 64 MiB', async () => {
    earlierBuildFile("CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('still here')");

    const store = EmbeddedGraphStore.open({ dataDir: dir });
    expect([pragma(store, 'page_size'), pragma(store, 'wal_autocheckpoint')]).toEqual([4096, WAL_CHECKPOINT_BYTES / 4096]);
    expect(store.db.prepare('SELECT v FROM kept').pluck().get()).toBe('still here');
    await store.close();
  });

  it('compacts into 16 KiB pages and is then as it was opened: WAL, its page cache, a checkpoint every 64 MiB', async () => {
    earlierBuildFile();
    const store = EmbeddedGraphStore.open({ dataDir: dir, cacheMb: 32 });
    const report = store.compact();
    expect([report.before.pageSize, report.after.pageSize]).toEqual([4096, 16_384]);
    expect(report.after.bytes % 16_384).toBe(0);
    expect([pragma(store, 'page_size'), pragma(store, 'journal_mode'), pragma(store, 'cache_size'), pragma(store, 'temp_store'), pragma(store, 'wal_autocheckpoint')]).toEqual([
      16_384,
      'wal',
      -32 * 1024,
      2,
      WAL_CHECKPOINT_BYTES / 16_384,
    ]);
    await store.close();
  });
});
