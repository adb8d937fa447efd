import { describe, expect, it } from 'vitest';
import { CustomerModel, createKernel, definePlugin, toEpochDay, type Customer } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import {
  MemorySnapshotStore,
  RuleError,
  anniversaryMonthDays,
  createSegmentEngine,
  lastPeriodBounds,
  migrationBetween,
  operatorsOf,
  overlapMatrix,
  parseRule,
  tableAttributes,
} from '@kequn/segments';

const asOf = '2026-10-31';

async function loadedModel(customers = 500) {
  const kernel = createKernel({ plugins: [nameLengthPlugin], logSink: () => undefined });
  await kernel.start();
  const model = new CustomerModel(kernel);
  const bank = createSyntheticBank({ customers, seed: 11, asOf });
  await model.load(bank.customers(), { asOf });
  return { kernel, model, bank };
}

/** A plugin operator: a city name of at least N characters. */
const nameLengthPlugin = definePlugin({
  id: 'acme-operators',
  version: '0.1.0',
  displayName: { 'zh-CN': '示例运算符', en: 'Example operators' },
  engines: { kequn: '^1' },
  contributes: { operators: [{ id: 'acme.longerThan', label: { 'zh-CN': '长度大于', en: 'Longer than' }, appliesTo: ['string'] }] },
  activate(context) {
    context.operators.register('acme.longerThan', { test: (value, operand) => typeof value === 'string' && value.length > Number(operand) });
  },
});

describe('rules', () => {
  it('refuses rules nested deeper than the guard before parsing them', () => {
    let rule: unknown = { attribute: 'profile.age', op: 'gte', value: 1 };
    for (let level = 0; level < 100; level++) rule = { not: rule };
    expect(() => parseRule(rule)).toThrow(expect.objectContaining({ code: 'KQ_SEGMENT_RULE_TOO_DEEP' }));
    expect(() => parseRule(rule, { maxDepth: 200 })).not.toThrow();
  });

  it('reports every issue with its path', () => {
    try {
      parseRule({ all: [{ attribute: 'Bad Id', op: 'eq', value: 1 }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RuleError);
      expect((error as RuleError).issues.map((issue) => issue.path)).toContain('all[0].attribute');
    }
  });

  it('uses an operator contributed by a plugin like a built-in', async () => {
    const { kernel, model } = await loadedModel();
    const operators = await operatorsOf(kernel);
    const engine = createSegmentEngine({
      segments: [{ id: 'long', rule: { attribute: 'profile.city', op: 'acme.longerThan', value: 2 } }],
      attributes: tableAttributes(model.table),
      operators,
    });
    const members = engine.evaluate(model.table).get('long');
    const expected = [...Array(model.table.size).keys()].filter((row) => String(model.table.value(row, 'profile.city') ?? '').length > 2);
    expect([...(members ?? [])]).toEqual(expected);
    await kernel.dispose();
  });

  it('uses an attribute the bank registers at run time like a built-in', async () => {
    const { kernel, model, bank } = await loadedModel();
    const birthday = {
      id: 'profile.birthDate',
      type: 'date' as const,
      label: { 'zh-CN': '出生日期', en: 'Birth date' },
      piClass: 'C2' as const,
      read: (customer: Customer) => customer.profile.birthDate,
    };
    model.registerAttribute(birthday, bank.customers());
    const engine = createSegmentEngine({
      segments: [{ id: 'birthdayWeek', rule: { attribute: 'profile.birthDate', op: 'anniversaryWithin', value: { days: 7 } } }],
      attributes: model.attributes,
    });
    const members = [...(engine.evaluate(model.table).get('birthdayWeek') ?? [])];
    const week = new Set(anniversaryMonthDays(toEpochDay(asOf), { days: 7 }).map(({ month, day }) => `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`));
    const expected = [...bank.customers()].flatMap((customer, row) => (week.has(customer.profile.birthDate.slice(5)) ? [row] : []));
    expect(members).toEqual(expected);
    await kernel.dispose();
  });

  it('resolves months back to the end of a shorter month', () => {
    expect(lastPeriodBounds(toEpochDay('2026-03-31'), { months: 1 })).toEqual({ from: toEpochDay('2026-02-28'), to: toEpochDay('2026-03-31') });
  });

  it('celebrates 29 February anniversaries on 28 February in common years', () => {
    expect(anniversaryMonthDays(toEpochDay('2027-02-27'), { days: 1 })).toEqual([
      { month: 2, day: 27 },
      { month: 2, day: 28 },
      { month: 2, day: 29 },
    ]);
  });
});

describe('overlap and history', () => {
  it('counts shared members for every pair of segments', async () => {
    const { kernel, model } = await loadedModel();
    const engine = createSegmentEngine({
      segments: [
        { id: 'old', rule: { attribute: 'profile.age', op: 'gte', value: 60 } },
        { id: 'rich', rule: { attribute: 'assets.currentAum', op: 'gte', value: 500_000 } },
      ],
      attributes: tableAttributes(model.table),
    });
    const memberships = engine.evaluate(model.table);
    const matrix = overlapMatrix(memberships);
    const both = [...Array(model.table.size).keys()].filter((row) => Number(model.table.value(row, 'profile.age')) >= 60 && Number(model.table.value(row, 'assets.currentAum')) >= 500_000);
    expect(matrix.counts[0]?.[1]).toBe(both.length);
    expect(matrix.counts[0]?.[0]).toBe(memberships.get('old')?.count());
    await kernel.dispose();
  });

  it('builds a migration matrix from snapshots of two dates', async () => {
    const { kernel, model } = await loadedModel(300);
    const segments = [
      { id: 'low', rule: { attribute: 'assets.currentAum', op: 'lt', value: 50_000 } },
      { id: 'high', rule: { attribute: 'assets.currentAum', op: 'gte', value: 50_000 } },
    ];
    const engine = createSegmentEngine({ segments, attributes: tableAttributes(model.table) });
    const store = new MemorySnapshotStore();
    await store.save({ date: '2026-09-30', memberships: engine.evaluate(model.table) });
    const first = model.table.idAt(0);
    const customer = createSyntheticBank({ customers: 300, seed: 11, asOf }).customerAt(0);
    const wasLow = Number(model.table.value(0, 'assets.currentAum')) < 50_000;
    model.upsert({ ...customer, id: first, assets: { ...customer.assets, currentAum: wasLow ? 1_000_000 : 0 } });
    await store.save({ date: '2026-10-31', memberships: engine.evaluate(model.table) });
    const matrix = await migrationBetween(store, '2026-09-30', '2026-10-31', ['low', 'high']);
    const moved = wasLow ? matrix.counts[0]?.[1] : matrix.counts[1]?.[0];
    expect(moved).toBe(1);
    expect(await store.dates()).toEqual(['2026-09-30', '2026-10-31']);
    await kernel.dispose();
  });
});
