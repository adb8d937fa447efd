// Public API of the SQL push-down: compile a rule for PostgreSQL, DuckDB or MySQL/MariaDB, and load
// customers and events into the table layout the compiled SQL expects.
export { compileRuleToSql, type SqlCompileOptions, type CompiledSql } from './compile.js';
export {
  sqlSchemaFor,
  columnNameOf,
  type SqlSchema,
  type SqlSchemaOptions,
  type SqlAttributeColumn,
  type SqlCustomersTable,
  type SqlSetValuesTable,
  type SqlEventsTable,
} from './schema.js';
export { sqlDialects } from './dialect.js';
export { SqlPushdownError, type SqlPushdownErrorCode } from './errors.js';
export {
  createSqlTables,
  dropSqlTables,
  loadCustomersIntoSql,
  type SqlExecutor,
  type SqlCellKind,
  type SqlRowBatch,
  type SqlLoadOptions,
  type SqlLoadSummary,
} from './loader.js';
