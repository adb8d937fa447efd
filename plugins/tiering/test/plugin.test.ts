// The tiering plugin inside a kernel: the 'tiering' strategy over a synthetic bank, and the
// `tier.changed` events that hand-offs (提升移交) and campaigns wait for.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bitset, Customer, MonthlyAverage, SegmentMemberships } from '@kequn/core';
import { createTestKernel, type TestKernel } from '@kequn/testing';
import {
  TIER_ATTRIBUTE,
  TIER_BASIS_ATTRIBUTE,
  TIER_MONTHS_BELOW_ATTRIBUTE,
  decideTier,
  decideTierAsOf,
  tierIds,
  tieringPlugin,
  tieringSettingsSchema,
  type TierId,
  type TieringSettings,
} from '../src/index.js';

const defaults = tieringSettingsSchema.parse({});

function membersOf(memberships: SegmentMemberships, tier: TierId): Bitset {
  const members = memberships.get(tier);
  if (members === undefined) throw new Error(`the strategy returned no segment "${tier}"`);
  return members;
}

function findCustomer(
  t: TestKernel,
  settings: TieringSettings,
  wanted: (tier: TierId, monthsBelow: number) => boolean,
): Customer {
  for (const customer of t.bank?.customers() ?? []) {
    const decision = decideTier(
      customer.assets.monthlyAverages,
      customer.assets.currentAum,
      settings,
    );
    if (wanted(decision.tier, decision.monthsBelow)) return customer;
  }
  throw new Error('the synthetic bank has no customer for this scenario; change its size or seed');
}

function withHistory(customer: Customer, monthlyAverages: MonthlyAverage[]): Customer {
  return { ...customer, assets: { ...customer.assets, monthlyAverages } };
}

function withLastMonths(
  history: readonly MonthlyAverage[],
  balances: readonly number[],
): MonthlyAverage[] {
  const start = history.length - balances.length;
  return history.map((entry, index) =>
    index < start ? entry : { ...entry, averageDailyBalance: balances[index - start] ?? 0 },
  );
}

describe('the tiering strategy over a 20,000-customer bank', () => {
  let t: TestKernel;
  let memberships: SegmentMemberships;

  beforeAll(async () => {
    t = await createTestKernel({ plugins: [tieringPlugin], customers: 20_000 });
    memberships = await t.model.evaluate('tiering');
  });
  afterAll(() => t.dispose());

  it('returns one segment per tier, each with members', () => {
    expect([...memberships.keys()]).toEqual([...tierIds]);
    for (const tier of tierIds)
      expect(membersOf(memberships, tier).count(), tier).toBeGreaterThan(0);
  });

  it('puts every live customer in exactly one tier', () => {
    const table = t.model.table;
    const misplaced: number[] = [];
    for (let index = 0; index < table.size; index++) {
      const tiersHolding = tierIds.filter((tier) => membersOf(memberships, tier).has(index)).length;
      if (tiersHolding !== (table.isLive(index) ? 1 : 0)) misplaced.push(index);
    }
    expect(misplaced).toEqual([]);
    const total = tierIds.reduce((sum, tier) => sum + membersOf(memberships, tier).count(), 0);
    expect(total).toBe(table.liveCount);
    expect(table.liveCount).toBe(20_000);
  });

  it('agrees with decideTier on every customer: tier, basis and months below', () => {
    const table = t.model.table;
    const counts = new Map<TierId, number>();
    const disagreements: string[] = [];
    for (const customer of t.bank?.customers() ?? []) {
      const decision = decideTier(
        customer.assets.monthlyAverages,
        customer.assets.currentAum,
        defaults,
      );
      counts.set(decision.tier, (counts.get(decision.tier) ?? 0) + 1);
      const index = table.indexOf(customer.id);
      if (
        index === undefined ||
        !membersOf(memberships, decision.tier).has(index) ||
        table.value(index, TIER_ATTRIBUTE) !== decision.tier ||
        table.value(index, TIER_BASIS_ATTRIBUTE) !== decision.basis ||
        table.value(index, TIER_MONTHS_BELOW_ATTRIBUTE) !== decision.monthsBelow
      ) {
        disagreements.push(customer.id);
      }
    }
    expect(disagreements).toEqual([]);
    for (const tier of tierIds)
      expect(membersOf(memberships, tier).count(), tier).toBe(counts.get(tier) ?? 0);
  });

  it('loads without logging an error', () => {
    expect(t.errors()).toEqual([]);
  });
});

describe('tier.changed on upsert', () => {
  let t: TestKernel;

  beforeAll(async () => {
    t = await createTestKernel({ plugins: [tieringPlugin], customers: 2_000 });
  });
  afterAll(() => t.dispose());

  it('emits exactly one upgrade when the latest months move a mid customer above 500k', () => {
    const customer = findCustomer(t, defaults, (tier) => tier === 'mid');
    const history = customer.assets.monthlyAverages.map((month, index, all) =>
      index >= all.length - defaults.windowMonths
        ? { ...month, averageDailyBalance: 900_000 }
        : month,
    );
    const upgraded = withHistory(customer, history);
    const expected = decideTier(history, customer.assets.currentAum, defaults);
    expect(expected.tier).toBe('high_end');

    const changes = t.record('tier.changed');
    t.model.upsert(upgraded);

    expect(changes).toEqual([
      {
        customerId: customer.id,
        from: 'mid',
        to: 'high_end',
        direction: 'upgrade',
        basis: expected.basis,
        asOf: t.model.table.asOf,
      },
    ]);
    expect(expected.basis).toBeCloseTo(900_000, 6);
  });

  it('emits nothing when an upsert changes the customer but not the tier', () => {
    const customer = findCustomer(t, defaults, (tier) => tier === 'effective');
    const changes = t.record('tier.changed');
    const upserts = t.record('customer.upserted');

    t.model.upsert({
      ...customer,
      profile: { ...customer.profile, city: '宁波' },
      assets: { ...customer.assets, currentAum: customer.assets.currentAum + 1 },
    });

    expect(upserts).toHaveLength(1);
    expect(upserts[0]?.changes.map((change) => change.attributeId)).toContain('profile.city');
    expect(changes).toEqual([]);
  });

  it('announces a new customer’s first tier as "initial", from null', () => {
    const template = t.bank?.customerAt(0);
    if (template === undefined) throw new Error('the test kernel has no synthetic bank');
    const newcomer = { ...template, id: 'NEW-0001' };
    const changes = t.record('tier.changed');

    t.model.upsert(newcomer);

    const expected = decideTier(
      newcomer.assets.monthlyAverages,
      newcomer.assets.currentAum,
      defaults,
    );
    expect(changes).toEqual([
      expect.objectContaining({
        customerId: 'NEW-0001',
        from: null,
        to: expected.tier,
        direction: 'initial',
      }),
    ]);
  });
});

describe('hysteresis through the kernel', () => {
  const monthly = tieringSettingsSchema.parse({ windowMonths: 1 });
  let t: TestKernel;

  beforeAll(async () => {
    t = await createTestKernel({
      plugins: [tieringPlugin],
      customers: 2_000,
      settings: { tiering: { windowMonths: 1 } },
    });
  });
  afterAll(() => t.dispose());

  it('keeps a high-end customer for one month below 500k and downgrades them on the second', () => {
    const customer = findCustomer(
      t,
      monthly,
      (tier, monthsBelow) => tier === 'high_end' && monthsBelow === 0,
    );
    const changes = t.record('tier.changed');

    // Months after the table's as-of date do not count, so the last months on record are rewritten.
    const oneMonthBelow = withLastMonths(customer.assets.monthlyAverages, [600_000, 600_000, 300_000]);
    t.model.upsert(withHistory(customer, oneMonthBelow));
    const index = t.model.table.indexOf(customer.id) ?? -1;
    expect(changes).toEqual([]);
    expect(t.model.table.value(index, TIER_ATTRIBUTE)).toBe('high_end');
    expect(t.model.table.value(index, TIER_MONTHS_BELOW_ATTRIBUTE)).toBe(1);

    t.model.upsert(withHistory(customer, withLastMonths(oneMonthBelow, [600_000, 300_000, 300_000])));
    expect(changes).toEqual([
      expect.objectContaining({
        customerId: customer.id,
        from: 'high_end',
        to: 'mid',
        direction: 'downgrade',
        basis: 300_000,
      }),
    ]);
  });
});

describe('the plugin is written against public APIs only', () => {
  it('imports nothing but @kequn/core, zod and its own modules', () => {
    const sourceDirectory = new URL('../src/', import.meta.url);
    const files = readdirSync(sourceDirectory).filter((name) => name.endsWith('.ts'));
    const specifierPattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
    const specifiers = files.flatMap((name) =>
      [...readFileSync(new URL(name, sourceDirectory), 'utf8').matchAll(specifierPattern)].map(
        (match) => match[1],
      ),
    );
    expect(specifiers).toContain('@kequn/core');
    const foreign = specifiers.filter(
      (specifier) =>
        specifier !== '@kequn/core' && specifier !== 'zod' && !specifier?.startsWith('./'),
    );
    expect(foreign).toEqual([]);
  });
});

describe('tiers as of a date', () => {
  it('counts only the months that had ended by the as-of date', () => {
    const settings = tieringSettingsSchema.parse({ windowMonths: 1, downgradeAfterMonths: 1 });
    const history: MonthlyAverage[] = [
      { month: '2026-03', averageDailyBalance: 20_000 },
      { month: '2026-04', averageDailyBalance: 20_000 },
      { month: '2026-05', averageDailyBalance: 700_000 },
      { month: '2026-06', averageDailyBalance: 700_000 },
    ];
    const customer = { assets: { currentAum: 700_000, monthlyAverages: history } } as Customer;
    expect(decideTierAsOf(customer, '2026-04-30', settings).tier).toBe('effective');
    expect(decideTierAsOf(customer, '2026-06-30', settings).tier).toBe('high_end');
    expect(decideTierAsOf(customer, '2026-01-31', settings)).toMatchObject({ tier: 'potential', basis: 0 });
  });
});
