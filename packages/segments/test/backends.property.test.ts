// Random rules over a synthetic bank: the generated-code and closure back ends agree with each
// other and with the naive reference interpreter, NULLs and negation included.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ColumnarTable, customerAttributes, type Customer, type CustomerEvent } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { EventStore, createSegmentEngine, tableAttributes, type Rule } from '@kequn/segments';
import { referenceTruth } from './reference.js';

const asOf = '2026-10-31';
let table: ColumnarTable<Customer>;
let events: EventStore;
let eventsByRow: CustomerEvent[][];

beforeAll(() => {
  const bank = createSyntheticBank({ customers: 400, seed: 7, asOf });
  const customers = [...bank.customers()];
  table = ColumnarTable.build(customerAttributes, customers, { idOf: (customer) => customer.id, asOf });
  eventsByRow = customers.map((customer) => [...bank.eventsOf(customer)]);
  events = EventStore.build(table, eventsByRow.flat());
});

const date = fc.integer({ min: 0, max: 365 * 60 }).map((offset) => new Date(Date.UTC(1966, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10));
const recentDate = fc.integer({ min: -400, max: 400 }).map((offset) => new Date(Date.UTC(2026, 9, 31) + offset * 86_400_000).toISOString().slice(0, 10));
const money = fc.oneof(fc.constantFrom(0, 1000, 10_000, 50_000, 500_000), fc.integer({ min: 0, max: 2_000_000 }));
const period = fc.oneof(fc.integer({ min: 0, max: 400 }).map((days) => ({ days })), fc.integer({ min: 0, max: 24 }).map((months) => ({ months })));
const occupations = ['executive', 'business_owner', 'employee', 'farmer', 'retired', 'student', 'unknown_job'];
const productTypes = ['demand_deposit', 'time_deposit', 'wealth', 'fund', 'loan', 'never_held'];

const numberCondition = (attribute: string, value: fc.Arbitrary<number>): fc.Arbitrary<Rule> =>
  fc.oneof(
    fc.record({ attribute: fc.constant(attribute), op: fc.constantFrom('eq', 'ne', 'lt', 'lte', 'gt', 'gte'), value }),
    fc.record({ attribute: fc.constant(attribute), op: fc.constant('between'), value: fc.tuple(value, value) }),
    fc.record({ attribute: fc.constant(attribute), op: fc.constantFrom('in', 'notIn'), value: fc.array(value, { maxLength: 3 }) }),
    fc.record({ attribute: fc.constant(attribute), op: fc.constantFrom('isNull', 'isNotNull') }),
  );

const dateCondition = (attribute: string): fc.Arbitrary<Rule> =>
  fc.oneof(
    fc.record({ attribute: fc.constant(attribute), op: fc.constantFrom('eq', 'ne', 'lt', 'lte', 'gt', 'gte'), value: fc.oneof(date, recentDate) }),
    fc.record({ attribute: fc.constant(attribute), op: fc.constant('between'), value: fc.tuple(recentDate, recentDate) }),
    fc.record({ attribute: fc.constant(attribute), op: fc.constantFrom('withinLast', 'withinNext'), value: period }),
    fc.record({ attribute: fc.constant(attribute), op: fc.constant('anniversaryWithin'), value: fc.integer({ min: 0, max: 60 }).map((days) => ({ days })) }),
    fc.record({ attribute: fc.constant(attribute), op: fc.constantFrom('isNull', 'isNotNull') }),
  );

const condition: fc.Arbitrary<Rule> = fc.oneof(
  numberCondition('assets.currentAum', money),
  numberCondition('behaviour.payrollMonthlyAmount', money),
  numberCondition('profile.age', fc.integer({ min: 15, max: 90 })),
  dateCondition('openedAt'),
  dateCondition('behaviour.lastTransactionDate'),
  dateCondition('holdings.nextMaturityDate'),
  fc.record({ attribute: fc.constant('profile.occupation'), op: fc.constantFrom('eq', 'ne'), value: fc.constantFrom(...occupations.slice(0, 6)) }),
  fc.record({ attribute: fc.constant('profile.city'), op: fc.constantFrom('startsWith', 'eq', 'ne'), value: fc.constantFrom('', '上', '北京', 'x') }),
  fc.record({ attribute: fc.constant('profile.city'), op: fc.constantFrom('in', 'notIn'), value: fc.array(fc.constantFrom('上海', '北京', '杭州', 'x'), { maxLength: 3 }) }),
  fc.record({ attribute: fc.constant('profile.city'), op: fc.constantFrom('isNull', 'isNotNull') }),
  fc.record({ attribute: fc.constant('holdings.productTypes'), op: fc.constant('contains'), value: fc.constantFrom(...productTypes.slice(0, 5)) }),
  fc.record({ attribute: fc.constant('tags'), op: fc.constantFrom('containsAny', 'containsAll'), value: fc.array(fc.constantFrom('vip', 'new', 'never'), { maxLength: 3 }) }),
  fc.record({ attribute: fc.constant('holdings.productTypes'), op: fc.constantFrom('isEmpty', 'isNull') }),
  fc.record({ attribute: fc.constant('behaviour.mobileBankingActive'), op: fc.constantFrom('eq', 'ne'), value: fc.boolean() }),
  fc.record({ ids: fc.array(fc.integer({ min: 1, max: 450 }).map((index) => `C${String(index).padStart(9, '0')}`), { maxLength: 5 }) }),
  fc.record({
    events: fc.record(
      {
        type: fc.constantFrom('transaction', 'login', 'contact', 'purchase'),
        where: fc.record({ direction: fc.constant<('in' | 'out')[]>(['in']), outcome: fc.constant<string[]>(['interested', 'sold']) }, { requiredKeys: [] }),
        window: period,
        measure: fc.constantFrom('count' as const, 'sum' as const, 'avg' as const),
        op: fc.constantFrom('gte' as const, 'lt' as const, 'ne' as const),
        value: fc.constantFrom(0, 1, 3, 5000),
      },
      { requiredKeys: ['type', 'window', 'measure', 'op', 'value'] },
    ),
  }),
);

const rule: fc.Arbitrary<Rule> = fc.letrec<{ rule: Rule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    fc.record({ all: fc.array(tie('rule'), { maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('rule'), { maxLength: 3 }) }),
    fc.record({ not: tie('rule') }),
    fc.record({ noEvents: fc.record({ type: fc.constantFrom('transaction' as const, 'login' as const), window: period, universe: tie('rule') }) }),
  ),
})).rule;

function rowsOf(bitset: Iterable<number> | undefined): number[] {
  return [...(bitset ?? [])];
}

describe('the fused pass', () => {
  it('gives identical memberships with generated code, closures and the reference interpreter', () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 4 }), (rules) => {
        const segments = rules.map((candidate, index) => ({ id: `s${index}`, rule: index === 0 ? candidate : { any: [candidate, { segment: `s${index - 1}` }] } }));
        const options = { segments, attributes: tableAttributes(table), events };
        const generated = createSegmentEngine({ ...options, backend: 'codegen' }).evaluate(table);
        const closures = createSegmentEngine({ ...options, backend: 'closure' }).evaluate(table);
        const definitions = new Map(segments.map((segment) => [segment.id, segment.rule as Rule]));
        for (const segment of segments) {
          const expected: number[] = [];
          for (let row = 0; row < table.size; row++) {
            const truth = referenceTruth(segment.rule, row, { table, asOf, eventsOf: (index) => eventsByRow[index] ?? [], segments: definitions });
            if (truth === true) expected.push(row);
          }
          expect(rowsOf(generated.get(segment.id))).toEqual(expected);
          expect(rowsOf(closures.get(segment.id))).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('leaves every customer with an unknown rule out of both the rule and its negation', () => {
    fc.assert(
      fc.property(rule, (candidate) => {
        const engine = createSegmentEngine({ segments: [{ id: 'r', rule: candidate }, { id: 'n', rule: { not: candidate } }], attributes: tableAttributes(table), events });
        const result = engine.evaluate(table);
        const inRule = result.get('r');
        const inNegation = result.get('n');
        if (inRule === undefined || inNegation === undefined) throw new Error('both segments are evaluated');
        expect(inRule.and(inNegation).count()).toBe(0);
        const truths = engine.truths(table, 'r', Array.from({ length: table.size }, (_value, row) => row));
        const unknown = truths.filter((truth) => truth === 1).length;
        expect(inRule.count() + inNegation.count() + unknown).toBe(table.liveCount);
      }),
      { numRuns: 40 },
    );
  });

  it('re-evaluating changed customers gives the same memberships as a full evaluation', () => {
    const bank = createSyntheticBank({ customers: 80, seed: 3, asOf });
    fc.assert(
      fc.property(rule, fc.array(fc.tuple(fc.integer({ min: 0, max: 79 }), fc.constantFrom('remove', 'richer', 'new')), { maxLength: 20 }), (candidate, edits) => {
        const copy = ColumnarTable.build(customerAttributes, bank.customers(), { idOf: (customer) => customer.id, asOf });
        const engine = createSegmentEngine({ segments: [{ id: 'r', rule: candidate }], attributes: tableAttributes(copy) });
        engine.evaluate(copy);
        const changed: string[] = [];
        for (const [index, edit] of edits) {
          const customer = bank.customerAt(index);
          if (edit === 'remove') copy.remove(customer.id);
          else if (edit === 'richer') copy.upsert({ ...customer, assets: { ...customer.assets, currentAum: customer.assets.currentAum * 10 + 1 } });
          else copy.upsert({ ...customer, id: `N${index}`, profile: { ...customer.profile, city: '新城' } });
          changed.push(edit === 'new' ? `N${index}` : customer.id);
        }
        engine.update(copy, changed);
        const full = createSegmentEngine({ segments: [{ id: 'r', rule: candidate }], attributes: tableAttributes(copy) }).evaluate(copy);
        expect(rowsOf(engine.memberships().get('r'))).toEqual(rowsOf(full.get('r')));
      }),
      { numRuns: 30 },
    );
  });
});
