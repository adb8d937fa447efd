// The storage port: repositories, transactions, migrations, and the in-memory store.
export * from './records.js';
export {
  MAX_PAGE_SIZE,
  pageLimit,
  scanAll,
  type AuditLogRepository,
  type ContactRecordRepository,
  type CustomerEventRepository,
  type CustomerRepository,
  type CustomerUpsertOptions,
  type EntityRepository,
  type KequnStore,
  type MembershipHistoryRepository,
  type OutboxClaim,
  type OutboxRepository,
  type OutboxSettleOptions,
  type OutboxSettlement,
  type OutboxStatusCounts,
  type PageOptions,
  type PluginStateRepository,
  type StoreKind,
  type StoreRepositories,
  type TierChangeRepository,
} from './port.js';
export {
  StoreClosedError,
  StoreLocationError,
  StoreMigrationError,
  StoreSchemaTooNewError,
  StoreUnavailableError,
} from './errors.js';
export { LATEST_SCHEMA_VERSION, pendingMigrations, storeMigrations, type MigrationStep } from './migrations.js';
export { createMemoryStore } from './memory-store.js';
export type { OutboxOutcome } from './outbox-lifecycle.js';
export { decodeCustomerDocument, encodeCustomerDocument, storedCustomerRow, type StoredCustomerRow } from './customer-document.js';
export { StoredStateStorage } from './state-storage.js';
export {
  conflictUpdates,
  createSqlRepositories,
  insertStatement,
  type BulkMode,
  type BulkValue,
  type BulkWrite,
  type SqlExecutor,
  type SqlRow,
  type SqlStore,
  type SqlStoreRepositories,
  type SqlValue,
} from './sql-repositories.js';
