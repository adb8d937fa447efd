import { describe, expect, it } from 'vitest';
import { createTestKernel } from '@kequn/testing';
import { abcdPlugin, abcdSettingsSchema, nextContactDue, ABCD_STRATEGY } from '../src/index.js';

describe('ABCD intent classes', () => {
  it('puts every customer in exactly one class', async () => {
    const t = await createTestKernel({ plugins: [abcdPlugin], customers: 2000 });
    const classes = await t.model.evaluate(ABCD_STRATEGY);
    const seen = new Map<number, string>();
    for (const [classId, members] of classes) {
      for (const row of members) {
        expect(seen.get(row)).toBeUndefined();
        seen.set(row, classId);
      }
    }
    expect(seen.size).toBe(t.model.table.liveCount);
    expect([...classes.keys()]).toEqual(['a', 'b', 'c', 'd']);
    await t.dispose();
  });

  it('gives class A only to customers with large average assets', async () => {
    const t = await createTestKernel({ plugins: [abcdPlugin], customers: 2000 });
    const classA = (await t.model.evaluate(ABCD_STRATEGY)).get('a');
    const balances = [...(classA ?? [])].map((row) => Number(t.model.table.value(row, 'assets.averageDailyAum3m')));
    expect(balances.length).toBeGreaterThan(0);
    expect(balances.every((balance) => balance >= 500_000)).toBe(true);
    await t.dispose();
  });

  it('uses a rule the bank sets in settings instead of the default', async () => {
    const t = await createTestKernel({
      plugins: [abcdPlugin],
      customers: 500,
      settings: { abcd: { rules: { a: { attribute: 'profile.age', op: 'gte', value: 60 } } } },
    });
    const classA = (await t.model.evaluate(ABCD_STRATEGY)).get('a');
    const ages = [...(classA ?? [])].map((row) => Number(t.model.table.value(row, 'profile.age')));
    expect(ages.length).toBeGreaterThan(0);
    expect(ages.every((age) => age >= 60)).toBe(true);
    await t.dispose();
  });

  it('schedules the next contact by the class cadence and refuses cadences beyond 90 days', () => {
    const settings = abcdSettingsSchema.parse({});
    expect(nextContactDue('a', '2026-10-31', settings)).toBe('2026-11-07');
    expect(nextContactDue('d', '2026-10-31', settings)).toBe('2027-01-29');
    expect(abcdSettingsSchema.safeParse({ cadenceDays: { c: 120 } }).success).toBe(false);
  });
});
