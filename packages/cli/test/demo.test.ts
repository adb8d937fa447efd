// runDemo and demoText: the shape of a synthetic book as `kequn demo` reports it.
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSyntheticBank } from '@kequn/testing';
import { tierIds, tierLabels } from '@kequn/plugin-tiering';
import { featuredGroupIds, featuredGroupLabels } from '@kequn/plugin-featured-groups';
import { demoText, runDemo, topShare, type DemoReport, type SegmentRow } from '../src/index.js';

const messagesPath = join(mkdtempSync(join(tmpdir(), 'kequn-demo-messages-')), 'messages.jsonl');
const options = { customers: 5_000, seed: 42, asOf: '2026-10-31', messagesPath };

function total(
  rows: readonly SegmentRow[],
  field: 'customers' | 'customerShare' | 'aum' | 'aumShare',
): number {
  return rows.reduce((sum, row) => sum + row[field], 0);
}

describe('runDemo on 5,000 customers', () => {
  let report: DemoReport;
  const progress: [number, number][] = [];

  beforeAll(async () => {
    report = await runDemo({
      ...options,
      onProgress: (loaded, all) => void progress.push([loaded, all]),
    });
  });

  it('runs every shipped campaign type end to end: enrolled, contacted, measured against a holdout', () => {
    expect(report.campaigns.map((campaign) => campaign.type).sort()).toEqual(
      ['dormant-activation', 'event-invitation', 'maturity-remarketing', 'referral', 'threshold-reward', 'upgrade-congratulation'],
    );
    for (const campaign of report.campaigns) {
      const holdout = campaign.report.cohorts.find((cohort) => cohort.cohort === 'holdout');
      const treated = campaign.report.cohorts.filter((cohort) => cohort.cohort === 'treatment').reduce((sum, cohort) => sum + cohort.customers, 0);
      expect(campaign.report.enrolled, campaign.id).toBeGreaterThan(0);
      expect(holdout?.customers ?? 0, campaign.id).toBeGreaterThan(0);
      expect(treated, campaign.id).toBeGreaterThan(holdout?.customers ?? 0);
      expect(Object.values(campaign.outbox).reduce((sum, count) => sum + count, 0), campaign.id).toBeGreaterThan(0);
      expect(campaign.report.uplift, campaign.id).not.toBeNull();
    }
  });

  it('delivers the outbox through the console channel with personal values masked', () => {
    const dispatch = report.dispatch;
    expect(dispatch?.sent ?? 0).toBeGreaterThan(0);
    const lines = readFileSync(messagesPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { address: string; text: string; customerId: string });
    expect(lines.length).toBe((dispatch?.sent ?? 0) - (dispatch?.openTasks ?? 0));
    for (const line of lines) expect(line.address).toMatch(/\*{4}/);
    // Every message was addressed to a different (customer, step): the idempotency keys are unique.
    const keys = new Set(readFileSync(messagesPath, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { idempotencyKey: string }).idempotencyKey));
    expect(keys.size).toBe(lines.length);
  });

  it('counts the same tier moves in the KPI summary as in the migration matrix', () => {
    const { counts } = report.tierMigration;
    let upgrades = 0;
    let downgrades = 0;
    counts.forEach((row, from) =>
      row.forEach((count, to) => {
        if (to > from) upgrades += count;
        if (to < from) downgrades += count;
      }),
    );
    expect(upgrades).toBeGreaterThan(0);
    expect(report.books.bank.upgrades).toBe(upgrades);
    expect(report.books.bank.downgrades).toBe(downgrades);
  });

  it('puts every customer in exactly one ABCD class and counts the dormant among them', () => {
    const classified = report.abcd.reduce((sum, row) => sum + row.customers, 0);
    expect(classified).toBe(options.customers);
    const dormant = report.dormant[0]?.customers ?? 0;
    expect(dormant).toBeGreaterThan(0);
    expect(dormant).toBeLessThan(options.customers);
  });

  it('reports every customer and the bank’s total AUM', () => {
    const bank = createSyntheticBank(options);
    let aum = 0;
    for (const customer of bank.customers()) aum += customer.assets.currentAum;
    expect(report.customers).toBe(options.customers);
    expect(report.totalAum).toBeCloseTo(aum, 2);
  });

  it('has one row per tier, covering all customers and all assets exactly once', () => {
    expect(report.tiers.map((row) => row.id)).toEqual([...tierIds]);
    expect(total(report.tiers, 'customers')).toBe(report.customers);
    expect(total(report.tiers, 'customerShare')).toBeCloseTo(1, 9);
    expect(total(report.tiers, 'aum')).toBeCloseTo(report.totalAum, 2);
    expect(total(report.tiers, 'aumShare')).toBeCloseTo(1, 9);
  });

  it('shows the 80/20 rule (二八法则): the top 20% hold between 70% and 90% of assets', () => {
    expect(report.top20AumShare).toBeGreaterThan(0.7);
    expect(report.top20AumShare).toBeLessThan(0.9);
  });

  it('has a row for each of the nine featured groups, with its labels', () => {
    expect(report.featuredGroups.map((row) => row.id)).toEqual([...featuredGroupIds]);
    for (const row of report.featuredGroups) {
      expect(row.customers).toBeGreaterThan(0);
      expect(row.customerShare).toBeCloseTo(row.customers / report.customers, 12);
    }
    expect(report.featuredGroups.map((row) => row.label)).toEqual(
      featuredGroupIds.map((id) => featuredGroupLabels[id]),
    );
  });

  it('reports loading progress up to the last customer', () => {
    expect(progress.at(-1)).toEqual([options.customers, options.customers]);
  });

  it('renders in Chinese with the Chinese tier and group labels', () => {
    const text = demoText(report, 'zh-CN');
    expect(text).toContain(`客户 ${report.customers.toLocaleString('en')} 户`);
    expect(text).toContain('资产分层');
    for (const tier of tierIds) {
      expect(text).toContain(tierLabels[tier]['zh-CN']);
      expect(text).not.toContain(tierLabels[tier].en);
    }
    for (const group of featuredGroupIds)
      expect(text).toContain(featuredGroupLabels[group]['zh-CN']);
  });

  it('renders in English with the English tier and group labels', () => {
    const text = demoText(report, 'en');
    expect(text).toContain(`${report.customers.toLocaleString('en')} customers`);
    expect(text).toContain('Asset tiers');
    for (const tier of tierIds) {
      expect(text).toContain(tierLabels[tier].en);
      expect(text).not.toContain(tierLabels[tier]['zh-CN']);
    }
    for (const group of featuredGroupIds) expect(text).toContain(featuredGroupLabels[group].en);
  });
});

describe('topShare', () => {
  it('gives the top fraction of rows at least that fraction of a non-negative total, and never more than all of it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (values, fraction) => {
          fc.pre(values.some((value) => value > 0));
          const share = topShare(Float64Array.from(values), fraction);
          expect(share).toBeGreaterThanOrEqual(fraction - 1e-9);
          expect(share).toBeLessThanOrEqual(1 + 1e-9);
        },
      ),
    );
  });

  it('is the plain fraction of rows when everyone holds the same', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        (rows, amount) => {
          const top = rows - Math.floor(rows * 0.8);
          expect(topShare(new Float64Array(rows).fill(amount), 0.2)).toBeCloseTo(top / rows, 9);
        },
      ),
    );
  });
});
