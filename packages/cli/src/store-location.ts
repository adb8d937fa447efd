// Where the CLI keeps what it must remember: the embedded SQLite file by default, PostgreSQL or
// memory when asked. Store packages load on demand, so a command that needs none opens none.
import { createMemoryStore, StoreLocationError, type KequnStore } from '@kequn/core';

/**
 * Opens the store a location names: `sqlite:<path>` (or a path ending .db), `postgres://…`,
 * `memory:`; nothing means the embedded default, ./.kequn/kequn.db. Store packages load on demand.
 */
export async function openStoreAt(location: string | undefined): Promise<KequnStore> {
  if (location === undefined || location === '' || location === 'sqlite:') {
    const { openSqliteStore } = await import('@kequn/store-sqlite');
    return openSqliteStore();
  }
  if (location === 'memory:') return createMemoryStore();
  if (/^postgres(ql)?:\/\//.test(location)) {
    const { openPostgresStore } = await import('@kequn/store-postgres');
    return openPostgresStore({ url: location });
  }
  const path = location.startsWith('sqlite:') ? location.slice('sqlite:'.length) : location;
  if (location.startsWith('sqlite:') || /\.(db|sqlite3?)$/i.test(path)) {
    const { openSqliteStore } = await import('@kequn/store-sqlite');
    return openSqliteStore({ path });
  }
  throw new StoreLocationError(location);
}
