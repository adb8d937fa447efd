// Errors a store throws. Each has a stable code and says what to do next.
import { KequnError } from '../kernel/errors.js';

/** The database was written by a newer Kequn than this one. */
export class StoreSchemaTooNewError extends KequnError {
  constructor(location: string, found: number, known: number) {
    super(
      'KQ_STORE_SCHEMA_TOO_NEW',
      `The store at ${location} is at schema version ${found}, but this Kequn knows versions up to ${known}. ` +
        'Upgrade the @kequn packages, or open a copy made before the upgrade.',
      { details: { location, found, known } },
    );
    this.name = 'StoreSchemaTooNewError';
  }
}

/** A migration failed; the migrations of that opening were rolled back together. */
export class StoreMigrationError extends KequnError {
  constructor(location: string, version: number, name: string, cause: unknown) {
    super(
      'KQ_STORE_MIGRATION_FAILED',
      `Migration ${version} (${name}) failed on ${location}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'Every migration of this opening was rolled back, so the store is at the version it had; fix the cause and open it again.',
      { cause, details: { location, version, name } },
    );
    this.name = 'StoreMigrationError';
  }
}

/** The store was closed and then used. */
export class StoreClosedError extends KequnError {
  constructor(kind: string) {
    super('KQ_STORE_CLOSED', `The ${kind} store is closed. Open a new one with the same location to go on.`);
    this.name = 'StoreClosedError';
  }
}

/** The database could not be reached or opened. */
export class StoreUnavailableError extends KequnError {
  constructor(location: string, cause: unknown) {
    super(
      'KQ_STORE_UNAVAILABLE',
      `Cannot open the store at ${location}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'Check that the database is running and the location (path or URL) is right.',
      { cause, details: { location } },
    );
    this.name = 'StoreUnavailableError';
  }
}

/** A store location string that names no known store. */
export class StoreLocationError extends KequnError {
  constructor(location: string) {
    super(
      'KQ_STORE_LOCATION_INVALID',
      `"${location}" is not a store location. Use sqlite:<path> (e.g. sqlite:./.kequn/kequn.db), ` +
        'postgres://user@host:5432/db, or memory:.',
      { details: { location } },
    );
    this.name = 'StoreLocationError';
  }
}
