import type Database from 'better-sqlite3';
import { placeholders } from './sqlite-rows';

/**
 * An INSERT of many rows where the caller needs no outcome per row: `chunk` rows to a statement
 * (one `VALUES` list), the rest one at a time. A statement run costs a few microseconds beyond its
 * rows' own B-tree work (binding, stepping, resetting, the result object), which a batch of
 * hundreds of thousands of rows otherwise pays for each.
 */
export class ChunkedInsert {
  private readonly one: Database.Statement;
  private readonly many: Database.Statement;
  private readonly values: unknown[];

  /** `into` is the statement up to `VALUES`, e.g. `INSERT OR IGNORE INTO t (a, b)`; `width` its columns. */
  constructor(
    db: Database.Database,
    into: string,
    private readonly width: number,
    private readonly chunk: number,
  ) {
    const row = placeholders(width);
    this.one = db.prepare(`${into} VALUES ${row}`);
    this.many = db.prepare(`${into} VALUES ${new Array<string>(chunk).fill(row).join(', ')}`);
    this.values = new Array<unknown>(width * chunk);
  }

  /** Inserts the rows in their order; says how many the store added (an `OR IGNORE` may add fewer). */
  run(rows: readonly (readonly unknown[])[]): number {
    const { width, chunk, values } = this;
    const whole = rows.length - (rows.length % chunk);
    let changes = 0;
    for (let start = 0; start < whole; start += chunk) {
      for (let i = 0; i < chunk; i++) {
        const row = rows[start + i]!;
        for (let column = 0; column < width; column++) values[i * width + column] = row[column];
      }
      changes += this.many.run(values).changes;
    }
    for (let i = whole; i < rows.length; i++) changes += this.one.run(rows[i]).changes;
    return changes;
  }
}
