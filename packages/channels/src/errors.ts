// Errors of @kequn/channels. Each has a stable code and says what was wrong, where, and what to do.
import { KequnError } from '@kequn/core';

export type ChannelsErrorCode =
  | 'KQ_TEMPLATE_INVALID'
  | 'KQ_TEMPLATE_UNKNOWN'
  | 'KQ_TEMPLATE_DUPLICATE'
  | 'KQ_TEMPLATE_MISSING_VARIABLE'
  | 'KQ_OUTBOX_PAYLOAD_INVALID'
  | 'KQ_DISPATCHER_SETTINGS_INVALID'
  | 'KQ_DISPATCHER_NO_CHANNELS'
  | 'KQ_DISPATCHER_CLOSED'
  | 'KQ_DEAD_LETTER_NOT_FOUND';

export class ChannelsError extends KequnError {
  constructor(code: ChannelsErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details === undefined ? {} : { details });
    this.name = 'ChannelsError';
  }
}

/** A template names variables that the message does not provide. */
export class TemplateVariableMissingError extends ChannelsError {
  readonly templateId: string;
  readonly missing: readonly string[];

  constructor(templateId: string, locale: string, missing: readonly string[]) {
    super(
      'KQ_TEMPLATE_MISSING_VARIABLE',
      `Template "${templateId}" (${locale}) needs ${missing.map((name) => `{{${name}}}`).join(', ')}, which the message does not provide. ` +
        'Add them to the payload\'s `variables`, or make sure the customer record has them.',
      { templateId, locale, missing },
    );
    this.name = 'TemplateVariableMissingError';
    this.templateId = templateId;
    this.missing = missing;
  }
}

/** Zod issues as one line: `path: message; path: message`. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.')}: ${issue.message}`).join('; ');
}
