import { pendingMigrations } from './schema-versions';

const migrations = [{ version: 1 }, { version: 2 }, { version: 4 }];

describe('pendingMigrations', () => {
  it('are the migrations not yet applied, in the order given', () => {
    expect(pendingMigrations([], migrations)).toEqual(migrations);
    expect(pendingMigrations([1, 4], migrations)).toEqual([{ version: 2 }]);
    expect(pendingMigrations([1, 2, 4], migrations)).toEqual([]);
  });

  it('refuse a store that a newer release has migrated, naming both versions', () => {
    expect(() => pendingMigrations([1, 2, 4, 5, 7], migrations)).toThrow(
      'the store has schema version 7, newer than this release knows (4): open it with the release that wrote it, or a later one',
    );
  });
});
