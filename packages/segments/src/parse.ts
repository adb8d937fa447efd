// Parsing rules at the edge: a depth guard first (so a hostile or runaway rule cannot exhaust the
// stack inside zod), then the schema, with issues reported at their JSON path.
import type { z } from 'zod';
import { DEFAULT_MAX_RULE_DEPTH, ruleSchema, segmentDefinitionSchema, type Rule, type SegmentDefinition } from './rule.js';
import { RuleError, formatRulePath, type RuleIssue } from './errors.js';

/** The nesting depth of a JSON value, counted without recursion; stops counting past `limit`. */
export function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === undefined || next.value === null || typeof next.value !== 'object') continue;
    deepest = Math.max(deepest, next.depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return deepest;
}

function issuesOf(error: z.ZodError, prefix: readonly PropertyKey[]): RuleIssue[] {
  return error.issues.map((issue) => ({ path: formatRulePath([...prefix, ...issue.path]), message: issue.message }));
}

export interface ParseOptions {
  /** Deepest JSON nesting accepted; a condition inside five groups is about depth 12. */
  maxDepth?: number;
  /** What the rule is, for the error message ("segment \"abcd.a\""). */
  where?: string;
}

function guardDepth(input: unknown, options: ParseOptions): void {
  const limit = options.maxDepth ?? DEFAULT_MAX_RULE_DEPTH * 2;
  const depth = depthOf(input, limit);
  if (depth <= limit) return;
  throw new RuleError(
    [{ path: '', message: `nested deeper than ${limit} levels; flatten the groups or raise maxDepth` }],
    options.where ?? 'The rule',
    'KQ_SEGMENT_RULE_TOO_DEEP',
  );
}

/** Validates untrusted JSON as a rule; throws RuleError listing every issue with its path. */
export function parseRule(input: unknown, options: ParseOptions = {}): Rule {
  guardDepth(input, options);
  const result = ruleSchema.safeParse(input);
  if (result.success) return result.data;
  throw new RuleError(issuesOf(result.error, []), options.where ?? 'The rule');
}

/** Validates untrusted JSON as a segment definition `{ id, label?, rule }`. */
export function parseSegmentDefinition(input: unknown, options: ParseOptions = {}): SegmentDefinition {
  guardDepth(input, options);
  const result = segmentDefinitionSchema.safeParse(input);
  if (result.success) return result.data;
  throw new RuleError(issuesOf(result.error, []), options.where ?? 'The segment definition');
}
