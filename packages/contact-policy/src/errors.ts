// Errors of the contact policy. Each has a stable code and says what to fix.
import { KequnError } from '@kequn/core';

export type ContactPolicyErrorCode =
  | 'KQ_CONTACT_POLICY_SETTINGS_INVALID'
  | 'KQ_CONTACT_POLICY_CALENDAR_INVALID'
  | 'KQ_CONTACT_POLICY_REQUEST_INVALID';

export class ContactPolicyError extends KequnError {
  constructor(code: ContactPolicyErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details === undefined ? {} : { details });
    this.name = 'ContactPolicyError';
  }
}

export class ContactPolicySettingsError extends ContactPolicyError {
  constructor(problems: readonly string[]) {
    super(
      'KQ_CONTACT_POLICY_SETTINGS_INVALID',
      `createContactPolicy() was given invalid settings: ${problems.join('; ')}. Fix these fields and create the policy again.`,
      { problems },
    );
    this.name = 'ContactPolicySettingsError';
  }
}

export class HolidayCalendarError extends ContactPolicyError {
  constructor(problems: readonly string[]) {
    super(
      'KQ_CONTACT_POLICY_CALENDAR_INVALID',
      `The holiday calendar is invalid: ${problems.join('; ')}. Correct the holiday years and build the calendar again.`,
      { problems },
    );
    this.name = 'HolidayCalendarError';
  }
}

export class ContactRequestError extends ContactPolicyError {
  constructor(operation: string, problems: readonly string[]) {
    super(
      'KQ_CONTACT_POLICY_REQUEST_INVALID',
      `${operation} was given an invalid contact request: ${problems.join('; ')}. Fix the request and ask again.`,
      { problems },
    );
    this.name = 'ContactRequestError';
  }
}

/** `quietHours.byChannel.sms.start: expected HH:MM` — every problem names the field it is about. */
export function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    return field === '' ? issue.message : `${field}: ${issue.message}`;
  });
}
