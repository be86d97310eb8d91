import type { Driver, SessionConfig } from 'neo4j-driver';
import { Neo4jSessions } from './neo4j-session';

/** A driver that only records the sessions asked of it (no server: the session's work is not run). */
function recordingDriver(configs: SessionConfig[]): Driver {
  const session = { executeRead: async () => undefined, executeWrite: async () => undefined, close: async () => undefined };
  return { session: (config: SessionConfig) => (configs.push(config), session) } as unknown as Driver;
}

describe('Neo4jSessions', () => {
  it('chains every read and write session through one bookmark manager, so a read sees the writes before it', async () => {
    const configs: SessionConfig[] = [];
    const sessions = new Neo4jSessions(recordingDriver(configs), 'lineage');
    await sessions.write(async () => undefined);
    await sessions.read(async () => undefined);
    await sessions.read(async () => undefined);

    expect(configs.map((c) => [c.database, c.defaultAccessMode])).toEqual([
      ['lineage', 'WRITE'],
      ['lineage', 'READ'],
      ['lineage', 'READ'],
    ]);
    const managers = new Set(configs.map((c) => c.bookmarkManager));
    expect(managers.size).toBe(1);
    expect([...managers][0]).toEqual(expect.objectContaining({ getBookmarks: expect.any(Function), updateBookmarks: expect.any(Function) }));
  });
});
