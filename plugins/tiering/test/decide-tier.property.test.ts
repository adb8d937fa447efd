// Properties of decideTier over random monthly histories and random (valid) bank settings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideTier,
  tierForBasis,
  tierIds,
  tieringSettingsSchema,
  type TierId,
} from '../src/index.js';
import {
  amountInBand,
  anyAmount,
  monthlyHistory,
  rankOf,
  repeat,
  settingsArbitrary,
  tierArbitrary,
} from './histories.js';

/** The tiers that have a floor, in rising order. */
const tiersAbovePotential = ['effective', 'mid', 'high_end', 'private'] as const;

describe('a customer whose months all sit in one band', () => {
  it('gets that band’s tier, whatever the thresholds, window and hysteresis', () => {
    fc.assert(
      fc.property(
        settingsArbitrary().chain((settings) =>
          tierArbitrary.chain((tier) =>
            fc.record({
              settings: fc.constant(settings),
              tier: fc.constant(tier),
              amounts: fc.array(amountInBand(tier, settings.thresholds), {
                minLength: 1,
                maxLength: 36,
              }),
            }),
          ),
        ),
        ({ settings, tier, amounts }) => {
          const decision = decideTier(monthlyHistory(amounts), 0, settings);
          expect(decision.tier).toBe(tier);
          expect(decision.monthsBelow).toBe(0);
          expect(decision.monthsAbove).toBe(0);
        },
      ),
    );
  });

  it('ends in that band after window + hysteresis months, whatever came before', () => {
    fc.assert(
      fc.property(
        settingsArbitrary().chain((settings) => {
          const settledMonths =
            settings.windowMonths -
            1 +
            Math.max(settings.downgradeAfterMonths, settings.upgradeAfterMonths);
          return tierArbitrary.chain((tier) =>
            fc.record({
              settings: fc.constant(settings),
              tier: fc.constant(tier),
              earlier: fc.array(anyAmount(settings.thresholds), { maxLength: 24 }),
              settled: fc.array(amountInBand(tier, settings.thresholds), {
                minLength: settledMonths,
                maxLength: settledMonths + 6,
              }),
            }),
          );
        }),
        ({ settings, tier, earlier, settled }) => {
          const decision = decideTier(monthlyHistory([...earlier, ...settled]), 0, settings);
          expect(decision.tier).toBe(tier);
        },
      ),
    );
  });

  it('is judged on today’s balance when there is no monthly history yet', () => {
    fc.assert(
      fc.property(
        settingsArbitrary().chain((settings) =>
          fc.record({
            settings: fc.constant(settings),
            currentAum: anyAmount(settings.thresholds),
          }),
        ),
        ({ settings, currentAum }) => {
          const decision = decideTier([], currentAum, settings);
          expect(decision.tier).toBe(tierForBasis(currentAum, settings.thresholds));
          expect(decision.basis).toBe(currentAum);
        },
      ),
    );
  });
});

describe('the basis is a rolling mean, not a single month', () => {
  it('is the mean of the latest windowMonths months (fewer while the history is short)', () => {
    fc.assert(
      fc.property(
        settingsArbitrary(),
        fc.array(fc.integer({ min: 0, max: 50_000_000 }), { minLength: 1, maxLength: 36 }),
        (settings, amounts) => {
          const window = amounts.slice(-settings.windowMonths);
          const mean = window.reduce((total, amount) => total + amount, 0) / window.length;
          expect(decideTier(monthlyHistory(amounts), 0, settings).basis).toBeCloseTo(mean, 6);
        },
      ),
    );
  });
});

describe('hysteresis: downgrades wait for consecutive months below the floor', () => {
  it('never downgrades on a single month below the floor when downgradeAfterMonths ≥ 2', () => {
    fc.assert(
      fc.property(
        settingsArbitrary({ downgradeAfterMonths: { min: 2, max: 12 } }).chain((settings) =>
          fc.record({
            settings: fc.constant(settings),
            amounts: fc.array(anyAmount(settings.thresholds), { minLength: 1, maxLength: 36 }),
            nextMonth: anyAmount(settings.thresholds),
          }),
        ),
        ({ settings, amounts, nextMonth }) => {
          const before = decideTier(monthlyHistory(amounts), 0, settings);
          fc.pre(before.monthsBelow === 0);
          const after = decideTier(monthlyHistory([...amounts, nextMonth]), 0, settings);
          expect(rankOf(after.tier)).toBeGreaterThanOrEqual(rankOf(before.tier));
        },
      ),
    );
  });

  it('downgrades after exactly downgradeAfterMonths consecutive months in a lower band', () => {
    fc.assert(
      fc.property(
        settingsArbitrary({ windowMonths: { min: 1, max: 1 } }).chain((settings) =>
          fc.constantFrom(...tiersAbovePotential).chain((settledTier) => {
            const lowerTiers = tierIds.filter((tier) => rankOf(tier) < rankOf(settledTier));
            return fc.constantFrom(...lowerTiers).chain((lowerTier) =>
              fc.record({
                settings: fc.constant(settings),
                settledTier: fc.constant(settledTier),
                lowerTier: fc.constant(lowerTier),
                settledAmount: amountInBand(settledTier, settings.thresholds),
                settledMonths: fc.integer({ min: 1, max: 12 }),
                lowerAmount: amountInBand(lowerTier, settings.thresholds),
                monthsBelow: fc.integer({ min: 1, max: settings.downgradeAfterMonths }),
              }),
            );
          }),
        ),
        (scenario) => {
          const { settings, settledTier, lowerTier, monthsBelow } = scenario;
          const amounts = [
            ...repeat(scenario.settledAmount, scenario.settledMonths),
            ...repeat(scenario.lowerAmount, monthsBelow),
          ];
          const decision = decideTier(monthlyHistory(amounts), 0, settings);
          const downgraded = monthsBelow >= settings.downgradeAfterMonths;
          expect(decision.tier).toBe<TierId>(downgraded ? lowerTier : settledTier);
          expect(decision.monthsBelow).toBe(downgraded ? 0 : monthsBelow);
        },
      ),
    );
  });
});

describe('hysteresis: upgrades wait for upgradeAfterMonths', () => {
  it('upgrades after exactly upgradeAfterMonths consecutive months in a higher band', () => {
    fc.assert(
      fc.property(
        settingsArbitrary({ windowMonths: { min: 1, max: 1 } }).chain((settings) =>
          fc.constantFrom(...tierIds.filter((tier) => tier !== 'private')).chain((settledTier) => {
            const higherTiers = tierIds.filter((tier) => rankOf(tier) > rankOf(settledTier));
            return fc.constantFrom(...higherTiers).chain((higherTier) =>
              fc.record({
                settings: fc.constant(settings),
                settledTier: fc.constant(settledTier),
                higherTier: fc.constant(higherTier),
                settledAmount: amountInBand(settledTier, settings.thresholds),
                settledMonths: fc.integer({ min: 1, max: 12 }),
                higherAmount: amountInBand(higherTier, settings.thresholds),
                monthsAbove: fc.integer({ min: 1, max: settings.upgradeAfterMonths }),
              }),
            );
          }),
        ),
        (scenario) => {
          const { settings, settledTier, higherTier, monthsAbove } = scenario;
          const amounts = [
            ...repeat(scenario.settledAmount, scenario.settledMonths),
            ...repeat(scenario.higherAmount, monthsAbove),
          ];
          const decision = decideTier(monthlyHistory(amounts), 0, settings);
          const upgraded = monthsAbove >= settings.upgradeAfterMonths;
          expect(decision.tier).toBe<TierId>(upgraded ? higherTier : settledTier);
          expect(decision.monthsAbove).toBe(upgraded ? 0 : monthsAbove);
        },
      ),
    );
  });
});

describe('every decision is well-formed', () => {
  it('is one of the five tiers, with pending counters below their limits and never both pending', () => {
    fc.assert(
      fc.property(
        settingsArbitrary().chain((settings) =>
          fc.record({
            settings: fc.constant(settings),
            amounts: fc.array(anyAmount(settings.thresholds), { maxLength: 60 }),
            currentAum: anyAmount(settings.thresholds),
          }),
        ),
        ({ settings, amounts, currentAum }) => {
          const decision = decideTier(monthlyHistory(amounts), currentAum, settings);
          expect(tierIds).toContain(decision.tier);
          expect(Number.isFinite(decision.basis)).toBe(true);
          expect(decision.monthsBelow).toBeGreaterThanOrEqual(0);
          expect(decision.monthsBelow).toBeLessThan(settings.downgradeAfterMonths);
          expect(decision.monthsAbove).toBeGreaterThanOrEqual(0);
          expect(decision.monthsAbove).toBeLessThan(settings.upgradeAfterMonths);
          expect(decision.monthsBelow > 0 && decision.monthsAbove > 0).toBe(false);
        },
      ),
    );
  });
});

describe('thresholds are the bank’s to set', () => {
  it('puts a basis at a floor in that tier and one yuan below it in the tier beneath', () => {
    fc.assert(
      fc.property(settingsArbitrary(), ({ thresholds }) => {
        for (const [index, tier] of tiersAbovePotential.entries()) {
          const floor = thresholds[tier];
          expect(tierForBasis(floor, thresholds)).toBe(tier);
          expect(tierForBasis(floor - 1, thresholds)).toBe(tierIds[index]);
        }
      }),
    );
  });

  it('keeps a steady 10,000–19,999 customer "potential" at a bank that starts "effective" at 20,000', () => {
    const byDefault = tieringSettingsSchema.parse({});
    const from20k = tieringSettingsSchema.parse({ thresholds: { effective: 20_000 } });
    fc.assert(
      fc.property(
        fc.integer({ min: 10_000, max: 19_999 }),
        fc.integer({ min: 1, max: 24 }),
        (amount, months) => {
          const history = monthlyHistory(repeat(amount, months));
          expect(decideTier(history, amount, byDefault).tier).toBe('effective');
          expect(decideTier(history, amount, from20k).tier).toBe('potential');
        },
      ),
    );
  });

  it('agrees with the default bank from 20,000 upwards', () => {
    const byDefault = tieringSettingsSchema.parse({});
    const from20k = tieringSettingsSchema.parse({ thresholds: { effective: 20_000 } });
    fc.assert(
      fc.property(fc.integer({ min: 20_000, max: 20_000_000 }), (basis) => {
        expect(tierForBasis(basis, from20k.thresholds)).toBe(
          tierForBasis(basis, byDefault.thresholds),
        );
      }),
    );
  });
});
