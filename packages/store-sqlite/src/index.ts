// @kequn/store-sqlite: the embedded default store.
export { openSqliteStore, DEFAULT_SQLITE_PATH, type SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { sqliteMigrations, type SqliteMigration } from './migrations.js';
