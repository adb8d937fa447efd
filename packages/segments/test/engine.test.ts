import { describe, expect, it, vi } from 'vitest';
import { ColumnarTable, type AttributeSource } from '@kequn/core';
import { canGenerateCode, createSegmentEngine, tableAttributes, RuleError, SegmentError } from '@kequn/segments';

interface Row {
  id: string;
  aum: number | null;
  tier: string | null;
  opened: string | null;
  products: string[] | null;
  active: boolean | null;
}

const sources: AttributeSource<Row>[] = [
  { id: 'aum', type: 'money', label: { 'zh-CN': '资产', en: 'AUM' }, piClass: 'C2', read: (row) => row.aum },
  {
    id: 'tier',
    type: 'enum',
    label: { 'zh-CN': '层级', en: 'Tier' },
    piClass: 'C1',
    values: ['mass', 'mid', 'high'].map((value) => ({ value, label: { 'zh-CN': value, en: value } })),
    read: (row) => row.tier,
  },
  { id: 'opened', type: 'date', label: { 'zh-CN': '开户', en: 'Opened' }, piClass: 'C1', read: (row) => row.opened },
  {
    id: 'products',
    type: 'set',
    label: { 'zh-CN': '产品', en: 'Products' },
    piClass: 'C1',
    values: ['fund', 'loan'].map((value) => ({ value, label: { 'zh-CN': value, en: value } })),
    read: (row) => row.products,
  },
  { id: 'active', type: 'boolean', label: { 'zh-CN': '活跃', en: 'Active' }, piClass: 'C1', read: (row) => row.active },
];

const rows: Row[] = [
  { id: 'a', aum: 600_000, tier: 'high', opened: '2026-10-01', products: ['fund'], active: true },
  { id: 'b', aum: 20_000, tier: 'mass', opened: '2020-01-01', products: [], active: false },
  { id: 'c', aum: null, tier: null, opened: null, products: null, active: null },
];

function table(): ColumnarTable<Row> {
  return ColumnarTable.build(sources, rows, { idOf: (row) => row.id, asOf: '2026-10-31' });
}

function members(bitset: Iterable<number> | undefined, t: ColumnarTable<Row>): string[] {
  return [...(bitset ?? [])].map((row) => t.idAt(row));
}

describe('segment engine', () => {
  it('selects customers whose attributes satisfy the rule', () => {
    const t = table();
    const engine = createSegmentEngine({
      attributes: tableAttributes(t),
      segments: [{ id: 'rich', rule: { all: [{ attribute: 'aum', op: 'gte', value: 500_000 }, { attribute: 'products', op: 'contains', value: 'fund' }] } }],
    });
    expect(members(engine.evaluate(t).get('rich'), t)).toEqual(['a']);
  });

  it('leaves customers with a null attribute out of both a condition and its negation', () => {
    const t = table();
    const engine = createSegmentEngine({
      attributes: tableAttributes(t),
      segments: [
        { id: 'big', rule: { attribute: 'aum', op: 'gt', value: 5 } },
        { id: 'notBig', rule: { not: { attribute: 'aum', op: 'gt', value: 5 } } },
        { id: 'unknown', rule: { attribute: 'aum', op: 'isNull' } },
      ],
    });
    const result = engine.evaluate(t);
    expect(members(result.get('big'), t)).toEqual(['a', 'b']);
    expect(members(result.get('notBig'), t)).toEqual([]);
    expect(members(result.get('unknown'), t)).toEqual(['c']);
  });

  it('points a type error at the exact node', () => {
    const t = table();
    const define = () =>
      createSegmentEngine({
        attributes: tableAttributes(t),
        segments: [{ id: 's', rule: { all: [{ attribute: 'aum', op: 'gt', value: 1 }, { ids: [] }, { any: [{ attribute: 'opened', op: 'lt', value: 5 }] }] } }],
      });
    expect(define).toThrow(RuleError);
    expect(define).toThrow(/all\[2\]\.any\[0\]\.value: expected a date/);
  });

  it('refuses segments that reference each other in a cycle, naming the path', () => {
    const t = table();
    const define = () =>
      createSegmentEngine({
        attributes: tableAttributes(t),
        segments: [
          { id: 'x', rule: { segment: 'y' } },
          { id: 'y', rule: { all: [{ segment: 'x' }] } },
        ],
      });
    expect(define).toThrow(SegmentError);
    expect(define).toThrow(/x → y → x/);
  });

  it('gives the same memberships with generated code and with closures', () => {
    const t = table();
    const segments = [
      { id: 'recent', rule: { attribute: 'opened', op: 'withinLast', value: { days: 60 } } },
      { id: 'notMass', rule: { attribute: 'tier', op: 'ne', value: 'mass' } },
      { id: 'inactive', rule: { any: [{ attribute: 'active', op: 'eq', value: false }, { attribute: 'products', op: 'isEmpty' }] } },
    ];
    const generated = createSegmentEngine({ attributes: tableAttributes(t), segments, backend: 'codegen' }).evaluate(t);
    const closures = createSegmentEngine({ attributes: tableAttributes(t), segments, backend: 'closure' }).evaluate(t);
    for (const { id } of segments) expect(members(closures.get(id), t)).toEqual(members(generated.get(id), t));
    expect(members(generated.get('recent'), t)).toEqual(['a']);
    expect(members(generated.get('notMass'), t)).toEqual(['a']);
    expect(members(generated.get('inactive'), t)).toEqual(['b']);
  });

  it('explains each node with its value and the attribute it read', () => {
    const t = table();
    const engine = createSegmentEngine({
      attributes: tableAttributes(t),
      segments: [{ id: 's', rule: { all: [{ attribute: 'aum', op: 'gte', value: 1 }, { attribute: 'tier', op: 'eq', value: 'high' }] } }],
    });
    const explained = engine.explain(t, 'b', 's');
    expect(explained.value).toBe(false);
    expect(explained.children.map((child) => [child.path, child.value, child.read?.value])).toEqual([
      ['all[0]', true, 20_000],
      ['all[1]', false, 'mass'],
    ]);
    expect(engine.explain(t, 'c', 's').value).toBeNull();
  });

  it('sizes every sub-rule for a live preview', () => {
    const t = table();
    const engine = createSegmentEngine({
      attributes: tableAttributes(t),
      segments: [{ id: 's', rule: { any: [{ attribute: 'aum', op: 'gte', value: 100_000 }, { attribute: 'active', op: 'eq', value: false }] } }],
    });
    const size = engine.sizes(t, 's');
    expect([size.count, ...size.children.map((child) => child.count)]).toEqual([2, 1, 1]);
  });

  it('re-evaluates only changed customers and reports who entered and left', () => {
    const t = table();
    const engine = createSegmentEngine({ attributes: tableAttributes(t), segments: [{ id: 'rich', rule: { attribute: 'aum', op: 'gte', value: 500_000 } }] });
    engine.evaluate(t);
    t.upsert({ id: 'b', aum: 900_000, tier: 'high', opened: null, products: [], active: true });
    t.upsert({ id: 'a', aum: 10, tier: 'mass', opened: null, products: [], active: true });
    t.upsert({ id: 'd', aum: 700_000, tier: 'high', opened: null, products: [], active: true });
    expect(engine.update(t, ['a', 'b', 'd'])).toEqual([{ segmentId: 'rich', entered: ['b', 'd'], exited: ['a'] }]);
    expect(members(engine.memberships().get('rich'), t)).toEqual(['b', 'd']);
  });

  it('falls back to closures where new Function is forbidden, as under a strict CSP', () => {
    const t = table();
    const segments = [{ id: 'rich', rule: { attribute: 'aum', op: 'gte', value: 500_000 } }];
    expect(createSegmentEngine({ attributes: tableAttributes(t), segments }).backend).toBe('codegen');
    vi.stubGlobal('Function', function forbidden() {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed");
    });
    try {
      expect(canGenerateCode()).toBe(false);
      const engine = createSegmentEngine({ attributes: tableAttributes(t), segments });
      expect(engine.backend).toBe('closure');
      expect(members(engine.evaluate(t).get('rich'), t)).toEqual(['a']);
      expect(() => createSegmentEngine({ attributes: tableAttributes(t), segments, backend: 'codegen' })).toThrow(/closure/);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
