// Every error the kernel throws is a KequnError with a stable code, so that callers can branch on
// `error.code` and a bank developer reading the message knows what was wrong, where, and what to do.

export type KequnErrorCode =
  | 'KQ_MANIFEST_INVALID'
  | 'KQ_PLUGIN_DUPLICATE'
  | 'KQ_PLUGIN_UNKNOWN'
  | 'KQ_PLUGIN_ENGINE_INCOMPATIBLE'
  | 'KQ_PLUGIN_DEPENDENCY_CYCLE'
  | 'KQ_PLUGIN_DEPENDENCY_MISSING'
  | 'KQ_PLUGIN_DEPENDENCY_FAILED'
  | 'KQ_PLUGIN_ACTIVATION_FAILED'
  | 'KQ_PLUGIN_SETTINGS_INVALID'
  | 'KQ_PLUGIN_HOOK_FAILED'
  | 'KQ_PLUGIN_DISPOSE_TIMEOUT'
  | 'KQ_CONTRIBUTION_UNDECLARED'
  | 'KQ_CONTRIBUTION_DUPLICATE'
  | 'KQ_CONTRIBUTION_UNKNOWN'
  | 'KQ_CONTRIBUTION_POINT_UNKNOWN'
  | 'KQ_CONTRIBUTION_NOT_REGISTERED'
  | 'KQ_SERVICE_UNKNOWN'
  | 'KQ_SERVICE_DUPLICATE'
  | 'KQ_KERNEL_DISPOSED'
  | 'KQ_EVENT_LISTENER_FAILED'
  | 'KQ_CUSTOMERS_NOT_LOADED'
  | 'KQ_CUSTOMER_INVALID';

export interface KequnErrorOptions {
  cause?: unknown;
  pluginId?: string;
  hook?: string;
  contributionId?: string;
  details?: Record<string, unknown>;
}

export class KequnError extends Error {
  readonly code: string;
  readonly pluginId: string | undefined;
  readonly hook: string | undefined;
  readonly contributionId: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: KequnErrorCode | (string & {}),
    message: string,
    options: KequnErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KequnError';
    this.code = code;
    this.pluginId = options.pluginId;
    this.hook = options.hook;
    this.contributionId = options.contributionId;
    this.details = options.details;
  }
}

export function isKequnError(error: unknown, code?: string): error is KequnError {
  return error instanceof KequnError && (code === undefined || error.code === code);
}

/** The message of anything thrown, for building sentences around it. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
