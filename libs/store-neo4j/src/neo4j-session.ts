import type { Driver, ManagedTransaction, Record as Neo4jRecord } from 'neo4j-driver';
import neo4j from 'neo4j-driver';
import { params } from './neo4j-values';

/** What the query helpers need of a transaction: `ManagedTransaction` satisfies it. */
export type QueryRunner = Pick<ManagedTransaction, 'run'>;

/**
 * Run one parameterised query and return its records. Every query of the adapter goes through
 * here, so integral numbers are always sent as Cypher INTEGERs.
 */
export async function run(
  tx: QueryRunner,
  query: string,
  parameters: Record<string, unknown> = {},
): Promise<Neo4jRecord[]> {
  const result = await tx.run(query, params(parameters));
  return result.records;
}

/**
 * Managed transactions on one database. `executeRead` / `executeWrite` retry transient errors
 * (deadlocks, leader switches), so a work function must be safe to run again: it keeps no state
 * outside itself. Sessions are closed in `finally`, whatever happens.
 */
export class Neo4jSessions {
  constructor(
    private readonly driver: Driver,
    private readonly database: string | undefined,
  ) {}

  async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(work);
    } finally {
      await session.close();
    }
  }

  async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(work);
    } finally {
      await session.close();
    }
  }
}
