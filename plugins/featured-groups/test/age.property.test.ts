// ageAt: whole years between a birth date and the as-of date, turning over on the birthday itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageAt } from '../src/index.js';

const dayMs = 86_400_000;
/** Days since 1970-01-01 for 1900-01-01 … 2100-12-31. */
const dayArbitrary = fc.integer({
  min: Date.UTC(1900, 0, 1) / dayMs,
  max: Date.UTC(2100, 11, 31) / dayMs,
});

function isoDay(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

/** The anniversary in `year` of a birth date, as Date.UTC rolls it (29 February → 1 March). */
function anniversary(birth: Date, year: number): number {
  return Date.UTC(year, birth.getUTCMonth(), birth.getUTCDate()) / dayMs;
}

/** The oracle: how many anniversaries have come by `asOf`, counted on a calendar, not by string fields. */
function yearsCompleted(birthDay: number, asOfDay: number): number {
  const birth = new Date(birthDay * dayMs);
  const asOf = new Date(asOfDay * dayMs);
  const years = asOf.getUTCFullYear() - birth.getUTCFullYear();
  return anniversary(birth, asOf.getUTCFullYear()) <= asOfDay ? years : years - 1;
}

describe('ageAt', () => {
  it('counts the anniversaries passed, for any birth date and any later as-of date', () => {
    fc.assert(
      fc.property(dayArbitrary, dayArbitrary, (first, second) => {
        const [birthDay, asOfDay] = first <= second ? [first, second] : [second, first];
        expect(ageAt(isoDay(birthDay), isoDay(asOfDay))).toBe(yearsCompleted(birthDay, asOfDay));
      }),
    );
  });

  it('turns over on the birthday, not the day before', () => {
    fc.assert(
      fc.property(dayArbitrary, fc.integer({ min: 1, max: 110 }), (birthDay, years) => {
        const birth = isoDay(birthDay);
        fc.pre(!birth.endsWith('-02-29'));
        const birthday = anniversary(
          new Date(birthDay * dayMs),
          new Date(birthDay * dayMs).getUTCFullYear() + years,
        );
        expect(ageAt(birth, isoDay(birthday))).toBe(years);
        expect(ageAt(birth, isoDay(birthday - 1))).toBe(years - 1);
      }),
    );
  });

  it('never decreases as the as-of date moves forward', () => {
    fc.assert(
      fc.property(
        dayArbitrary,
        dayArbitrary,
        fc.integer({ min: 0, max: 3_000 }),
        (birthDay, asOfDay, later) => {
          fc.pre(birthDay <= asOfDay);
          expect(ageAt(isoDay(birthDay), isoDay(asOfDay + later))).toBeGreaterThanOrEqual(
            ageAt(isoDay(birthDay), isoDay(asOfDay)),
          );
        },
      ),
    );
  });

  it('counts someone born on 29 February a year older from 1 March in common years', () => {
    expect(ageAt('2000-02-29', '2001-02-28')).toBe(0);
    expect(ageAt('2000-02-29', '2001-03-01')).toBe(1);
    expect(ageAt('2000-02-29', '2004-02-29')).toBe(4);
  });
});
