// Errors of @kequn/dispatch-bullmq, each with a stable code and a message that says what to do.
import { KequnError } from '@kequn/core';

export type DispatchBullmqErrorCode = 'KQ_BULLMQ_SETTINGS_INVALID' | 'KQ_BULLMQ_WORKER_CONFIG_INVALID' | 'KQ_BULLMQ_WORKER_CLOSED';

export class DispatchBullmqError extends KequnError {
  constructor(code: DispatchBullmqErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details === undefined ? {} : { details });
    this.name = 'DispatchBullmqError';
  }
}
