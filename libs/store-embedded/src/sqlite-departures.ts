import type Database from 'better-sqlite3';
import type { EpochMs, GraphNode } from '@lineage/domain';
import type { SqliteGraphReader } from './sqlite-graph-reader';

/** A person whose `leftAt` a batch set, moved or cleared (null). */
export interface LeftAtChange {
  readonly personId: string;
  readonly leftAt: EpochMs | null;
}

/** How many departures a batch computes, at most, beyond its own leavers' (a late event can stale many). */
export const DEPARTURE_REFRESH_PER_BATCH = 8;

/**
 * Departures kept at write time. What a person's departure left them answering for (the domain's
 * `departureMembers`: the NHIs whose accountable human they were the instant before they left) is
 * a fact about the graph as it stood then, so the writer computes it once, in the batch that
 * records the leaving, and `orphanedBy` reads it instead of walking down from the person and
 * resolving every NHI there as of then. Only the "as of now" half is left to the query.
 *
 * A kept departure stays right because every write says from which instant it changes what the
 * rules see (`nodeChangeFrom`, `relationshipChangeFrom`): a batch whose changes start at or before `leftAt - 1` (a late
 * event, a placeholder defined after it was first named) marks the departures of everyone who left
 * after that instant stale, and a stale departure is read from the graph again until a batch has
 * computed it anew: its own leavers' first, then up to DEPARTURE_REFRESH_PER_BATCH more, latest
 * leavers first. Stores upgraded to this form start with every leaver stale (migration 12).
 */
export class SqliteDepartures {
  private readonly staleFrom: Database.Statement;
  private readonly record: Database.Statement;
  private readonly forget: Database.Statement;
  private readonly stale: Database.Statement;
  private readonly keep: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly reader: SqliteGraphReader,
  ) {
    this.staleFrom = db.prepare('UPDATE departures SET members = NULL WHERE left_at > ? AND members IS NOT NULL');
    this.record = db.prepare(
      'INSERT INTO departures (person_id, left_at, members) VALUES (?, ?, NULL) ON CONFLICT (person_id) DO UPDATE SET left_at = excluded.left_at, members = NULL',
    );
    this.forget = db.prepare('DELETE FROM departures WHERE person_id = ?');
    this.stale = db.prepare('SELECT person_id FROM departures WHERE members IS NULL ORDER BY left_at DESC LIMIT ?').pluck();
    this.keep = db.prepare('UPDATE departures SET members = ? WHERE person_id = ?');
  }

  /** Inside a batch's transaction, after its writes: `changedFrom` is the earliest instant they change for the rules. */
  afterWrite(changedFrom: EpochMs | null, leftAtChanges: readonly LeftAtChange[]): void {
    // A departure at leftAt reads the graph as of leftAt - 1.
    if (changedFrom !== null) this.staleFrom.run(changedFrom);
    for (const change of leftAtChanges) {
      if (change.leftAt === null) this.forget.run(change.personId);
      else this.record.run(change.personId, change.leftAt);
    }
    const due = new Set(leftAtChanges.filter((change) => change.leftAt !== null).map((change) => change.personId));
    for (const id of this.stale.all(DEPARTURE_REFRESH_PER_BATCH) as string[]) due.add(id);
    for (const person of this.reader.getNodes([...due])) this.compute(person);
  }

  private compute(person: GraphNode): void {
    const { members } = this.reader.departure(person);
    this.keep.run(JSON.stringify(members), person.id);
  }
}
