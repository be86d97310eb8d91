import type { INestApplicationContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LineageConfig, LineageConfigModule } from '@lineage/config';
import { openGraphStore } from '@lineage/pipeline';
import type { CompactReport } from '@lineage/store-embedded';
import { EMBEDDED_DB_FILE, EmbeddedGraphStore } from '@lineage/store-embedded';
import { UsageError } from '../cli-errors';

/** What `compact` needs: the configuration. It opens the store itself, and only an existing embedded one. */
@Module({ imports: [LineageConfigModule] })
export class CompactCliModule {}

/** `compact`: rewrite the embedded store's file (`EmbeddedGraphStore.compact`). */
export async function compactStore(app: INestApplicationContext): Promise<CompactReport> {
  const config = app.get(LineageConfig);
  if (config.LINEAGE_STORE !== 'embedded') {
    throw new UsageError('compact rewrites the embedded store (LINEAGE_STORE=embedded); Neo4j manages its own storage');
  }
  if (!existsSync(join(config.LINEAGE_DATA_DIR, EMBEDDED_DB_FILE))) {
    throw new UsageError(`no store in LINEAGE_DATA_DIR (${config.LINEAGE_DATA_DIR}): nothing to compact`);
  }
  const store = await openGraphStore(config);
  try {
    // The configuration said embedded, so it is; the check narrows the type.
    if (!(store instanceof EmbeddedGraphStore)) throw new UsageError('compact rewrites the embedded store only');
    return store.compact();
  } finally {
    await store.close();
  }
}
