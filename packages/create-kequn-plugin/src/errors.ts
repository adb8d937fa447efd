// Errors of the scaffolder. Each has a stable code and a message that says what was wrong and what
// to type instead, because the reader is a developer at a terminal.
import { KequnError } from '@kequn/core';

export type ScaffoldErrorCode =
  | 'KQ_SCAFFOLD_ARGUMENTS_INVALID'
  | 'KQ_SCAFFOLD_NAME_INVALID'
  | 'KQ_SCAFFOLD_TYPE_UNKNOWN'
  | 'KQ_SCAFFOLD_TARGET_NOT_EMPTY'
  | 'KQ_SCAFFOLD_VERSIONS_UNKNOWN';

export class ScaffoldError extends KequnError {
  constructor(code: ScaffoldErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(code, message, options);
    this.name = 'ScaffoldError';
  }
}
