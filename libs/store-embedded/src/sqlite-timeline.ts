import type Database from 'better-sqlite3';
import { ChunkedInsert } from './sqlite-chunked-insert';

/**
 * How many timeline rows the recent level holds before the writer moves rows into the settled
 * one (`TimelineLevels`): about 25 MB, whose pages SQLite's cache keeps. A batch dirties
 * nearly every page of the recent level (~45 bytes a row), and of the settled level the share
 * its moved rows are of this size: a larger level costs more pages of its own and fewer
 * settled ones. At P = 10,000 (5.4 M rows, 13,500 settled pages of 16 KiB, ~47,000 rows a
 * 20,000-event batch) the sum is least near 500,000: ~2,600 pages a batch, where one B-tree
 * took ~9,300.
 */
export const TIMELINE_RECENT_ROWS = 500_000;

/**
 * One timeline row, in its key's column order: an event (by its sequence number) about an entity,
 * at the event's time. A tuple, as the insert binds it.
 */
export type TimelineRow = readonly [entityId: string, time: number, seq: number | bigint];

/** The timeline rows of an entity between two times, from both levels, under `alias`. */
export function timelineLevels(alias: string): readonly string[] {
  return [`entity_events ${alias}`, `entity_events_recent ${alias}`];
}

type TimelineKey = TimelineRow;

/** Before every key: entity ids are never empty. */
const FIRST_KEY: TimelineKey = ['', Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];

/**
 * The timeline (which events concern an entity) in two levels, a small merge tree of two
 * SQLite B-trees. Every event adds ~2.3 rows at entities all over the key space, and in one
 * large B-tree each of them dirtied its own page, written to the WAL at the commit and again by
 * the checkpoint: a quarter of every page an ingest batch wrote (docs/benchmarks.md). New rows go
 * to `entity_events_recent`, whose few pages stay in the cache and take many rows each; once it
 * holds more than `recentRows`, each batch moves the excess into `entity_events` as one
 * contiguous key range, in key order, continuing where the last move ended and wrapping around.
 * A full turn touches each settled page once for `recentRows` rows, not once per row.
 *
 * A row is in exactly one level: rows are only added by new events (a new sequence number each)
 * and a move deletes what it copies, in the same transaction. Readers ask both levels
 * (`timelineLevels`). The count and the position of the next move are this connection's, and
 * only decide how many rows move and which: with several processes writing one store, the
 * recent level holds up to `recentRows` for each, and after a batch that rolled back the count
 * may be high, which moves more rows than needed, never loses one.
 */
export class TimelineLevels {
  private readonly insertRecent: ChunkedInsert;
  private readonly boundary: Database.Statement;
  private readonly moveRange: Database.Statement;
  private readonly deleteRange: Database.Statement;
  private readonly moveRest: Database.Statement;
  private readonly deleteRest: Database.Statement;
  private readonly countRecent: Database.Statement;
  /** Rows in the recent level: counted at the first append, not at open (a store that only reads never needs it). */
  private recent: number | null = null;
  /** The first key the next move takes (inclusive). */
  private next: TimelineKey = FIRST_KEY;

  constructor(
    db: Database.Database,
    private readonly recentRows = TIMELINE_RECENT_ROWS,
  ) {
    const key = '(entity_id, time, seq)';
    this.insertRecent = new ChunkedInsert(db, 'INSERT OR IGNORE INTO entity_events_recent (entity_id, time, seq)', 3, 64);
    this.boundary = db
      .prepare(`SELECT entity_id, time, seq FROM entity_events_recent WHERE ${key} >= (?, ?, ?) ORDER BY entity_id, time, seq LIMIT 1 OFFSET ?`)
      .raw();
    const range = `${key} >= (?, ?, ?) AND ${key} < (?, ?, ?)`;
    const rest = `${key} >= (?, ?, ?)`;
    const move = (where: string) =>
      db.prepare(`INSERT OR IGNORE INTO entity_events (entity_id, time, seq)
                  SELECT entity_id, time, seq FROM entity_events_recent WHERE ${where} ORDER BY entity_id, time, seq`);
    this.moveRange = move(range);
    this.moveRest = move(rest);
    this.deleteRange = db.prepare(`DELETE FROM entity_events_recent WHERE ${range}`);
    this.deleteRest = db.prepare(`DELETE FROM entity_events_recent WHERE ${rest}`);
    this.countRecent = db.prepare('SELECT count(*) FROM entity_events_recent').pluck();
  }

  /** Adds rows (inside the batch's transaction), in key order, then moves any excess. */
  append(rows: readonly TimelineRow[]): void {
    const recent = (this.recent ?? (this.countRecent.get() as number)) + this.insertRecent.run(rows);
    this.recent = recent > this.recentRows ? recent - this.settle(recent - this.recentRows) : recent;
  }

  /** Moves `count` rows, the next key range after the last move's, into the settled level; says how many moved. */
  private settle(count: number): number {
    let left = count;
    while (left > 0) {
      const end = this.boundary.get(...this.next, left) as TimelineKey | undefined;
      const moved = end ? this.moveAndDelete(this.moveRange, this.deleteRange, [...this.next, ...end]) : this.moveAndDelete(this.moveRest, this.deleteRest, this.next);
      left -= moved;
      // Past the last key, the next move starts again at the first.
      this.next = end ?? FIRST_KEY;
      if (!end && moved === 0) break;
    }
    return count - left;
  }

  private moveAndDelete(move: Database.Statement, remove: Database.Statement, bounds: readonly unknown[]): number {
    move.run(...bounds);
    return remove.run(...bounds).changes;
  }
}
