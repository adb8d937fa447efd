// @kequn/store-postgres: the production store.
export { openPostgresStore, DEFAULT_POSTGRES_URL, type PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { postgresMigrations, type PostgresMigration } from './migrations.js';
