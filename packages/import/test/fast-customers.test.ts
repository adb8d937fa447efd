// The fast path of a customer import (cells straight to the stored row, fast-customers.ts) against
// the general one (readCell, zod, storedCustomerRow): on any row, good or spoiled, it either
// declines, leaving the row to zod, or writes exactly what the general path writes. It must never
// take a row zod refuses, and it must take the plain rows a bank export is made of.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedCustomerRow, type Customer } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBank, importKinds, loadColumnMapping, type ColumnMapping } from '../src/index.js';
import { compileFastCustomerRows, type FastCustomerRows } from '../src/fast-customers.js';
import { createRowConverter, type RowConverter } from '../src/rows.js';
import { openSource } from '../src/sources.js';
import { readDate, readPlainAmount, scanPlainAmount } from '../src/values.js';
import { readPlainDate } from '../src/cell-writers.js';
import { applyNearMiss, nearMiss, trickyCells } from './spoiling.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'kequn-fast-customers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Paths {
  fast: FastCustomerRows;
  general: RowConverter;
  rows: string[][];
}

async function pathsFor(csv: string, mapping: ColumnMapping): Promise<Paths> {
  const source = await openSource(csv, 'csv', 'utf-8');
  const header = source.header ?? [];
  const fast = compileFastCustomerRows(importKinds.customers, mapping, header);
  if (fast === undefined) throw new Error(`no fast path compiled for ${csv}`);
  const rows: string[][] = [];
  for await (const chunk of source.rows) for (const row of chunk) if (row.kind === 'row') rows.push([...(row.cells as string[])]);
  return { fast, general: createRowConverter(importKinds.customers, mapping, header), rows };
}

/** The general path's stored row, or undefined where it rejects the row. */
function generalRow(paths: Paths, cells: readonly string[]): ReturnType<typeof storedCustomerRow> | undefined {
  const converted = paths.general.convert(cells);
  return converted.record === undefined ? undefined : storedCustomerRow(converted.record as unknown as Customer);
}

/** The fast path either declines or agrees with the general path; it never takes a rejected row. */
function expectAgreement(paths: Paths, cells: readonly string[]): boolean {
  const fast = paths.fast(cells);
  const general = generalRow(paths, cells);
  if (general === undefined) expect(fast, `taken though zod refuses: ${cells.join(',')}`).toBeUndefined();
  else if (fast !== undefined) expect(fast).toEqual(general);
  return fast !== undefined;
}

const spoil = fc.oneof(
  // A lone surrogate too: a row from JSON Lines or Parquet can hold one.
  fc.constantFrom(...trickyCells, '\ud800').map((text) => () => text),
  nearMiss.map((miss) => (cell: string) => applyNearMiss(cell, miss)),
  fc.string({ maxLength: 12 }).map((text) => () => text),
);

describe('the fast path of a customer import', () => {
  let exported: Paths;
  beforeAll(async () => {
    await exportBank(createSyntheticBank({ seed: 11, customers: 400 }), scratch);
    exported = await pathsFor(join(scratch, 'customers.csv'), await loadColumnMapping(join(scratch, 'customers.mapping.json'), 'customers'));
  }, 30_000);

  it('takes every row of a bank export, writing what the general path writes', () => {
    expect(exported.rows.length).toBe(400);
    for (const cells of exported.rows) expect(expectAgreement(exported, cells)).toBe(true);
  });

  it('declines or agrees on rows with spoiled cells, and never takes a row zod refuses', () => {
    let taken = 0;
    let declined = 0;
    fc.assert(
      fc.property(fc.nat(exported.rows.length - 1), fc.array(fc.tuple(fc.nat(), spoil), { minLength: 1, maxLength: 3 }), (row, spoils) => {
        const cells = [...(exported.rows[row] as string[])];
        for (const [column, change] of spoils) {
          const index = column % cells.length;
          cells[index] = change(cells[index] as string);
        }
        if (expectAgreement(exported, cells)) taken += 1;
        else declined += 1;
      }),
      { numRuns: 3000 },
    );
    // Both outcomes happen: the property tests something either way.
    expect(taken).toBeGreaterThan(100);
    expect(declined).toBeGreaterThan(100);
  });

  it('agrees on every row of the fixtures, with coded values and a mapping default', async () => {
    const mapping = await loadColumnMapping(join(fixtures, 'bank-a.mapping.yaml'), 'customers');
    let taken = 0;
    for (const fixture of readdirSync(fixtures).filter((name) => name.endsWith('.csv') && !name.includes('gbk') && !name.includes('encoding'))) {
      const paths = await pathsFor(join(fixtures, fixture), mapping);
      for (const cells of paths.rows) if (expectAgreement(paths, cells)) taken += 1;
    }
    expect(taken).toBeGreaterThan(5);
  });

  it('is not compiled where a field is fed by two columns', async () => {
    const mapping = await loadColumnMapping(join(scratch, 'customers.mapping.json'), 'customers');
    const twice = { ...mapping, columns: { ...mapping.columns, 姓名2: 'profile.name' } };
    expect(compileFastCustomerRows(importKinds.customers, twice, ['姓名2', ...Object.keys(mapping.columns)])).toBeUndefined();
  });
});

describe('amounts read without a round trip through text', () => {
  it('give the number readPlainAmount gives, and digits only where String(number) prints them', () => {
    const amountText = fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789,.'.split('')), minLength: 1, maxLength: 20 }), fc.double({ min: 0, max: 1e16, noNaN: true }).map(String));
    fc.assert(
      fc.property(amountText, (text) => {
        const scanned = scanPlainAmount(text);
        const plain = readPlainAmount(text);
        if (scanned === undefined) return;
        expect(scanned.value).toBe(plain);
        if (scanned.digits !== undefined) expect(scanned.digits).toBe(String(scanned.value));
      }),
      { numRuns: 5000 },
    );
    expect(scanPlainAmount('14,800.26')).toEqual({ value: 14_800.26, digits: '14800.26' });
    expect(scanPlainAmount('1,234.50')).toEqual({ value: 1234.5, digits: undefined });
    expect(scanPlainAmount('12,34')).toBeUndefined();
  });
});

describe('dates read without regular expressions', () => {
  it('give the day readDate gives, or are left to it', () => {
    const dateText = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789-/. '.split('')), minLength: 6, maxLength: 11 }),
      fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.constantFrom('-', '/', '.', ''), fc.boolean()).map(
        ([year, month, day, separator, padded]) => {
          const pad = (value: number): string => (padded || separator === '' ? String(value).padStart(2, '0') : String(value));
          return `${String(year).padStart(4, '0')}${separator}${pad(month)}${separator}${pad(day)}`;
        },
      ),
    );
    let read = 0;
    fc.assert(
      fc.property(dateText, (text) => {
        const plain = readPlainDate(text);
        if (plain === undefined) return;
        read += 1;
        expect(plain).toBe(readDate(text));
      }),
      { numRuns: 5000 },
    );
    expect(read).toBeGreaterThan(500);
  });
});
