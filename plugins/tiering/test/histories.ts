// Arbitraries for tiering properties: valid settings (thresholds strictly rising) and monthly
// histories whose amounts sit inside a chosen tier's band. Amounts are whole yuan so that rolling
// sums are exact and a mean of in-band months stays in the band.
import fc from 'fast-check';
import type { MonthlyAverage } from '@kequn/core';
import { tierIds, tieringSettingsSchema, type TierId, type TieringSettings } from '../src/index.js';

type Thresholds = TieringSettings['thresholds'];

/** Four strictly rising floors, built from positive steps so that every draw is valid. */
export const thresholdsArbitrary: fc.Arbitrary<Thresholds> = fc
  .tuple(
    fc.integer({ min: 1, max: 100_000 }),
    fc.integer({ min: 1, max: 1_000_000 }),
    fc.integer({ min: 1, max: 5_000_000 }),
    fc.integer({ min: 1, max: 20_000_000 }),
  )
  .map(([effective, toMid, toHighEnd, toPrivate]) => ({
    effective,
    mid: effective + toMid,
    high_end: effective + toMid + toHighEnd,
    private: effective + toMid + toHighEnd + toPrivate,
  }));

export interface SettingsBounds {
  windowMonths?: { min: number; max: number };
  downgradeAfterMonths?: { min: number; max: number };
  upgradeAfterMonths?: { min: number; max: number };
}

/** Settings as a bank could configure them, parsed through the plugin's own schema. */
export function settingsArbitrary(bounds: SettingsBounds = {}): fc.Arbitrary<TieringSettings> {
  return fc
    .record({
      thresholds: thresholdsArbitrary,
      windowMonths: fc.integer(bounds.windowMonths ?? { min: 1, max: 24 }),
      downgradeAfterMonths: fc.integer(bounds.downgradeAfterMonths ?? { min: 1, max: 12 }),
      upgradeAfterMonths: fc.integer(bounds.upgradeAfterMonths ?? { min: 1, max: 12 }),
    })
    .map((input) => tieringSettingsSchema.parse(input));
}

/** The whole-yuan amounts (inclusive) that fall in a tier's band. */
export function bandOf(tier: TierId, thresholds: Thresholds): { min: number; max: number } {
  switch (tier) {
    case 'potential':
      return { min: 0, max: thresholds.effective - 1 };
    case 'effective':
      return { min: thresholds.effective, max: thresholds.mid - 1 };
    case 'mid':
      return { min: thresholds.mid, max: thresholds.high_end - 1 };
    case 'high_end':
      return { min: thresholds.high_end, max: thresholds.private - 1 };
    case 'private':
      return { min: thresholds.private, max: thresholds.private * 3 };
  }
}

export function amountInBand(tier: TierId, thresholds: Thresholds): fc.Arbitrary<number> {
  return fc.integer(bandOf(tier, thresholds));
}

/** Any amount from nothing to well above the private-banking floor. */
export function anyAmount(thresholds: Thresholds): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: thresholds.private * 3 });
}

export const tierArbitrary: fc.Arbitrary<TierId> = fc.constantFrom(...tierIds);

export function rankOf(tier: TierId): number {
  return tierIds.indexOf(tier);
}

/** Consecutive calendar months from January 2020, oldest first. */
export function monthlyHistory(amounts: readonly number[]): MonthlyAverage[] {
  return amounts.map((averageDailyBalance, index) => {
    const year = 2020 + Math.floor(index / 12);
    const month = String((index % 12) + 1).padStart(2, '0');
    return { month: `${year}-${month}`, averageDailyBalance };
  });
}

export function repeat(amount: number, months: number): number[] {
  return Array.from({ length: months }, () => amount);
}
