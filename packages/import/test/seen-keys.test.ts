// Duplicate detection agrees with a plain Set over any sequence of ids, however the table grows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeenKeys } from '../src/seen-keys.js';

describe('SeenKeys', () => {
  it('says "new" exactly when a Set had not seen the id', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 3_000 }), (ids) => {
        const seen = new SeenKeys();
        const reference = new Set<string>();
        for (const id of ids) {
          expect(seen.add(id)).toBe(!reference.has(id));
          reference.add(id);
        }
        expect(seen.size).toBe(reference.size);
      }),
      { numRuns: 50 },
    );
  });

  it('tells apart a hundred thousand customer ids', () => {
    const seen = new SeenKeys();
    for (let index = 0; index < 100_000; index++) expect(seen.add(`C${String(index).padStart(9, '0')}`)).toBe(true);
    expect(seen.add('C000000042')).toBe(false);
  });
});
