// The versioned schema every store follows. Each store writes the SQL of each version in its own
// dialect; this catalogue is the single list of versions, so that SQLite and PostgreSQL cannot drift.
import { StoreSchemaTooNewError } from './errors.js';

export interface MigrationStep {
  version: number;
  name: string;
}

export const storeMigrations: readonly MigrationStep[] = Object.freeze([
  { version: 1, name: 'customers, organisation, products and events' },
  { version: 2, name: 'membership history and tier changes' },
  { version: 3, name: 'contact records, outbox, audit log and plugin state' },
  { version: 4, name: 'outbox dispatch life cycle: claims with leases, retries, dead letters' },
  { version: 5, name: 'customer documents keep monthly balances, consents and holdings as rows of values' },
  { version: 6, name: 'outbox claims read a partial index of the messages still to send, in the order they are claimed' },
]);

export const LATEST_SCHEMA_VERSION = storeMigrations.length;

/**
 * The migrations still to apply to a database at `currentVersion`, oldest first. Throws when the
 * database is newer than this code, since writing to it could lose what the newer code relies on.
 */
export function pendingMigrations<T extends MigrationStep>(
  location: string,
  currentVersion: number,
  available: readonly T[],
): T[] {
  const known = available.reduce((highest, step) => Math.max(highest, step.version), 0);
  if (currentVersion > known) throw new StoreSchemaTooNewError(location, currentVersion, known);
  return available.filter((step) => step.version > currentVersion).sort((a, b) => a.version - b.version);
}
