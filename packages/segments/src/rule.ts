// The rule language: a JSON AST validated by zod. Every back end — the fused in-memory evaluator,
// explain, JsonLogic, the builder form and the SQL compilers — starts from these types.
//
// A rule is one of these nodes, each a single-key object so that error paths read like the JSON
// (`all[2].any[0].value`):
//   { all: Rule[] }             true when every child is true  (empty: true)
//   { any: Rule[] }             true when some child is true   (empty: false)
//   { not: Rule }               negation
//   { attribute, op, value? }   a condition on one attribute of the customer table
//   { segment: "id" }           membership of another segment (cycles are refused)
//   { ids: ["c1", …] }          a static list of customer ids
//   { events: { … } }           an aggregate over the customer's events in a rolling window
//   { noEvents: { … } }         "did not do X in the last N days", within an explicit universe
//
// NULL semantics are SQL's three-valued logic (see README.md, "NULL semantics"): a condition on a
// null attribute is unknown; all/any/not combine unknowns like SQL's AND/OR/NOT; a customer is a
// member only when the rule is true (unknown excludes, like WHERE). Only isNull/isNotNull see nulls.
import { z } from 'zod';
import { attributeIdSchema } from '@kequn/core';

/** Rules nest to any depth the builder needs, but not unboundedly: parsing stops at this depth. */
export const DEFAULT_MAX_RULE_DEPTH = 32;

// ── relative periods ──────────────────────────────────────────────────────────────────────────

/**
 * A span of time relative to the evaluation date (`asOf`). `{ days: 90 }` or `{ months: 3 }`.
 * Bounds are whole days, inclusive at both ends: "last 90 days" is asOf-90 … asOf, "next 30 days"
 * is asOf … asOf+30; months step by calendar month, clamping to the month's last day
 * (2026-03-31 minus 1 month is 2026-02-28). Use `periodBounds` (calendar.ts) to get the epoch days,
 * so the SQL compilers bind exactly the days the in-memory engine uses.
 */
export const periodSchema = z.union([
  z.strictObject({ days: z.number().int().min(0).max(36_600) }),
  z.strictObject({ months: z.number().int().min(0).max(1_200) }),
]);
export type Period = z.infer<typeof periodSchema>;

/** A period in days only: anniversaries look ahead day by day. */
export const dayPeriodSchema = z.strictObject({ days: z.number().int().min(0).max(366) });
export type DayPeriod = z.infer<typeof dayPeriodSchema>;

// ── conditions ────────────────────────────────────────────────────────────────────────────────

/** A scalar operand: numbers for number/money, ISO dates for date, strings for enum/string/set members. */
export const scalarOperandSchema = z.union([z.string(), z.number(), z.boolean()]);
export type ScalarOperand = z.infer<typeof scalarOperandSchema>;

/**
 * What a condition compares with. Which shape an operator takes is checked against the attribute
 * registry (typecheck.ts), with the error at `…value`:
 *   eq, ne                       scalar of the attribute's type (not for set)
 *   lt, lte, gt, gte             number (number, money) or ISO date (date)
 *   between                      [low, high], both inclusive, number or ISO date
 *   in, notIn                    array of scalars of the attribute's type (not for set, boolean)
 *   startsWith                   string (string and enum attributes)
 *   contains                     one member (set)
 *   containsAny, containsAll     array of members (set)
 *   isEmpty, isNull, isNotNull   no value
 *   withinLast, withinNext       Period (date)
 *   anniversaryWithin            DayPeriod (date): month-day falls on asOf … asOf+N; a 29 February
 *                                date has its anniversary on 28 February in common years
 *   <plugin operator id>         any JSON the plugin's `test(value, operand)` understands
 */
export const operandSchema = z.union([
  scalarOperandSchema,
  z.array(scalarOperandSchema),
  periodSchema,
  z.json(),
]);
export type Operand = z.infer<typeof operandSchema>;

export const builtInOperatorIds = [
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'in',
  'notIn',
  'startsWith',
  'contains',
  'containsAny',
  'containsAll',
  'isEmpty',
  'isNull',
  'isNotNull',
  'withinLast',
  'withinNext',
  'anniversaryWithin',
] as const;
export type BuiltInOperatorId = (typeof builtInOperatorIds)[number];

/** Operator ids: the built-ins above or a contributed operator's id (`acme.fuzzyName`). */
export const operatorIdSchema = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9]*([.-][a-zA-Z0-9]+)*$/, 'expected an operator id such as "gte" or "acme.nearBranch"');

export const conditionSchema = z.strictObject({
  attribute: attributeIdSchema,
  op: operatorIdSchema,
  value: operandSchema.optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

// ── behavioural conditions ────────────────────────────────────────────────────────────────────

export const eventTypeSchema = z.enum(['transaction', 'login', 'contact', 'purchase', 'maturity']);
export type EventType = z.infer<typeof eventTypeSchema>;

/**
 * Narrows the events counted. Each listed field keeps events whose value is one of those given;
 * an event type without that field (a login has no direction) never matches a filter on it.
 */
export const eventFilterSchema = z.strictObject({
  direction: z.array(z.enum(['in', 'out'])).min(1).optional(),
  channel: z.array(z.string().min(1)).min(1).optional(),
  /** Transaction category: transfer, payroll, consumption, settlement, other. */
  category: z.array(z.string().min(1)).min(1).optional(),
  /** Contact outcome: reached, no_answer, declined, interested, sold, opted_out. */
  outcome: z.array(z.string().min(1)).min(1).optional(),
});
export type EventFilter = z.infer<typeof eventFilterSchema>;

/** count and sum of no events are 0; avg of no events is null (unknown), as in SQL. */
export const eventMeasureSchema = z.enum(['count', 'sum', 'avg']);
export type EventMeasure = z.infer<typeof eventMeasureSchema>;

export const eventComparisonSchema = z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between']);
export type EventComparison = z.infer<typeof eventComparisonSchema>;

/**
 * `measure` of the events of `type` (matching `where`) dated within `window` (inclusive, relative to
 * asOf), compared with `value` (a number, or [low, high] for between). sum/avg use the event amount;
 * events without an amount (login, contact) count but add nothing to sum and are left out of avg.
 */
export const eventAggregateSchema = z.strictObject({
  type: eventTypeSchema,
  where: eventFilterSchema.optional(),
  window: periodSchema,
  measure: eventMeasureSchema,
  op: eventComparisonSchema,
  value: z.union([z.number(), z.tuple([z.number(), z.number()])]),
});
export type EventAggregate = z.infer<typeof eventAggregateSchema>;

// ── the recursive rule ────────────────────────────────────────────────────────────────────────

export const allSchema = z.strictObject({
  get all(): z.ZodArray<typeof ruleSchema> {
    return z.array(ruleSchema);
  },
});
export const anySchema = z.strictObject({
  get any(): z.ZodArray<typeof ruleSchema> {
    return z.array(ruleSchema);
  },
});
export const notSchema = z.strictObject({
  get not(): typeof ruleSchema {
    return ruleSchema;
  },
});

/** Membership of another segment of the same engine, by id. */
export const segmentReferenceSchema = z.strictObject({ segment: z.string().min(1) });

/** A static list of customer ids: true for listed customers, false for all others (never null). */
export const idListSchema = z.strictObject({ ids: z.array(z.string().min(1)) });

export const eventsConditionSchema = z.strictObject({ events: eventAggregateSchema });

/**
 * "Did not do X in the last N days": true when `universe` is true for the customer and no event of
 * `type` (matching `where`) is dated within `window`; false when such an event exists or the
 * universe is false; null when the universe is null. The universe makes the negation exact and
 * explicit — e.g. only customers whose events are loaded, or who opened their account before the
 * window began. Use `{ all: [] }` for "every customer".
 */
export const noEventsConditionSchema = z.strictObject({
  noEvents: z.strictObject({
    type: eventTypeSchema,
    where: eventFilterSchema.optional(),
    window: periodSchema,
    get universe(): typeof ruleSchema {
      return ruleSchema;
    },
  }),
});

export const ruleSchema = z.union([
  allSchema,
  anySchema,
  notSchema,
  conditionSchema,
  segmentReferenceSchema,
  idListSchema,
  eventsConditionSchema,
  noEventsConditionSchema,
]);
export type Rule = z.infer<typeof ruleSchema>;
export type AllRule = z.infer<typeof allSchema>;
export type AnyRule = z.infer<typeof anySchema>;
export type NotRule = z.infer<typeof notSchema>;
export type SegmentReference = z.infer<typeof segmentReferenceSchema>;
export type IdList = z.infer<typeof idListSchema>;
export type EventsCondition = z.infer<typeof eventsConditionSchema>;
export type NoEventsCondition = z.infer<typeof noEventsConditionSchema>;

/** A named rule. Segment ids are what `{ segment }` references and bitsets are keyed by. */
export const segmentDefinitionSchema = z.strictObject({
  id: z.string().min(1).max(128),
  label: z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) }).optional(),
  rule: ruleSchema,
});
export type SegmentDefinition = z.infer<typeof segmentDefinitionSchema>;

// ── node kinds, for switch statements in every back end ───────────────────────────────────────

export type RuleKind = 'all' | 'any' | 'not' | 'condition' | 'segment' | 'ids' | 'events' | 'noEvents';

/** The kind of a parsed rule node; back ends switch on it instead of probing keys themselves. */
export function ruleKind(rule: Rule): RuleKind {
  if ('all' in rule) return 'all';
  if ('any' in rule) return 'any';
  if ('not' in rule) return 'not';
  if ('attribute' in rule) return 'condition';
  if ('segment' in rule) return 'segment';
  if ('ids' in rule) return 'ids';
  if ('events' in rule) return 'events';
  return 'noEvents';
}

// ── contributed operators and SQL ─────────────────────────────────────────────────────────────

/** SQL dialects the push-down targets. */
export type SqlDialect = 'postgres' | 'mysql' | 'duckdb';

/**
 * What a contributed operator may add to core's `OperatorImplementation` ({ test(value, operand) })
 * so rules using it can be pushed down to SQL. The SQL compilers read it by duck typing.
 *
 * `sql` returns a boolean SQL expression over `column` (already quoted) that must be NULL when the
 * column is NULL (the in-memory engine never calls `test` with null: the condition is unknown).
 * Operands must go through `bind`, which returns a placeholder (`$3`, `?`) — never splice values.
 * Return undefined when the dialect is not supported; the compiler then refuses the rule.
 */
export interface SqlOperator {
  sql?(
    column: string,
    operand: unknown,
    context: { dialect: SqlDialect; bind(value: unknown): string },
  ): string | undefined;
}
