// Server errors carry an HTTP status next to their stable code, and every error leaving the server
// becomes an RFC 9457 problem document. Errors the server did not anticipate are reported as 500
// without their message, so no internal detail (or personal data) leaks to the caller.
import { isKequnError, KequnError } from '@kequn/core';
import type { Problem } from '@kequn/api';

export type ServerErrorCode =
  | 'KQ_SERVER_UNAUTHENTICATED'
  | 'KQ_SERVER_FORBIDDEN'
  | 'KQ_SERVER_NOT_FOUND'
  | 'KQ_SERVER_INVALID_REQUEST'
  | 'KQ_SERVER_BODY_TOO_LARGE'
  | 'KQ_SERVER_RATE_LIMITED'
  | 'KQ_SERVER_DEV_MODE_OFF'
  | 'KQ_SERVER_EXPORT_TOO_LARGE'
  | 'KQ_SERVER_CONFLICT'
  | 'KQ_SERVER_CONFIG_INVALID'
  | 'KQ_SERVER_INTERNAL';

const titles: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Issue {
  path: string;
  message: string;
}

export class ServerError extends KequnError {
  readonly status: number;
  readonly issues: readonly Issue[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    code: ServerErrorCode,
    message: string,
    extra: { issues?: readonly Issue[]; retryAfterSeconds?: number } = {},
  ) {
    super(code, message);
    this.name = 'ServerError';
    this.status = status;
    this.issues = extra.issues;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

export const notFound = (what: string): ServerError =>
  new ServerError(
    404,
    'KQ_SERVER_NOT_FOUND',
    `${what} was not found or is outside your data scope.`,
  );

/** Known error codes of other packages that mean "the request was wrong", with their status. */
const clientErrorCodes: ReadonlyMap<string, number> = new Map([
  ['KQ_SEGMENT_RULE_INVALID', 422],
  ['KQ_SEGMENT_RULE_TOO_DEEP', 422],
  ['KQ_SEGMENT_UNKNOWN', 404],
  ['KQ_SEGMENT_DUPLICATE', 409],
  ['KQ_SEGMENT_CYCLE', 422],
  ['KQ_PLUGIN_UNKNOWN', 404],
  ['KQ_CONTRIBUTION_UNKNOWN', 404],
  ['KQ_CONTRIBUTION_NOT_REGISTERED', 404],
  ['KQ_BOOKS_APPROVER_NOT_ALLOWED', 403],
  ['KQ_BOOKS_HANDOFF_ACTOR', 403],
  ['KQ_BOOKS_HANDOFF_STEP', 409],
  ['KQ_BOOKS_RUN_STATE', 409],
  ['KQ_CAMPAIGN_INPUT_INVALID', 422],
  ['KQ_CAMPAIGN_PARAMETERS_INVALID', 422],
  ['KQ_CAMPAIGN_PLAN_FAILED', 422],
  ['KQ_CAMPAIGN_PLAN_INVALID', 422],
  ['KQ_CAMPAIGN_TYPE_UNKNOWN', 422],
  ['KQ_CAMPAIGN_SEGMENT_UNKNOWN', 422],
  ['KQ_CAMPAIGN_UNKNOWN', 404],
  ['KQ_CAMPAIGN_EXISTS', 409],
  ['KQ_CAMPAIGN_TRANSITION', 409],
  ['KQ_CAMPAIGN_NOT_RUNNING', 409],
  // Four eyes: the creator may not approve; another person must (403, not a state conflict).
  ['KQ_CAMPAIGN_APPROVER', 403],
]);

function issuesOf(error: unknown): Issue[] | undefined {
  const issues = (error as { issues?: unknown }).issues;
  if (!Array.isArray(issues)) return undefined;
  return issues
    .filter(
      (issue): issue is { path: unknown; message: unknown } =>
        typeof issue === 'object' && issue !== null,
    )
    .map((issue) => ({ path: String(issue.path), message: String(issue.message) }))
    .slice(0, 50);
}

/** The problem document for any thrown value. */
export function problemFor(error: unknown, instance: string): Problem {
  if (error instanceof ServerError) {
    return problem(error.status, error.code, error.message, instance, error.issues);
  }
  if (isKequnError(error)) {
    const status = clientErrorCodes.get(error.code) ?? (/_UNKNOWN$/.test(error.code) ? 404 : 500);
    if (status < 500)
      return problem(status, normaliseCode(error.code), error.message, instance, issuesOf(error));
  }
  return problem(
    500,
    'KQ_SERVER_INTERNAL',
    'The server could not complete the request; the failure was logged.',
    instance,
  );
}

function normaliseCode(code: string): string {
  return /^KQ_[A-Z0-9_]+$/.test(code) ? code : 'KQ_SERVER_INTERNAL';
}

export function problem(
  status: number,
  code: string,
  detail: string,
  instance: string,
  issues?: readonly Issue[],
): Problem {
  return {
    type: `https://kequn.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    instance,
    code,
    ...(issues === undefined || issues.length === 0 ? {} : { issues: [...issues] }),
  };
}
