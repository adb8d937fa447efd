// Holdout and variant assignment: the cut of the line by cohortAt, stratified batches that split
// every stratum in proportion, and assignments that stay the same across restarts, fresh stores
// and any ordering of the input.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@kequn/store-sqlite';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { assignBatch, cohortAt, experimentSchema, inGlobalHoldout, uniformHash, type Assignment, type Experiment } from '../src/index.js';
import { REMINDER_TYPE, enrolmentsOf, launch, openBank, syntheticCustomers, testKernelWith, withMarketingConsent } from './fixtures.js';

const experiment = (input: Partial<Experiment>): Experiment => experimentSchema.parse(input);

describe('cohortAt', () => {
  const abc = experiment({ holdout: 0.2, variants: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }, { id: 'c', weight: 2 }] });

  it('puts the first holdout share of the line in the control group, the boundary itself in treatment', () => {
    expect(cohortAt(0, abc)).toEqual({ cohort: 'holdout', variant: 'control' });
    expect(cohortAt(0.2 - 1e-12, abc)).toEqual({ cohort: 'holdout', variant: 'control' });
    expect(cohortAt(0.2, abc)).toEqual({ cohort: 'treatment', variant: 'a' });
  });

  it('cuts the rest of the line by weight: a ¼, b ¼, c ½ of the treatment', () => {
    // Treatment spans [0.2, 1): a = [0.2, 0.4), b = [0.4, 0.6), c = [0.6, 1).
    expect(cohortAt(0.4 - 1e-9, abc).variant).toBe('a');
    expect(cohortAt(0.4 + 1e-9, abc).variant).toBe('b');
    expect(cohortAt(0.6 - 1e-9, abc).variant).toBe('b');
    expect(cohortAt(0.6 + 1e-9, abc).variant).toBe('c');
    expect(cohortAt(1 - Number.EPSILON, abc)).toEqual({ cohort: 'treatment', variant: 'c' });
  });

  it('never holds out with a zero share and gives every variant the share of its weight (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (u) => {
        expect(cohortAt(u, experiment({ holdout: 0 })).cohort).toBe('treatment');
        const single = cohortAt(u, experiment({ holdout: 0.5 }));
        expect(single.cohort).toBe(u < 0.5 ? 'holdout' : 'treatment');
      }),
    );
    const weighted = experiment({ holdout: 0, variants: [{ id: 'x', weight: 3 }, { id: 'y', weight: 1 }] });
    const counts = new Map<string, number>();
    for (let step = 0; step < 10_000; step += 1) {
      const variant = cohortAt((step + 0.5) / 10_000, weighted).variant;
      counts.set(variant, (counts.get(variant) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ x: 7_500, y: 2_500 });
  });
});

describe('uniformHash and the global holdout', () => {
  it('maps text into [0, 1), spread evenly', () => {
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let index = 0; index < 20_000; index += 1) {
      const u = uniformHash(`seed|campaign|C${String(index).padStart(9, '0')}`);
      if (!(u >= 0 && u < 1)) outside += 1;
      const bucket = Math.floor(u * 10);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 2_000)).toBeLessThan(200);
  });

  it('keeps the same customers out of every campaign, about the configured share', () => {
    const ids = Array.from({ length: 10_000 }, (_, index) => `C${String(index).padStart(9, '0')}`);
    expect(ids.filter((id) => inGlobalHoldout(id, 0, 'bank')).length).toBe(0);
    const out = ids.filter((id) => inGlobalHoldout(id, 0.05, 'bank'));
    expect(Math.abs(out.length - 500)).toBeLessThan(80);
    const options = { experiment: experiment({ holdout: 0.1 }), globalHoldout: 0.05, globalSeed: 'bank' };
    const global = (campaignId: string) => assignBatch(ids.map((id) => ({ id, stratum: '' })), { ...options, campaignId }).filter((row) => row.cohort === 'global_holdout').map((row) => row.customerId);
    expect(global('spring')).toEqual(out);
    expect(global('autumn')).toEqual(out);
  });
});

const customerArbitrary = fc.record({ id: fc.stringMatching(/^C\d{4}$/), stratum: fc.constantFrom('potential', 'effective', 'mid', 'high_end') });
const experimentArbitrary = fc.record({
  holdout: fc.integer({ min: 0, max: 50 }).map((percent) => percent / 100),
  variants: fc.uniqueArray(fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd'), weight: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 4, selector: (variant) => variant.id }),
  seed: fc.string({ minLength: 1, maxLength: 6 }),
});
const byCustomer = (assignments: readonly Assignment[]) => new Map(assignments.map((assignment) => [assignment.customerId, assignment]));

describe('assignBatch', () => {
  it('splits every stratum in the configured proportions to within one customer (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(customerArbitrary, { minLength: 1, maxLength: 300, selector: (customer) => customer.id }), experimentArbitrary, (customers, input) => {
        const settings = experiment(input);
        const assignments = assignBatch(customers, { campaignId: 'split', experiment: settings, globalHoldout: 0, globalSeed: 'bank' });
        expect(assignments.map((row) => row.customerId)).toEqual(customers.map((customer) => customer.id));
        const total = settings.variants.reduce((sum, variant) => sum + variant.weight, 0);
        for (const stratum of new Set(customers.map((customer) => customer.stratum))) {
          const members = assignments.filter((row) => row.stratum === stratum);
          if (members.length === 1) continue;
          const n = members.length;
          expect(Math.abs(members.filter((row) => row.cohort === 'holdout').length - settings.holdout * n)).toBeLessThanOrEqual(1);
          for (const variant of settings.variants) {
            const expected = n * (1 - settings.holdout) * (variant.weight / total);
            expect(Math.abs(members.filter((row) => row.variant === variant.id).length - expected), `variant ${variant.id} in ${stratum}`).toBeLessThanOrEqual(1);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic and independent of the order of its input (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(customerArbitrary, { minLength: 1, maxLength: 120, selector: (customer) => customer.id }).chain((customers) => fc.tuple(fc.constant(customers), fc.shuffledSubarray(customers, { minLength: customers.length, maxLength: customers.length }))),
        experimentArbitrary,
        fc.integer({ min: 0, max: 20 }).map((percent) => percent / 100),
        ([customers, shuffled], input, globalHoldout) => {
          const options = { campaignId: 'order', experiment: experiment(input), globalHoldout, globalSeed: 'bank' };
          const first = assignBatch(customers, options);
          expect(assignBatch(customers, options)).toEqual(first);
          expect(byCustomer(assignBatch(shuffled, options))).toEqual(byCustomer(first));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('holds out the configured share even when customers arrive in small batches (event triggers)', () => {
    // A maturity or segment-entry trigger enrols a few customers at a time; the holdout must not
    // depend on how the audience happened to be cut into batches.
    const settings = experiment({ holdout: 0.1, variants: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }] });
    for (const size of [2, 3, 4, 5]) {
      const counts = { holdout: 0, a: 0, b: 0 };
      for (let batch = 0; batch < 2_000; batch += 1) {
        const customers = Array.from({ length: size }, (_, index) => ({ id: `C${batch}-${index}`, stratum: '' }));
        for (const row of assignBatch(customers, { campaignId: 'maturity', experiment: settings, globalHoldout: 0, globalSeed: 'bank' })) {
          if (row.cohort === 'holdout') counts.holdout += 1;
          else if (row.variant === 'a') counts.a += 1;
          else counts.b += 1;
        }
      }
      const total = size * 2_000;
      expect(Math.abs(counts.holdout / total - 0.1), `holdout share in batches of ${size}`).toBeLessThan(0.02);
      expect(Math.abs(counts.a - counts.b) / total, `variant balance in batches of ${size}`).toBeLessThan(0.04);
    }
  });

  it('re-randomises with a different experiment seed or campaign', () => {
    const customers = Array.from({ length: 200 }, (_, index) => ({ id: `C${index}`, stratum: '' }));
    const cohorts = (campaignId: string, seed: string) => assignBatch(customers, { campaignId, experiment: experiment({ holdout: 0.5, seed }), globalHoldout: 0, globalSeed: 'bank' }).map((row) => row.cohort);
    expect(cohorts('spring', 'x')).toEqual(cohorts('spring', 'x'));
    expect(cohorts('spring', 'y')).not.toEqual(cohorts('spring', 'x'));
    expect(cohorts('autumn', 'x')).not.toEqual(cohorts('spring', 'x'));
  });
});

describe('assignment is stable across restarts', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kequn-campaign-assign-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('stores the same cohorts and variants in a fresh store, after reopening the store and on re-enrolment', async () => {
    const customers = syntheticCustomers(61, 600, (customer) => withMarketingConsent(customer, ['sms']));
    const kernel = await testKernelWith(customers);
    const input = {
      id: 'ab-test',
      type: REMINDER_TYPE,
      name: { 'zh-CN': 'A/B 测试', en: 'A/B test' },
      parameters: { minAum: 0 },
      experiment: { holdout: 0.15, stratifyBy: 'tier.current', seed: 'q4', variants: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }, { id: 'c', weight: 2 }] },
    };
    const assignmentsIn = async (path: string, action: 'launch' | 'reopen') => {
      const bank = await openBank({ customers, kernel, store: await openSqliteStore({ path }), skipUpsert: action === 'reopen' });
      try {
        if (action === 'launch') await launch(bank.engine, input);
        else expect(await bank.engine.enrolAudience('ab-test', { source: 'restart' })).toEqual({ enrolled: 0, holdout: 0 });
        return new Map((await enrolmentsOf(bank.engine, 'ab-test')).map((row) => [row.customerId, { cohort: row.cohort, variant: row.variant, stratum: row.stratum }]));
      } finally {
        await bank.dispose();
      }
    };
    try {
      const first = await assignmentsIn(join(folder, 'first.db'), 'launch');
      expect(first.size).toBe(customers.length);
      expect(new Set([...first.values()].map((row) => row.variant))).toEqual(new Set(['control', 'a', 'b', 'c']));
      expect(new Set([...first.values()].map((row) => row.stratum)).size).toBeGreaterThan(2);
      expect(await assignmentsIn(join(folder, 'second.db'), 'launch')).toEqual(first);
      expect(await assignmentsIn(':memory:', 'launch')).toEqual(first);
      expect(await assignmentsIn(join(folder, 'first.db'), 'reopen')).toEqual(first);
      // The same answer as the pure function on the same inputs.
      const direct = assignBatch([...first].map(([id, row]) => ({ id, stratum: row.stratum })), { campaignId: 'ab-test', experiment: experiment(input.experiment), globalHoldout: 0, globalSeed: 'kequn-global' });
      expect(new Map(direct.map((row) => [row.customerId, { cohort: row.cohort, variant: row.variant, stratum: row.stratum }]))).toEqual(first);
    } finally {
      await kernel.dispose();
    }
  });
});
