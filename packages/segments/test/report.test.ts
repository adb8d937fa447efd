import { describe, expect, it } from 'vitest';
import { createTestKernel } from '@kequn/testing';
import { tieringPlugin, tierIds } from '@kequn/plugin-tiering';
import { abcdPlugin } from '@kequn/plugin-abcd';
import { dormantPlugin } from '@kequn/plugin-dormant';
import { segmentReport, tableAsOf } from '@kequn/segments';

describe('the segment report for kequn demo', () => {
  it('counts ABCD and dormant members and builds a tier migration matrix between two dates', async () => {
    const t = await createTestKernel({ plugins: [tieringPlugin, abcdPlugin, dormantPlugin], customers: 1500 });
    const bank = t.bank;
    if (bank === undefined) throw new Error('the test kernel should have a synthetic bank');
    const before = tableAsOf(await t.model.attributeSources(), bank.customers(), '2026-04-30');
    const report = await segmentReport({
      evaluate: (strategyId) => t.model.evaluate(strategyId),
      strategyIds: ['abcd', 'dormant', 'no-such-strategy'],
      migration: { before, after: t.model.table, attributeId: 'tier.current' },
    });
    const abcd = report.counts['abcd'] ?? {};
    expect(Object.keys(abcd)).toEqual(['a', 'b', 'c', 'd']);
    expect(Object.values(abcd).reduce((sum, count) => sum + count, 0)).toBe(1500);
    expect(report.counts['dormant']?.['dormant']).toBeGreaterThanOrEqual(0);
    expect(Object.keys(report.failures)).toEqual(['no-such-strategy']);
    const migration = report.migration;
    expect(migration?.segmentIds).toEqual([...tierIds]);
    expect(migration?.counts.flat().reduce((sum, count) => sum + count, 0)).toBe(1500);
    expect(migration?.from).toBe('2026-04-30');
    await t.dispose();
  });
});
