import type { GraphStore } from '@lineage/domain';
import type { LineageConfig } from '@lineage/config';
import { EmbeddedGraphStore } from '@lineage/store-embedded';

/** Open the store the configuration names. The Neo4j adapter is loaded only when asked for. */
export async function openGraphStore(config: LineageConfig): Promise<GraphStore> {
  switch (config.LINEAGE_STORE) {
    case 'embedded':
      return EmbeddedGraphStore.open({ dataDir: config.LINEAGE_DATA_DIR, cacheMb: config.LINEAGE_SQLITE_CACHE_MB });
    case 'neo4j': {
      const { Neo4jGraphStore } = await import('@lineage/store-neo4j');
      return Neo4jGraphStore.connect({
        uri: config.NEO4J_URI!,
        user: config.NEO4J_USER,
        password: config.NEO4J_PASSWORD ?? '',
        ...(config.NEO4J_DATABASE ? { database: config.NEO4J_DATABASE } : {}),
      });
    }
  }
}
