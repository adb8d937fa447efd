// @kequn/import: customers, holdings, events, managers and branches from CSV, JSON Lines and Parquet.
export {
  importFile,
  importCustomers,
  importHoldings,
  importEvents,
  importManagers,
  importBranches,
  type ImportOptions,
  type ImportProgress,
  type ImportSummary,
} from './importer.js';
export {
  columnMappingSchema,
  identityMapping,
  loadColumnMapping,
  parseColumnMapping,
  type ColumnMapping,
  type ColumnMappingInput,
} from './mapping.js';
export { importKinds, importKindSchema, holdingRowSchema, type HoldingRow, type ImportKind, type KindDefinition } from './kinds.js';
export { exportBank, groupThousands, type BankToExport, type ExportOptions, type ExportedFile } from './export-bank.js';
export { ImportMappingError, ImportSourceError } from './errors.js';
export { readAmount, readBoolean, readDate, readDateTime, CellProblem, type FieldType } from './values.js';
export { detectEncodingOf } from './encoding.js';
export type { SourceFormat } from './sources.js';
