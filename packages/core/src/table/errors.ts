// Errors of the columnar table. Codes are stable; messages say what was wrong and what to do.
import type { KequnErrorOptions } from '../kernel/errors.js';
import { KequnError } from '../kernel/errors.js';

export type TableErrorCode =
  | 'KQ_TABLE_UNKNOWN_COLUMN'
  | 'KQ_TABLE_DUPLICATE_COLUMN'
  | 'KQ_TABLE_ROW_OUT_OF_RANGE'
  | 'KQ_TABLE_OPTIONS_INVALID'
  | 'KQ_TABLE_READ_FAILED'
  | 'KQ_TABLE_COLUMN_KIND';

export class TableError extends KequnError {
  declare readonly code: TableErrorCode;

  constructor(code: TableErrorCode, message: string, options: KequnErrorOptions = {}) {
    super(code, message, options);
    this.name = 'TableError';
  }
}
