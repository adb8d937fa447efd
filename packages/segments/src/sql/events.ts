// Behavioural conditions over the events table. Both shapes compile to uncorrelated `IN (SELECT …
// GROUP BY … HAVING …)` semi-joins, which warehouses plan far better than a subquery per customer.
import { fromEpochDay } from '@kequn/core';
import { lastPeriodBounds } from '../calendar.js';
import type { EventAggregate, EventComparison, EventFilter, EventType, NoEventsCondition, Period } from '../rule.js';
import type { Compilation } from './context.js';
import { childPath, customerIdColumn } from './context.js';
import { SqlPushdownError } from './errors.js';
import { qualifiedTable } from './schema.js';

interface EventSelection {
  readonly type: EventType;
  readonly where?: EventFilter | undefined;
  readonly window: Period;
}

const filterFields = ['direction', 'channel', 'category', 'outcome'] as const;

/** `SELECT e.customer_id FROM events e WHERE <type, window and filters>`, binding as it goes. */
function selectEvents(compilation: Compilation, selection: EventSelection): string {
  const { schema, rules, params } = compilation;
  const { events } = schema;
  const column = (name: string): string => `e.${rules.quote(name)}`;
  const range = lastPeriodBounds(compilation.asOfDay, selection.window);
  const conditions = [
    `${column(events.type)} = ${params.bind(selection.type)}`,
    `${column(events.occurredOn)} BETWEEN ${params.date(fromEpochDay(range.from))} AND ${params.date(fromEpochDay(range.to))}`,
  ];
  for (const field of filterFields) {
    const accepted = selection.where?.[field];
    if (accepted === undefined) continue;
    // An event type without the field has NULL there, and NULL IN (…) never keeps a row.
    const placeholders = accepted.map((value) => params.bind(value));
    conditions.push(`${column(events[field])} IN (${placeholders.join(', ')})`);
  }
  const table = qualifiedTable(schema, events.table, rules);
  const where = conditions.join(' AND ');
  return `SELECT ${column(events.customerId)} FROM ${table} e WHERE ${where}`;
}

function measureOf(compilation: Compilation, aggregate: EventAggregate): string {
  const amount = `e.${compilation.rules.quote(compilation.schema.events.amount)}`;
  switch (aggregate.measure) {
    case 'count':
      return 'COUNT(*)';
    case 'sum':
      // Events without an amount (logins, contacts) add nothing; no amounts at all sum to 0.
      return `COALESCE(SUM(${amount}), 0)`;
    case 'avg':
      return `AVG(${amount})`;
  }
}

type Bounds = { readonly op: Exclude<EventComparison, 'between'>; readonly value: number } | {
  readonly op: 'between';
  readonly low: number;
  readonly high: number;
};

function boundsOf(aggregate: EventAggregate, path: string): Bounds {
  const { op, value } = aggregate;
  if (op === 'between' && Array.isArray(value)) return { op, low: value[0], high: value[1] };
  if (op !== 'between' && typeof value === 'number') return { op, value };
  const expected = op === 'between' ? 'a [low, high] pair' : 'a number';
  const at = childPath(path, 'events.value');
  throw new SqlPushdownError(
    'KQ_SQL_INVALID_OPERAND',
    `${at}: expected ${expected} for the events comparison "${op}", got ${JSON.stringify(value)}. Fix the value in the rule.`,
    at,
  );
}

const symbols = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function compare(compilation: Compilation, measure: string, bounds: Bounds): string {
  const { params } = compilation;
  if (bounds.op === 'between') return `${measure} BETWEEN ${params.number(bounds.low)} AND ${params.number(bounds.high)}`;
  return `${measure} ${symbols[bounds.op]} ${params.number(bounds.value)}`;
}

/** Whether a customer without matching events (count 0, sum 0) satisfies the comparison. */
function holdsForZero(bounds: Bounds): boolean {
  switch (bounds.op) {
    case 'between':
      return bounds.low <= 0 && 0 <= bounds.high;
    case 'eq':
      return bounds.value === 0;
    case 'ne':
      return bounds.value !== 0;
    case 'lt':
      return 0 < bounds.value;
    case 'lte':
      return 0 <= bounds.value;
    case 'gt':
      return 0 > bounds.value;
    case 'gte':
      return 0 >= bounds.value;
  }
}

function grouped(compilation: Compilation, aggregate: EventAggregate, having: (measure: string) => string): string {
  const customerId = `e.${compilation.rules.quote(compilation.schema.events.customerId)}`;
  const measure = measureOf(compilation, aggregate);
  return `${selectEvents(compilation, aggregate)} GROUP BY ${customerId} HAVING ${having(measure)}`;
}

/**
 * count and sum are never unknown: customers without events have 0, so when 0 satisfies the
 * comparison the customers *failing* it are excluded instead. avg of no amounts is NULL (unknown).
 */
export function compileEventAggregate(compilation: Compilation, aggregate: EventAggregate, path: string): string {
  const bounds = boundsOf(aggregate, path);
  const id = customerIdColumn(compilation);
  if (aggregate.measure === 'avg') {
    const passing = grouped(compilation, aggregate, (measure) => compare(compilation, measure, bounds));
    const failing = grouped(compilation, aggregate, (measure) => `NOT (${compare(compilation, measure, bounds)})`);
    return `CASE WHEN ${id} IN (${passing}) THEN TRUE WHEN ${id} IN (${failing}) THEN FALSE ELSE NULL END`;
  }
  if (holdsForZero(bounds)) {
    const failing = grouped(compilation, aggregate, (measure) => `NOT (${compare(compilation, measure, bounds)})`);
    return `${id} NOT IN (${failing})`;
  }
  const passing = grouped(compilation, aggregate, (measure) => compare(compilation, measure, bounds));
  return `${id} IN (${passing})`;
}

/** The events half of `noEvents`; the caller ANDs it with the universe, which carries any unknown. */
export function compileNoMatchingEvents(compilation: Compilation, condition: NoEventsCondition): string {
  return `${customerIdColumn(compilation)} NOT IN (${selectEvents(compilation, condition.noEvents)})`;
}
