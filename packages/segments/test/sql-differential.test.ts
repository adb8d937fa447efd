// Differential tests of the SQL push-down: for random rules over a small synthetic bank, the
// in-memory engine, DuckDB, PostgreSQL and MariaDB must return the same members — NULLs,
// negation, segment references and behavioural conditions included.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributeDefinition, AttributeSource, AttributeValue, ColumnarTable, Customer, CustomerEvent } from '@kequn/core';
import { createSyntheticBank, createTestKernel, type SyntheticBank, type TestKernel } from '@kequn/testing';
import { createSegmentEngine, EventStore, tableAttributes } from '../src/index.js';
import type { EventFilter, EventType, Rule, SegmentDefinition, SqlDialect } from '../src/rule.js';
import { compileRuleToSql, createSqlTables, loadCustomersIntoSql, sqlSchemaFor, type SqlSchema } from '../src/sql/index.js';
import { dropNamespace, openTestDatabases, uniqueNamespace, type TestDatabase } from './sql-services.js';

const customerCount = 2_000;
const seed = 20_261_031;
const asOf = '2026-10-31';
/** Events from this day on are loaded: enough for every window the rules use, and quick to insert. */
const firstEventDay = '2026-08-01';
const runsPerDialect = 50;

interface AttributeSample {
  readonly definition: AttributeDefinition;
  /** Distinct non-null values seen in the table (set members for sets). */
  readonly values: readonly AttributeValue[];
}

function sampleAttributes(table: ColumnarTable<unknown>): AttributeSample[] {
  return table.attributeIds().map((id) => {
    const seen = new Map<string, AttributeValue>();
    for (let index = 0; index < table.size && seen.size < 40; index += 7) {
      const value = table.value(index, id);
      if (value === null) continue;
      for (const single of Array.isArray(value) ? value : [value]) seen.set(JSON.stringify(single), single);
    }
    return { definition: table.column(id).definition, values: [...seen.values()] };
  });
}

function shiftDate(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function pick<T>(values: readonly T[]): fc.Arbitrary<T> {
  return fc.constantFrom(...values);
}

function numberOperand(sample: AttributeSample): fc.Arbitrary<number> {
  const seen = sample.values.filter((value): value is number => typeof value === 'number');
  const round = fc.constantFrom(0, 1, 5, 18, 35, 60, 1_000, 10_000, 50_000, 500_000);
  return seen.length === 0 ? round : fc.oneof(pick(seen), round);
}

function dateOperand(sample: AttributeSample): fc.Arbitrary<string> {
  const seen = sample.values.filter((value): value is string => typeof value === 'string');
  const base = seen.length === 0 ? fc.constant(asOf) : pick(seen);
  return fc.tuple(base, fc.constantFrom(0, 0, -1, 1, -40, 30)).map(([date, offset]) => shiftDate(date, offset));
}

function textOperand(sample: AttributeSample): fc.Arbitrary<string> {
  const seen = sample.values.filter((value): value is string => typeof value === 'string');
  const declared = (sample.definition.values ?? []).map((option) => option.value);
  const known = [...seen, ...declared];
  return known.length === 0 ? fc.constant('none') : pick(known);
}

function scalarOperand(sample: AttributeSample): fc.Arbitrary<string | number | boolean> {
  switch (sample.definition.type) {
    case 'number':
    case 'money':
      return numberOperand(sample);
    case 'date':
      return dateOperand(sample);
    case 'boolean':
      return fc.boolean();
    default:
      return textOperand(sample);
  }
}

const period = fc.oneof(
  fc.record({ days: fc.constantFrom(0, 1, 7, 30, 90, 365, 3_650) }),
  fc.record({ months: fc.constantFrom(1, 3, 12, 120) }),
);

/** Bounds low first, mostly: reversed bounds match nothing, which is a dull case to draw often. */
function ordered<T extends string | number | boolean>(scalar: fc.Arbitrary<T>): fc.Arbitrary<[T, T]> {
  return fc.tuple(scalar, scalar, fc.nat({ max: 9 })).map(([low, high, draw]) => (draw === 0 || low <= high ? [low, high] : [high, low]));
}

function conditionOf(sample: AttributeSample): fc.Arbitrary<Rule> {
  const attribute = sample.definition.id;
  const nullChecks = fc.record({ attribute: fc.constant(attribute), op: fc.constantFrom('isNull', 'isNotNull') });
  const scalar = scalarOperand(sample);
  const compare = (ops: readonly string[]): fc.Arbitrary<Rule> =>
    fc.record({ attribute: fc.constant(attribute), op: pick(ops), value: scalar });
  // The engine lowers a number or date `in []` to FALSE even for nulls; text lists may be empty.
  const minimumList = sample.definition.type === 'enum' || sample.definition.type === 'string' ? 0 : 1;
  const list = fc.record({
    attribute: fc.constant(attribute),
    op: fc.constantFrom('in', 'notIn'),
    value: fc.array(scalar, { minLength: minimumList, maxLength: 4 }),
  });
  switch (sample.definition.type) {
    case 'number':
    case 'money':
      return fc.oneof(
        compare(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']),
        fc.record({ attribute: fc.constant(attribute), op: fc.constant('between'), value: ordered(scalar) }),
        list,
        nullChecks,
      );
    case 'date':
      return fc.oneof(
        compare(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']),
        fc.record({ attribute: fc.constant(attribute), op: fc.constant('between'), value: ordered(scalar) }),
        list,
        fc.record({ attribute: fc.constant(attribute), op: fc.constantFrom('withinLast', 'withinNext'), value: period }),
        fc.record({
          attribute: fc.constant(attribute),
          op: fc.constant('anniversaryWithin'),
          value: fc.record({ days: fc.constantFrom(0, 6, 30, 120, 366) }),
        }),
        nullChecks,
      );
    case 'enum':
    case 'string':
      return fc.oneof(
        compare(['eq', 'ne']),
        list,
        fc.record({
          attribute: fc.constant(attribute),
          op: fc.constant('startsWith'),
          value: textOperand(sample).chain((text) => fc.nat({ max: text.length }).map((length) => text.slice(0, length))),
        }),
        nullChecks,
      );
    case 'boolean':
      return fc.oneof(compare(['eq', 'ne']), nullChecks);
    case 'set': {
      const member = textOperand(sample);
      return fc.oneof(
        fc.record({ attribute: fc.constant(attribute), op: fc.constant('contains'), value: member }),
        fc.record({
          attribute: fc.constant(attribute),
          op: fc.constantFrom('containsAny', 'containsAll'),
          value: fc.array(member, { maxLength: 3 }),
        }),
        fc.record({ attribute: fc.constant(attribute), op: fc.constant('isEmpty') }),
        nullChecks,
      );
    }
  }
}

const eventTypes: readonly EventType[] = ['transaction', 'login', 'contact', 'purchase', 'maturity'];

const channels = ['mobile', 'online', 'counter', 'pos', 'sms', 'phone', 'wecom'];

/** Mostly filters the event type has; now and then one it lacks, which must match no event. */
function eventFilter(type: EventType): fc.Arbitrary<EventFilter> {
  const direction = fc.subarray(['in', 'out'] as const, { minLength: 1 });
  const channel = fc.subarray(channels, { minLength: 1, maxLength: 3 });
  const category = fc.subarray(['transfer', 'payroll', 'consumption', 'settlement', 'other'], { minLength: 1, maxLength: 3 });
  const outcome = fc.subarray(['reached', 'no_answer', 'interested', 'sold', 'declined'], { minLength: 1, maxLength: 3 });
  const fitting: Record<EventType, fc.Arbitrary<EventFilter>> = {
    transaction: fc.record({ direction, channel, category }, { requiredKeys: [] }),
    login: fc.record({ channel }, { requiredKeys: [] }),
    contact: fc.record({ channel, outcome }, { requiredKeys: [] }),
    purchase: fc.constant({}),
    maturity: fc.constant({}),
  };
  const anyField = fc.record({ direction, channel, category, outcome }, { requiredKeys: [] });
  return fc.oneof({ weight: 5, arbitrary: fitting[type] }, { weight: 1, arbitrary: anyField });
}

function withFilter<T extends { type: EventType }>(selection: fc.Arbitrary<T>): fc.Arbitrary<T & { where?: EventFilter }> {
  return selection.chain((chosen) =>
    fc.option(eventFilter(chosen.type), { nil: undefined }).map((where) => (where === undefined ? chosen : { ...chosen, where })),
  );
}

const eventWindow = fc.oneof(fc.record({ days: fc.constantFrom(0, 7, 30, 45, 120) }), fc.record({ months: fc.constantFrom(1, 2, 6) }));

/** Thresholds away from exact sums, so float summation order cannot decide a case. */
const eventsRule: fc.Arbitrary<Rule> = withFilter(
  fc.record({
    type: pick(eventTypes),
    window: eventWindow,
    measure: fc.constantFrom('count', 'sum', 'avg'),
    op: fc.constantFrom('eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between'),
    count: fc.integer({ min: 0, max: 40 }),
    amount: fc.constantFrom(0, 99.995, 1_000.005, 20_000.005),
  }),
).map(({ count, amount, ...aggregate }) => {
  const threshold = aggregate.measure === 'count' ? count : amount;
  const value: number | [number, number] = aggregate.op === 'between' ? [threshold, threshold * 3 + 1] : threshold;
  return { events: { ...aggregate, value } };
});

function ruleArbitrary(samples: readonly AttributeSample[], ids: readonly string[], segmentIds: readonly string[]): fc.Arbitrary<Rule> {
  const conditions = samples.map(conditionOf);
  const leaf: fc.Arbitrary<Rule> = fc.oneof(
    { weight: 8, arbitrary: fc.oneof(...conditions) },
    { weight: 1, arbitrary: fc.record({ ids: fc.subarray([...ids], { maxLength: 30 }) }) },
    { weight: 1, arbitrary: fc.record({ segment: pick(segmentIds) }) },
    { weight: 2, arbitrary: eventsRule },
  );
  const { rule } = fc.letrec<{ rule: Rule }>((tie) => ({
    rule: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: leaf },
      { weight: 2, arbitrary: fc.record({ all: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }) },
      { weight: 2, arbitrary: fc.record({ any: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }) },
      { weight: 2, arbitrary: fc.record({ not: tie('rule') }) },
      { weight: 1, arbitrary: fc.constantFrom<Rule>({ all: [] }, { any: [] }) },
      {
        weight: 1,
        arbitrary: withFilter(fc.record({ type: pick(eventTypes), window: eventWindow, universe: tie('rule') })).map(
          (noEvents) => ({ noEvents }),
        ),
      },
    ),
  }));
  return rule;
}

/** Segments the random rules reference; their rules involve nulls, so membership must collapse unknown to "not a member". */
const referencedSegments: SegmentDefinition[] = [
  { id: 'payroll-earners', rule: { attribute: 'behaviour.payrollMonthlyAmount', op: 'gte', value: 8_000 } },
  { id: 'not-risk-averse', rule: { not: { attribute: 'riskProfile', op: 'in', value: ['C1', 'C2'] } } },
  { id: 'mid-or-above', rule: { any: [{ attribute: 'assets.averageDailyAum3m', op: 'gte', value: 50_000 }, { segment: 'payroll-earners' }] } },
];

let kit: TestKernel | undefined;
let table: ColumnarTable<Customer>;
let databases = new Map<SqlDialect, TestDatabase>();
let schema: SqlSchema;
let samples: AttributeSample[];
let customerIds: string[];
let eventStore: EventStore;
const ruleUnderTest = 'rule-under-test';
const namespace = uniqueNamespace();

function eventsOfBank(bank: SyntheticBank): CustomerEvent[] {
  const events: CustomerEvent[] = [];
  for (let index = 0; index < customerCount; index++) {
    for (const event of bank.eventsOf(index)) if (event.occurredAt.slice(0, 10) >= firstEventDay) events.push(event);
  }
  return events;
}

const label = (text: string): { 'zh-CN': string; en: string } => ({ 'zh-CN': text, en: text });

/** The last digit of a customer id, to spread nulls and empty sets deterministically. */
function digitOf(customer: Customer): number {
  return Number(customer.id.slice(-1));
}

/**
 * Attributes a bank registers at run time. The built-in sets are never null in the synthetic bank;
 * these give null sets, empty sets and null numbers and strings, so NULL semantics are exercised.
 */
const bankAttributes: AttributeSource<Customer>[] = [
  {
    id: 'bank.savingsGoals',
    type: 'set',
    label: label('储蓄目标'),
    piClass: 'C1',
    values: ['education', 'retirement', 'housing', 'travel'].map((value) => ({ value, label: label(value) })),
    read: (customer) => {
      const digit = digitOf(customer);
      if (digit < 3) return null;
      if (digit < 5) return [];
      return digit % 2 === 0 ? ['education', 'housing'] : ['retirement'];
    },
  },
  {
    id: 'bank.reviewScore',
    type: 'number',
    label: label('评估分'),
    piClass: 'C1',
    read: (customer) => (digitOf(customer) === 0 ? null : customer.holdings.length * 10 + digitOf(customer)),
  },
  {
    id: 'bank.campaignCode',
    type: 'string',
    label: label('活动代码'),
    piClass: 'C1',
    read: (customer) => (digitOf(customer) % 3 === 0 ? null : `Q${digitOf(customer) % 4}-${customer.branchId}`),
  },
];

beforeAll(async () => {
  const testKernel = await createTestKernel({ plugins: [], seed, asOf });
  kit = testKernel;
  for (const source of bankAttributes) testKernel.model.attributes.register(source, { owner: 'sql-differential-test' });
  const bank = createSyntheticBank({ seed, customers: customerCount, asOf });
  table = await testKernel.model.load(bank.customers(), { asOf });
  samples = sampleAttributes(table);
  customerIds = Array.from({ length: 60 }, (_, position) => table.idAt(position * 31));
  schema = sqlSchemaFor(samples.map((sample) => sample.definition), { namespace });
  const events = eventsOfBank(bank);
  eventStore = EventStore.build(table, events);
  databases = await openTestDatabases();
  for (const database of databases.values()) {
    await createSqlTables(database, schema);
    await loadCustomersIntoSql(database, { schema, table, events });
  }
});

afterAll(async () => {
  for (const database of databases.values()) {
    await dropNamespace(database, namespace);
    database.close();
  }
  await kit?.dispose();
});

async function membersInSql(database: TestDatabase, rule: Rule): Promise<string[]> {
  const { sql, params } = compileRuleToSql(rule, { dialect: database.dialect, schema, asOf, segments: referencedSegments });
  return (await database.memberIds(sql, params)).sort();
}

/** The engine's answer: the rule as one more segment beside those it may reference. */
function membersInMemory(rule: Rule): string[] {
  const engine = createSegmentEngine({
    segments: [...referencedSegments, { id: ruleUnderTest, rule }],
    attributes: tableAttributes(table),
    events: eventStore,
  });
  const members = engine.evaluate(table, { asOf }).get(ruleUnderTest);
  if (members === undefined) throw new Error('the engine returned no membership for the rule under test');
  return [...members].map((index) => table.idAt(index)).sort();
}

describe('SQL push-down agrees with the in-memory engine', () => {
  it('loads every customer into each database', async () => {
    for (const database of databases.values()) {
      expect(await membersInSql(database, { all: [] }), database.name).toHaveLength(customerCount);
    }
  });

  for (const dialect of ['duckdb', 'postgres', 'mysql'] as const) {
    it(`returns the same members on ${dialect} for ${runsPerDialect} random rules`, async (context) => {
      const database = databases.get(dialect);
      if (database === undefined) {
        context.skip();
        return;
      }
      const rules = ruleArbitrary(samples, customerIds, referencedSegments.map((segment) => segment.id));
      await fc.assert(
        fc.asyncProperty(rules, async (rule) => {
          const expected = membersInMemory(rule);
          expect(await membersInSql(database, rule)).toEqual(expected);
        }),
        { numRuns: runsPerDialect, seed: seed + dialect.length },
      );
    });
  }
});
