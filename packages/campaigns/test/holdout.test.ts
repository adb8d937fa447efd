// The control groups are never treated: a campaign's holdout and the bank's global holdout get no
// message and no step, whatever the seed and shares; and the holdout is the configured share —
// exactly, to within one customer, in every stratum when assignment is stratified.
import type { Customer } from '@kequn/core';
import { openSqliteStore } from '@kequn/store-sqlite';
import type { TestKernel } from '@kequn/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inGlobalHoldout } from '../src/index.js';
import { REMINDER_TYPE, enrolmentsOf, launch, openBank, outboxRows, stepRunRows, syntheticCustomers, testKernelWith, withMarketingConsent } from './fixtures.js';

describe('holdout groups never receive the treatment', () => {
  const customers: Customer[] = syntheticCustomers(53, 300, (customer) => withMarketingConsent(customer, ['sms']));
  let kernel: TestKernel;
  beforeAll(async () => {
    kernel = await testKernelWith(customers);
  });
  afterAll(() => kernel.dispose());

  it('holds over seeds, holdout shares, global holdouts and stratification (property)', async () => {
    let holdoutsSeen = 0;
    let globalSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.string({ minLength: 1, maxLength: 8 }),
          globalSeed: fc.string({ minLength: 1, maxLength: 8 }),
          holdout: fc.integer({ min: 0, max: 50 }).map((percent) => percent / 100),
          globalHoldout: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 }).map((percent) => percent / 100)),
          stratified: fc.boolean(),
        }),
        async ({ seed, globalSeed, holdout, globalHoldout, stratified }) => {
          const bank = await openBank({ customers, kernel, store: await openSqliteStore({ path: ':memory:' }), engine: { globalHoldout, globalSeed } });
          try {
            await launch(bank.engine, {
              id: 'holdout-check',
              type: REMINDER_TYPE,
              name: { 'zh-CN': '对照组', en: 'Control group' },
              parameters: { minAum: 0 },
              experiment: { holdout, seed, ...(stratified ? { stratifyBy: 'tier.current' } : {}) },
            });
            await bank.engine.runUntil('2026-11-06T10:00:00+08:00');
            const enrolments = await enrolmentsOf(bank.engine, 'holdout-check');
            expect(enrolments.length).toBe(customers.length);
            const messaged = new Set((await outboxRows(bank.store)).map((row) => row.customerId));
            const stepped = new Set((await stepRunRows(bank.store, 'holdout-check')).map((run) => run.customerId));
            const strata = new Map<string, { members: number; holdout: number }>();
            for (const enrolment of enrolments) {
              expect(enrolment.cohort === 'global_holdout').toBe(inGlobalHoldout(enrolment.customerId, globalHoldout, globalSeed));
              if (enrolment.cohort === 'treatment') {
                expect(messaged.has(enrolment.customerId)).toBe(true);
                expect(enrolment.exitReason).toBe('completed');
                continue;
              }
              expect(messaged.has(enrolment.customerId), `${enrolment.customerId} (${enrolment.cohort}) was messaged`).toBe(false);
              expect(stepped.has(enrolment.customerId), `${enrolment.customerId} (${enrolment.cohort}) ran a step`).toBe(false);
              expect(enrolment.variant).toBe('control');
              if (enrolment.cohort === 'global_holdout') {
                globalSeen += 1;
                continue;
              }
              holdoutsSeen += 1;
            }
            for (const enrolment of enrolments) {
              if (enrolment.cohort === 'global_holdout') continue;
              const stratum = strata.get(enrolment.stratum) ?? { members: 0, holdout: 0 };
              stratum.members += 1;
              if (enrolment.cohort === 'holdout') stratum.holdout += 1;
              strata.set(enrolment.stratum, stratum);
            }
            if (stratified) expect(strata.size).toBeGreaterThan(1);
            else expect([...strata.keys()]).toEqual(['']);
            for (const [stratum, { members, holdout: held }] of strata) {
              // Single-member strata fall back to the customer's own hash: any outcome is exact enough.
              if (members > 1) expect(Math.abs(held - holdout * members), `stratum ${stratum}: ${held} of ${members}`).toBeLessThanOrEqual(1);
            }
          } finally {
            await bank.dispose();
          }
        },
      ),
      { numRuns: 10, seed: 53 },
    );
    expect(holdoutsSeen).toBeGreaterThan(0);
    expect(globalSeen).toBeGreaterThan(0);
  });
});
