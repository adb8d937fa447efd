// Errors of the attribute registry and of attribute values. Codes are stable; messages say what to do.
import type { KequnErrorOptions } from '../kernel/errors.js';
import { KequnError } from '../kernel/errors.js';

export type AttributeErrorCode =
  | 'KQ_ATTRIBUTE_INVALID'
  | 'KQ_ATTRIBUTE_DUPLICATE'
  | 'KQ_ATTRIBUTE_UNKNOWN'
  | 'KQ_ATTRIBUTE_VALUE_INVALID';

/** A KequnError, so callers that branch on `error.code` catch attribute errors the same way. */
export class AttributeError extends KequnError {
  declare readonly code: AttributeErrorCode;

  constructor(code: AttributeErrorCode, message: string, options: KequnErrorOptions = {}) {
    super(code, message, options);
    this.name = 'AttributeError';
  }
}
