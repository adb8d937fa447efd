// An independent, deliberately naive interpreter of the rule language over decoded values: the
// oracle the compiled back ends are checked against (three-valued logic spelled out case by case).
import { fromEpochDay, toEpochDay, type AttributeValue, type ColumnarTable, type CustomerEvent } from '@kequn/core';
import type { Condition, EventAggregate, Period, Rule } from '@kequn/segments';

type Tri = boolean | null;

function and(values: Tri[]): Tri {
  if (values.includes(false)) return false;
  return values.includes(null) ? null : true;
}

function or(values: Tri[]): Tri {
  if (values.includes(true)) return true;
  return values.includes(null) ? null : false;
}

function not(value: Tri): Tri {
  return value === null ? null : !value;
}

function shiftDays(asOf: string, period: Period, sign: 1 | -1): string {
  if ('days' in period) return fromEpochDay(toEpochDay(asOf) + sign * period.days);
  const [year, month, day] = asOf.split('-').map(Number) as [number, number, number];
  const index = year * 12 + month - 1 + sign * period.months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

function anniversary(value: string, asOf: string, days: number): boolean {
  for (let offset = 0; offset <= days; offset++) {
    const date = fromEpochDay(toEpochDay(asOf) + offset);
    const year = Number(date.slice(0, 4));
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    if (date.slice(5) === value.slice(5)) return true;
    if (!leap && date.slice(5) === '02-28' && value.slice(5) === '02-29') return true;
  }
  return false;
}

function scalar(op: string, value: AttributeValue, operand: unknown): boolean {
  const v = value as number | string | boolean;
  switch (op) {
    case 'eq':
      return v === operand;
    case 'lt':
      return v < (operand as number | string);
    case 'lte':
      return v <= (operand as number | string);
    case 'gt':
      return v > (operand as number | string);
    case 'gte':
      return v >= (operand as number | string);
    case 'between': {
      const [low, high] = operand as [number | string, number | string];
      return v >= low && v <= high;
    }
    case 'in':
      return (operand as unknown[]).includes(v);
    case 'startsWith':
      return String(v).startsWith(String(operand));
    default:
      throw new Error(`reference: no scalar operator ${op}`);
  }
}

function condition(rule: Condition, value: AttributeValue | null, asOf: string): Tri {
  const { op, value: operand } = rule;
  if (op === 'isNull') return value === null;
  if (op === 'isNotNull') return value !== null;
  if (value === null) return null;
  if (op === 'ne') return !scalar('eq', value, operand);
  if (op === 'notIn') return !scalar('in', value, operand);
  if (Array.isArray(value)) {
    const members = value as readonly string[];
    if (op === 'contains') return members.includes(String(operand));
    if (op === 'containsAny') return (operand as string[]).some((member) => members.includes(member));
    if (op === 'containsAll') return (operand as string[]).every((member) => members.includes(member));
    if (op === 'isEmpty') return members.length === 0;
  }
  if (op === 'withinLast') return String(value) >= shiftDays(asOf, operand as Period, -1) && String(value) <= asOf;
  if (op === 'withinNext') return String(value) >= asOf && String(value) <= shiftDays(asOf, operand as Period, 1);
  if (op === 'anniversaryWithin') return anniversary(String(value), asOf, (operand as { days: number }).days);
  return scalar(op, value, operand);
}

function filterOk(event: CustomerEvent, aggregate: Pick<EventAggregate, 'type' | 'where'>): boolean {
  if (event.type !== aggregate.type) return false;
  const where = aggregate.where ?? {};
  const record = event as Record<string, unknown>;
  const fields: [keyof typeof where, string][] = [['direction', 'direction'], ['channel', 'channel'], ['category', 'category'], ['outcome', 'outcome']];
  for (const [key, field] of fields) {
    const wanted = where[key];
    if (wanted === undefined) continue;
    if (key === 'category' && event.type !== 'transaction') return false;
    if (!(wanted as string[]).includes(String(record[field]))) return false;
  }
  return true;
}

function measure(events: readonly CustomerEvent[], aggregate: Pick<EventAggregate, 'type' | 'where' | 'window' | 'measure'>, asOf: string): number | null {
  const from = shiftDays(asOf, aggregate.window, -1);
  const picked = events.filter((event) => filterOk(event, aggregate) && event.occurredAt.slice(0, 10) >= from && event.occurredAt.slice(0, 10) <= asOf);
  const amounts = picked.map((event) => ('amount' in event ? event.amount : undefined)).filter((amount): amount is number => amount !== undefined);
  if (aggregate.measure === 'count') return picked.length;
  const sum = amounts.reduce((total, amount) => total + amount, 0);
  if (aggregate.measure === 'sum') return sum;
  return amounts.length === 0 ? null : sum / amounts.length;
}

export interface ReferenceContext {
  table: ColumnarTable<unknown>;
  asOf: string;
  eventsOf(row: number): readonly CustomerEvent[];
  segments: ReadonlyMap<string, Rule>;
}

export function referenceTruth(rule: Rule, row: number, context: ReferenceContext): Tri {
  if ('all' in rule) return and(rule.all.map((child) => referenceTruth(child, row, context)));
  if ('any' in rule) return or(rule.any.map((child) => referenceTruth(child, row, context)));
  if ('not' in rule) return not(referenceTruth(rule.not, row, context));
  if ('attribute' in rule) return condition(rule, context.table.value(row, rule.attribute), context.asOf);
  if ('ids' in rule) return rule.ids.includes(context.table.idAt(row));
  if ('segment' in rule) {
    const target = context.segments.get(rule.segment);
    return target !== undefined && referenceTruth(target, row, context) === true;
  }
  if ('events' in rule) {
    const value = measure(context.eventsOf(row), rule.events, context.asOf);
    if (value === null) return null;
    return condition({ attribute: 'x', op: rule.events.op, value: rule.events.value }, value, context.asOf);
  }
  const some = (measure(context.eventsOf(row), { ...rule.noEvents, measure: 'count' }, context.asOf) ?? 0) > 0;
  return some ? false : referenceTruth(rule.noEvents.universe, row, context);
}
