// Errors that stop an import before any row is read. Problems with single rows never throw: they
// go to the reject file.
import { KequnError } from '@kequn/core';

export class ImportMappingError extends KequnError {
  constructor(where: string, problems: readonly string[]) {
    super('KQ_IMPORT_MAPPING_INVALID', `The column mapping ${where} is not usable:\n- ${problems.join('\n- ')}`, {
      details: { where, problems },
    });
    this.name = 'ImportMappingError';
  }
}

export class ImportSourceError extends KequnError {
  constructor(source: string, reason: string, cause?: unknown) {
    super('KQ_IMPORT_SOURCE_UNREADABLE', `Cannot read ${source}: ${reason}`, { cause, details: { source, reason } });
    this.name = 'ImportSourceError';
  }
}
