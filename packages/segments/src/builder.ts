// The builder form: the flat JSON a rule-builder UI edits — groups with a combinator and a list
// of rows, each row a field, an operator and a value — converted to and from the rule AST.
import { z } from 'zod';
import { SegmentError } from './errors.js';
import { parseRule } from './parse.js';
import {
  eventComparisonSchema,
  eventFilterSchema,
  eventMeasureSchema,
  eventTypeSchema,
  operandSchema,
  type Operand,
  type Period,
  type Rule,
} from './rule.js';

/** Pseudo-fields for the rule nodes that are not attribute conditions. */
export const SEGMENT_FIELD = '@segment';
export const CUSTOMER_ID_FIELD = '@customerId';
export const EVENTS_FIELD = '@events';
export const NO_EVENTS_FIELD = '@noEvents';

const periodOperators = new Set(['withinLast', 'withinNext', 'anniversaryWithin']);

export const builderConditionSchema = z.strictObject({
  field: z.string().min(1),
  operator: z.string().min(1),
  value: operandSchema.optional(),
  /** For withinLast/withinNext/anniversaryWithin and event windows: the unit of `value` or `window`. */
  unit: z.enum(['days', 'months']).optional(),
  /** Behavioural rows: the event type, measure, window and filters, flat. */
  eventType: eventTypeSchema.optional(),
  measure: eventMeasureSchema.optional(),
  window: z.number().int().min(0).optional(),
  where: eventFilterSchema.optional(),
  get universe(): z.ZodOptional<typeof builderGroupSchema> {
    return builderGroupSchema.optional();
  },
});
export type BuilderCondition = z.infer<typeof builderConditionSchema>;

export const builderGroupSchema = z.strictObject({
  combinator: z.enum(['and', 'or']),
  not: z.boolean().optional(),
  get rules(): z.ZodArray<z.ZodUnion<[typeof builderGroupSchema, typeof builderConditionSchema]>> {
    return z.array(z.union([builderGroupSchema, builderConditionSchema]));
  },
});
export type BuilderGroup = z.infer<typeof builderGroupSchema>;
export type BuilderItem = BuilderGroup | BuilderCondition;

function period(amount: number, unit: 'days' | 'months' | undefined): Period {
  return unit === 'months' ? { months: amount } : { days: amount };
}

function periodParts(value: Period): { value: number; unit: 'days' | 'months' } {
  return 'days' in value ? { value: value.days, unit: 'days' } : { value: value.months, unit: 'months' };
}

function invalid(message: string): SegmentError {
  return new SegmentError('KQ_SEGMENT_BUILDER_INVALID', `${message}. Fix the builder row and convert again.`);
}

function itemToRule(item: BuilderItem): Rule {
  if ('combinator' in item) return groupToRule(item);
  const { field, operator, value, unit } = item;
  if (field === SEGMENT_FIELD) return { segment: String(value) };
  if (field === CUSTOMER_ID_FIELD) return { ids: Array.isArray(value) ? value.map(String) : [] };
  if (field === EVENTS_FIELD || field === NO_EVENTS_FIELD) return eventRowToRule(item);
  if (periodOperators.has(operator) && typeof value === 'number') return { attribute: field, op: operator, value: period(value, unit) };
  return value === undefined ? { attribute: field, op: operator } : { attribute: field, op: operator, value };
}

function eventRowToRule(item: BuilderCondition): Rule {
  if (item.eventType === undefined || item.window === undefined) throw invalid(`The ${item.field} row needs eventType and window`);
  const base = { type: item.eventType, window: period(item.window, item.unit), ...(item.where === undefined ? {} : { where: item.where }) };
  if (item.field === NO_EVENTS_FIELD) return { noEvents: { ...base, universe: groupToRule(item.universe ?? { combinator: 'and', rules: [] }) } };
  const op = eventComparisonSchema.safeParse(item.operator);
  if (!op.success || item.measure === undefined) throw invalid('An @events row needs a measure and a comparison operator (eq, lt, gte, between …)');
  return { events: { ...base, measure: item.measure, op: op.data, value: item.value as number | [number, number] } };
}

function groupToRule(group: BuilderGroup): Rule {
  const children = group.rules.map(itemToRule);
  const combined: Rule = group.combinator === 'and' ? { all: children } : { any: children };
  return group.not === true ? { not: combined } : combined;
}

/** Converts (and validates) a builder group into a rule. */
export function fromBuilder(input: unknown): Rule {
  const parsed = builderGroupSchema.safeParse(input);
  if (!parsed.success) throw invalid(`The builder form is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parseRule(groupToRule(parsed.data), { where: 'The rule from the builder' });
}

function ruleToItem(rule: Rule): BuilderItem {
  if ('all' in rule || 'any' in rule || 'not' in rule) return toBuilder(rule);
  if ('attribute' in rule) {
    const { attribute, op, value } = rule;
    if (periodOperators.has(op) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { field: attribute, operator: op, ...periodParts(value as Period) };
    }
    return value === undefined ? { field: attribute, operator: op } : { field: attribute, operator: op, value: value as Operand };
  }
  if ('segment' in rule) return { field: SEGMENT_FIELD, operator: 'in', value: rule.segment };
  if ('ids' in rule) return { field: CUSTOMER_ID_FIELD, operator: 'in', value: rule.ids };
  if ('events' in rule) {
    const { type, where, window, measure, op, value } = rule.events;
    const parts = periodParts(window);
    return { field: EVENTS_FIELD, operator: op, value, eventType: type, measure, window: parts.value, unit: parts.unit, ...(where === undefined ? {} : { where }) };
  }
  const { type, where, window, universe } = rule.noEvents;
  const parts = periodParts(window);
  return { field: NO_EVENTS_FIELD, operator: 'none', eventType: type, window: parts.value, unit: parts.unit, universe: toBuilder(universe), ...(where === undefined ? {} : { where }) };
}

/** Converts a rule into the builder form; the result is always a group (a lone condition is wrapped). */
export function toBuilder(rule: Rule): BuilderGroup {
  if ('not' in rule) {
    const inner = rule.not;
    if ('all' in inner || 'any' in inner) return { ...toBuilder(inner), not: true };
    return { combinator: 'and', not: true, rules: [ruleToItem(inner)] };
  }
  if ('all' in rule) return { combinator: 'and', rules: rule.all.map(ruleToItem) };
  if ('any' in rule) return { combinator: 'or', rules: rule.any.map(ruleToItem) };
  return { combinator: 'and', rules: [ruleToItem(rule)] };
}
