import { DomainError } from '@lineage/domain';
import type { Driver, ManagedTransaction, Record as Neo4jRecord } from 'neo4j-driver';
import neo4j, { Neo4jError, isRetriableError } from 'neo4j-driver';
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
 * A failure the driver would have retried (server unreachable, leader lost, deadlock) that is
 * still failing once its retries are spent becomes the domain's UNAVAILABLE, which every
 * transport maps (HTTP 503, GraphQL SERVICE_UNAVAILABLE); anything else is rethrown as is.
 */
export function asUnavailable(error: unknown): unknown {
  if (error instanceof Neo4jError && isRetriableError(error)) {
    return new DomainError('UNAVAILABLE', `the Neo4j store is unavailable (${error.code}); retry later`);
  }
  return error;
}

/**
 * Managed transactions on one database. `executeRead` / `executeWrite` retry transient errors
 * (deadlocks, leader switches), so a work function must be safe to run again: it keeps no state
 * outside itself. Sessions are closed in `finally`, whatever happens.
 *
 * Every session shares one bookmark manager, so a read sees every write this process committed
 * before it (causal consistency). On a cluster a read may go to a member that has not applied the
 * last write yet: without the bookmarks, the offboarding plan read right after a leaver's batch
 * could be built from the graph before the leaver left, and plans are never built twice.
 */
export class Neo4jSessions {
  private readonly bookmarks = neo4j.bookmarkManager();

  constructor(
    private readonly driver: Driver,
    private readonly database: string | undefined,
  ) {}

  async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ, bookmarkManager: this.bookmarks });
    try {
      return await session.executeRead(work);
    } catch (error) {
      throw asUnavailable(error);
    } finally {
      await session.close();
    }
  }

  async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE, bookmarkManager: this.bookmarks });
    try {
      return await session.executeWrite(work);
    } catch (error) {
      throw asUnavailable(error);
    } finally {
      await session.close();
    }
  }
}
