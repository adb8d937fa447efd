// Public API of the columnar customer table. The column interfaces document the typed-array layout
// the segmentation engine reads directly.
export { ColumnarTable } from './columnar-table.js';
export type {
  ColumnarTableOptions,
  AttributeChange,
  UpsertResult,
  TableRow,
} from './columnar-table.js';
export { NULL_EPOCH_DAY, NULL_CODE, BOOLEAN_FALSE, BOOLEAN_TRUE, BOOLEAN_NULL } from './columns.js';
export type {
  TableColumn,
  NumberColumn,
  DateColumn,
  DictionaryColumn,
  SetColumn,
  BooleanColumn,
  NumberArray,
  CodeArray,
} from './columns.js';
export type { StringDictionary } from './string-dictionary.js';
export { testBit } from './bitmap.js';
export { TableError } from './errors.js';
export type { TableErrorCode } from './errors.js';
