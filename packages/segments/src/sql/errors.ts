// Errors of the SQL push-down. Each names the rule node (`all[2].any[0]`) so a bank developer can
// find the part of the rule that cannot be pushed down, and says what to do about it.
import { KequnError } from '@kequn/core';

export type SqlPushdownErrorCode =
  | 'KQ_SQL_OPERATOR_WITHOUT_SQL'
  | 'KQ_SQL_OPERATOR_NOT_APPLICABLE'
  | 'KQ_SQL_INVALID_OPERAND'
  | 'KQ_SQL_UNMAPPED_ATTRIBUTE'
  | 'KQ_SQL_UNKNOWN_SEGMENT'
  | 'KQ_SQL_SEGMENT_CYCLE'
  | 'KQ_SQL_INVALID_SCHEMA'
  | 'KQ_SQL_INVALID_OPTIONS';

export class SqlPushdownError extends KequnError {
  /** The rule node at fault, e.g. `all[2].any[0]`; empty when the error is not about one node. */
  readonly path: string;

  constructor(code: SqlPushdownErrorCode, message: string, path = '') {
    super(code, message, { details: { path } });
    this.name = 'SqlPushdownError';
    this.path = path;
  }
}

/** A node path for messages: the root has none, so it is named. */
export function describePath(path: string): string {
  return path === '' ? 'the rule root' : `rule node ${path}`;
}
