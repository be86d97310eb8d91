/**
 * How every store decides which of its schema migrations to run when it opens. A store that
 * already holds a version this release does not know was migrated by a newer release, whose data
 * this one may misread: it is refused, with both versions named, rather than opened.
 */
export function pendingMigrations<M extends { readonly version: number }>(applied: Iterable<number>, migrations: readonly M[]): M[] {
  const done = new Set(applied);
  const newest = migrations.reduce((max, migration) => Math.max(max, migration.version), 0);
  const newer = [...done].filter((version) => version > newest);
  if (newer.length > 0) {
    throw new Error(
      `the store has schema version ${Math.max(...newer)}, newer than this release knows (${newest}): open it with the release that wrote it, or a later one`,
    );
  }
  return migrations.filter((migration) => !done.has(migration.version));
}
