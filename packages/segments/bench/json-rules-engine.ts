// The same segments evaluated with json-rules-engine (one engine run per customer, as it is used),
// for comparison with the fused pass. Segment references are inlined, dates become epoch days.
import { performance } from 'node:perf_hooks';
import { Engine, type NestedCondition, type TopLevelCondition } from 'json-rules-engine';
import { NULL_EPOCH_DAY, toEpochDay, type ColumnarTable } from '@kequn/core';
import { lastPeriodBounds, nextPeriodBounds, type Period, type Rule, type SegmentDefinition } from '@kequn/segments';

const comparison: Record<string, string> = { eq: 'equal', ne: 'notEqual', lt: 'lessThan', lte: 'lessThanInclusive', gt: 'greaterThan', gte: 'greaterThanInclusive', in: 'in', contains: 'contains', containsAny: 'containsAny', between: 'betweenInclusive' };

function operand(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return toEpochDay(value);
  return Array.isArray(value) ? value.map(operand) : value;
}

function convert(rule: Rule, segments: ReadonlyMap<string, Rule>, asOfDay: number): NestedCondition {
  if ('all' in rule) return { all: rule.all.map((child) => convert(child, segments, asOfDay)) };
  if ('any' in rule) return { any: rule.any.map((child) => convert(child, segments, asOfDay)) };
  if ('not' in rule) return { not: convert(rule.not, segments, asOfDay) };
  if ('segment' in rule) return convert(segments.get(rule.segment) ?? { any: [] }, segments, asOfDay);
  if (!('attribute' in rule)) throw new Error('json-rules-engine comparison: only attribute rules are benchmarked');
  const { attribute, op, value } = rule;
  if (op === 'isNull') return { fact: attribute, operator: 'equal', value: null };
  if (op === 'withinLast' || op === 'withinNext') {
    const { from, to } = op === 'withinLast' ? lastPeriodBounds(asOfDay, value as Period) : nextPeriodBounds(asOfDay, value as Period);
    return { fact: attribute, operator: 'betweenInclusive', value: [from, to] };
  }
  const operator = comparison[op];
  if (operator === undefined) throw new Error(`json-rules-engine comparison: no mapping for ${op}`);
  return { fact: attribute, operator, value: operand(value) as string };
}

function factsOf(table: ColumnarTable<unknown>, row: number, dateColumns: readonly string[]): Record<string, unknown> {
  const facts: Record<string, unknown> = table.row(row);
  for (const attribute of dateColumns) {
    const column = table.column(attribute);
    if (column.kind !== 'date') continue;
    const day = column.days[row] ?? NULL_EPOCH_DAY;
    facts[attribute] = day === NULL_EPOCH_DAY ? null : day;
  }
  return facts;
}

export async function runJsonRulesEngine(table: ColumnarTable<unknown>, segments: readonly SegmentDefinition[], customers: number): Promise<{ milliseconds: number; members: number }> {
  const asOfDay = toEpochDay(table.asOf);
  const byId = new Map(segments.map((segment) => [segment.id, segment.rule]));
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator('containsAny', (held: unknown, wanted: unknown) => Array.isArray(held) && Array.isArray(wanted) && wanted.some((member) => held.includes(member)));
  engine.addOperator('betweenInclusive', (value: unknown, bounds: unknown) => typeof value === 'number' && Array.isArray(bounds) && value >= Number(bounds[0]) && value <= Number(bounds[1]));
  for (const segment of segments) {
    const converted = convert(segment.rule, byId, asOfDay);
    const conditions: TopLevelCondition = 'all' in converted || 'any' in converted || 'not' in converted ? converted : { all: [converted] };
    engine.addRule({ name: segment.id, conditions, event: { type: segment.id } });
  }
  const dateColumns = table.attributeIds().filter((attribute) => table.column(attribute).kind === 'date');
  const facts = Array.from({ length: customers }, (_value, row) => factsOf(table, row, dateColumns));
  let members = 0;
  const start = performance.now();
  for (const customer of facts) members += (await engine.run(customer)).events.length;
  return { milliseconds: performance.now() - start, members };
}
