// Errors of the campaign engine. Each has a stable code and a message that names what and where.
import { KequnError } from '@kequn/core';

export type CampaignErrorCode =
  | 'KQ_CAMPAIGN_PARAMETERS_INVALID'
  | 'KQ_CAMPAIGN_PLAN_FAILED'
  | 'KQ_CAMPAIGN_PLAN_INVALID'
  | 'KQ_CAMPAIGN_INPUT_INVALID'
  | 'KQ_CAMPAIGN_TYPE_UNKNOWN'
  | 'KQ_CAMPAIGN_UNKNOWN'
  | 'KQ_CAMPAIGN_EXISTS'
  | 'KQ_CAMPAIGN_TRANSITION'
  | 'KQ_CAMPAIGN_APPROVER'
  | 'KQ_CAMPAIGN_SEGMENT_UNKNOWN'
  | 'KQ_CAMPAIGN_NOT_RUNNING'
  | 'KQ_CAMPAIGN_SCHEMA_TOO_NEW';

export class CampaignError extends KequnError {
  constructor(code: CampaignErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(code, message, options);
    this.name = 'CampaignError';
  }
}

/** `parameters.threshold: expected number` — one line per issue, paths joined like the JSON. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], root: string): string {
  return issues
    .map((issue) => {
      const path = issue.path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`), root);
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
