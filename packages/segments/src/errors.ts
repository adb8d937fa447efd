// Errors of the segmentation engine: each has a stable code and says what to change.
import { KequnError } from '@kequn/core';

export type SegmentErrorCode =
  | 'KQ_SEGMENT_RULE_INVALID'
  | 'KQ_SEGMENT_RULE_TOO_DEEP'
  | 'KQ_SEGMENT_CYCLE'
  | 'KQ_SEGMENT_UNKNOWN'
  | 'KQ_SEGMENT_DUPLICATE'
  | 'KQ_SEGMENT_CUSTOMER_UNKNOWN'
  | 'KQ_SEGMENT_NOT_EVALUATED'
  | 'KQ_SEGMENT_BACKEND_UNAVAILABLE'
  | 'KQ_SEGMENT_JSONLOGIC_UNSUPPORTED'
  | 'KQ_SEGMENT_BUILDER_INVALID';

export class SegmentError extends KequnError {
  declare readonly code: SegmentErrorCode;

  constructor(code: SegmentErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'SegmentError';
  }
}

/** One problem in a rule, at a path written like the JSON: `all[2].any[0].value`. */
export interface RuleIssue {
  readonly path: string;
  readonly message: string;
}

/** A rule that does not parse or does not type-check; `issues` lists every problem found. */
export class RuleError extends SegmentError {
  constructor(
    readonly issues: readonly RuleIssue[],
    where: string,
    code: 'KQ_SEGMENT_RULE_INVALID' | 'KQ_SEGMENT_RULE_TOO_DEEP' = 'KQ_SEGMENT_RULE_INVALID',
  ) {
    const listed = issues.map((issue) => `${issue.path || '(rule)'}: ${issue.message}`).join('; ');
    super(code, `${where} is invalid — ${listed}. Fix the rule at the path shown and define it again.`);
    this.name = 'RuleError';
  }
}

/** `["all", 2, "any", 0, "value"]` → `all[2].any[0].value`. */
export function formatRulePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}
