// JsonLogic and the builder form round-trip the rules they can express.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBuilder, fromJsonLogic, toBuilder, toJsonLogic, SegmentError, type BuilderGroup, type Rule } from '@kequn/segments';

const attribute = fc.constantFrom('assets.currentAum', 'profile.age', 'openedAt', 'profile.city');
const scalar = fc.oneof(fc.integer({ min: -1000, max: 1_000_000 }), fc.constantFrom('上海', 'x', '2026-01-31'));

const jsonLogicCondition: fc.Arbitrary<Rule> = fc.oneof(
  fc.record({ attribute, op: fc.constantFrom('eq', 'ne', 'lt', 'lte', 'gt', 'gte'), value: scalar }),
  fc.record({ attribute, op: fc.constant('between'), value: fc.tuple(scalar, scalar) }),
  fc.record({ attribute, op: fc.constant('in'), value: fc.array(scalar, { maxLength: 3 }) }),
  fc.record({ attribute: fc.constant('tags'), op: fc.constant('contains'), value: fc.constantFrom('vip', 'new') }),
  fc.record({ attribute, op: fc.constantFrom('isNull', 'isNotNull') }),
);

const jsonLogicRule: fc.Arbitrary<Rule> = fc.letrec<{ rule: Rule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small' },
    jsonLogicCondition,
    fc.record({ all: fc.array(tie('rule'), { maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('rule'), { maxLength: 3 }) }),
    fc.record({ not: tie('rule') }),
  ),
})).rule;

const builderRow = fc.oneof(
  fc.record({ field: attribute, operator: fc.constantFrom('eq', 'gte', 'in'), value: scalar }),
  fc.record({ field: fc.constant('openedAt'), operator: fc.constant('withinLast'), value: fc.nat(400), unit: fc.constantFrom('days' as const, 'months' as const) }),
  fc.record({ field: fc.constant('@segment'), operator: fc.constant('in'), value: fc.constantFrom('abcd.a', 'dormant') }),
  fc.record({ field: fc.constant('@customerId'), operator: fc.constant('in'), value: fc.array(fc.constantFrom('C000000001', 'C000000002'), { maxLength: 2 }) }),
  fc.record({
    field: fc.constant('@events'),
    operator: fc.constantFrom('gte', 'lt'),
    value: fc.nat(10),
    eventType: fc.constantFrom('transaction' as const, 'contact' as const),
    measure: fc.constantFrom('count' as const, 'sum' as const),
    window: fc.nat(365),
    unit: fc.constantFrom('days' as const, 'months' as const),
  }),
);

const builderGroup: fc.Arbitrary<BuilderGroup> = fc.letrec<{ group: BuilderGroup }>((tie) => ({
  group: fc.record(
    {
      combinator: fc.constantFrom('and' as const, 'or' as const),
      not: fc.constant(true as const),
      rules: fc.array(fc.oneof({ depthSize: 'small' }, builderRow, tie('group')), { maxLength: 3 }),
    },
    { requiredKeys: ['combinator', 'rules'] },
  ),
})).group;

describe('JsonLogic', () => {
  it('imports what it exports', () => {
    fc.assert(
      fc.property(jsonLogicRule, (rule) => {
        expect(fromJsonLogic(toJsonLogic(rule))).toEqual(rule);
      }),
    );
  });

  it('follows jsonlogic.com shapes for comparisons, between and membership', () => {
    expect(toJsonLogic({ all: [{ attribute: 'profile.age', op: 'gte', value: 60 }, { attribute: 'assets.currentAum', op: 'between', value: [1, 9] }] })).toEqual({
      and: [{ '>=': [{ var: 'profile.age' }, 60] }, { '<=': [1, { var: 'assets.currentAum' }, 9] }],
    });
    expect(fromJsonLogic({ '<': [18, { var: 'profile.age' }] })).toEqual({ attribute: 'profile.age', op: 'gt', value: 18 });
    expect(fromJsonLogic({ in: ['vip', { var: 'tags' }] })).toEqual({ attribute: 'tags', op: 'contains', value: 'vip' });
  });

  it('refuses rules JsonLogic cannot express', () => {
    expect(() => toJsonLogic({ segment: 'abcd.a' })).toThrow(SegmentError);
    expect(() => fromJsonLogic({ cat: ['a', 'b'] })).toThrow(/KQ_SEGMENT_JSONLOGIC_UNSUPPORTED|no JsonLogic form/);
  });
});

describe('the builder form', () => {
  it('comes back unchanged through the rule AST', () => {
    fc.assert(
      fc.property(builderGroup, (group) => {
        expect(toBuilder(fromBuilder(group))).toEqual(group);
      }),
    );
  });

  it('turns a builder row with a unit into a relative period', () => {
    expect(fromBuilder({ combinator: 'and', rules: [{ field: 'openedAt', operator: 'withinLast', value: 3, unit: 'months' }] })).toEqual({
      all: [{ attribute: 'openedAt', op: 'withinLast', value: { months: 3 } }],
    });
  });
});
