import type { GraphStore } from '@lineage/domain';
import { EmbeddedGraphStore } from '@lineage/store-embedded';

/**
 * The stores the conformance suite runs against: always the embedded store; Neo4j when
 * NEO4J_URI (with NEO4J_USER, NEO4J_PASSWORD) is set. Test names carry the store's name.
 */
export interface StoreUnderTest {
  readonly name: string;
  readonly enabled: boolean;
  /** A fresh, empty store. */
  open(): Promise<GraphStore>;
}

const neo4jUri = process.env['NEO4J_URI'];

export const STORES: readonly StoreUnderTest[] = [
  { name: 'embedded', enabled: true, open: async () => EmbeddedGraphStore.open({ dataDir: ':memory:' }) },
  {
    name: 'neo4j',
    enabled: Boolean(neo4jUri),
    open: async () => {
      const { Neo4jGraphStore } = await import('@lineage/store-neo4j');
      const store = await Neo4jGraphStore.connect({
        uri: neo4jUri!,
        user: process.env['NEO4J_USER'] ?? 'neo4j',
        password: process.env['NEO4J_PASSWORD'] ?? '',
      });
      await store.clearForTests();
      return store;
    },
  },
];

let warned = false;
/** describe() for each store; a loud line when Neo4j is skipped for want of a server. */
export function describeEachStore(title: string, body: (open: () => Promise<GraphStore>) => void): void {
  for (const store of STORES) {
    if (!store.enabled && !warned) {
      warned = true;
      console.warn(
        `\n*** NEO4J_URI is not set: the conformance suite is SKIPPED on Neo4j and ran on the embedded store only. ***\n` +
          `*** Set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD to run it against a Neo4j 5 server. ***\n`,
      );
    }
    (store.enabled ? describe : describe.skip)(`[${store.name}] ${title}`, () => body(store.open));
  }
}
