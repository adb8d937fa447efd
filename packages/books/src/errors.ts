// Errors of the managed book. Each has a stable code and says what to do next.
import { KequnError } from '@kequn/core';

export type BookErrorCode =
  | 'KQ_BOOKS_SETTINGS_INVALID'
  | 'KQ_BOOKS_RUN_UNKNOWN'
  | 'KQ_BOOKS_RUN_STATE'
  | 'KQ_BOOKS_APPROVER_NOT_ALLOWED'
  | 'KQ_BOOKS_MANAGER_UNKNOWN'
  | 'KQ_BOOKS_CUSTOMER_UNKNOWN'
  | 'KQ_BOOKS_HANDOFF_UNKNOWN'
  | 'KQ_BOOKS_HANDOFF_STEP'
  | 'KQ_BOOKS_HANDOFF_ACTOR'
  | 'KQ_BOOKS_SCHEMA_TOO_NEW';

export class BookError extends KequnError {
  constructor(code: BookErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details === undefined ? {} : { details });
    this.name = 'BookError';
  }
}

export class BookSettingsError extends BookError {
  constructor(issues: string) {
    super('KQ_BOOKS_SETTINGS_INVALID', `The managed-book settings are invalid: ${issues}. Fix them in the "books" settings.`);
    this.name = 'BookSettingsError';
  }
}

export class AllocationRunUnknownError extends BookError {
  constructor(runId: string) {
    super('KQ_BOOKS_RUN_UNKNOWN', `No allocation run "${runId}" exists. List runs with bookService.allocationRuns().`, { runId });
    this.name = 'AllocationRunUnknownError';
  }
}

export class AllocationRunStateError extends BookError {
  constructor(runId: string, status: string, wanted: string) {
    super(
      'KQ_BOOKS_RUN_STATE',
      `Allocation run "${runId}" is ${status}; it must be ${wanted} for this step. Propose a new run if the book has changed.`,
      { runId, status, wanted },
    );
    this.name = 'AllocationRunStateError';
  }
}

export class ApproverNotAllowedError extends BookError {
  constructor(managerId: string, role: string | undefined, allowed: readonly string[]) {
    super(
      'KQ_BOOKS_APPROVER_NOT_ALLOWED',
      `"${managerId}" (${role ?? 'not a known manager'}) may not approve this; approvals need one of: ${allowed.join(', ')}.`,
      { managerId, role, allowed },
    );
    this.name = 'ApproverNotAllowedError';
  }
}

export class ManagerUnknownError extends BookError {
  constructor(managerId: string) {
    super('KQ_BOOKS_MANAGER_UNKNOWN', `No manager "${managerId}" is known to the book. Pass every manager to createBookService({ managers }).`, { managerId });
    this.name = 'ManagerUnknownError';
  }
}

export class CustomerUnknownError extends BookError {
  constructor(customerId: string) {
    super('KQ_BOOKS_CUSTOMER_UNKNOWN', `Customer "${customerId}" is not in the customer directory the book was given.`, { customerId });
    this.name = 'CustomerUnknownError';
  }
}

export class HandoffUnknownError extends BookError {
  constructor(caseId: string) {
    super('KQ_BOOKS_HANDOFF_UNKNOWN', `No hand-off case "${caseId}" exists. List cases with bookService.handoffs().`, { caseId });
    this.name = 'HandoffUnknownError';
  }
}

export class HandoffStepError extends BookError {
  constructor(caseId: string, status: string, step: string) {
    super(
      'KQ_BOOKS_HANDOFF_STEP',
      `Hand-off case "${caseId}" is ${status}; "${step}" is not a step it can take now. See docs/managed-books.md for the workflow.`,
      { caseId, status, step },
    );
    this.name = 'HandoffStepError';
  }
}

export class HandoffActorError extends BookError {
  constructor(caseId: string, step: string, actor: string, expected: string) {
    super(
      'KQ_BOOKS_HANDOFF_ACTOR',
      `"${actor}" cannot ${step} hand-off case "${caseId}": only ${expected} can.`,
      { caseId, step, actor, expected },
    );
    this.name = 'HandoffActorError';
  }
}

export class BookSchemaTooNewError extends BookError {
  constructor(found: number, known: number) {
    super(
      'KQ_BOOKS_SCHEMA_TOO_NEW',
      `The book tables are at schema version ${found}, but this @kequn/books knows versions up to ${known}. Upgrade @kequn/books.`,
      { found, known },
    );
    this.name = 'BookSchemaTooNewError';
  }
}
