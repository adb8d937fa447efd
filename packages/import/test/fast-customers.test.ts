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

// Cell texts near the edges of what the readers and the schema take.
const trickyCells = [
  '', ' ', '\u3000', ' x ', '-1', '+5', '1e3', '0', '00.50', '0.0', '1,2,3', '1,234.50', '1,234', '12,34', '0,123', '¥1234.5', '1234567890123456.5', '0.0000001',
  '2026/2/30', '2024-02-29', '2026-02-29', '20260229', '0099-01-01', '0999-12-31', '1000/1/1', '1900-02-29', '2000/2/29', '2026.1.5', '2026-1-5', '2026-01-5', '2026-1-05', '2026/01/5', '2026-11-22 ', '2026-11-22 09:30', '2026-11-22T25:00:00+08:00', '2026-11-22T09:30:00Z',
  'Y', 'N', 'y', 'TRUE', '是', '否', '√', 'maybe', 'male', '男', '女', '未知', 'farmer', 'FARMER', 'married', 'C3', 'C9', '21', '20', '2.5',
  '[]', '[1]', 'null', '[{"month":"2026-09","averageDailyBalance":1}]', 'a"b', 'a\\b', '\u0001', '\ud800', '😀', 'x'.repeat(101), 'a@b.cn', 'not-an-email',
  '2026-09:1,234.5', '2026-09=1', '2026-13:1', '2026-09:-1', '2026-09:1;;2026-10:2', '2026-09:1|2026-10:2', ' 2026-09:1', '2026-09:1 ', '2026-09:00.5', '2026-9:1',
  'sms/marketing/Y/2017-06-26T12:51:26+08:00', 'sms/marketing/Y/2017-06-26T12:51:26+08:00/2018-01-01T00:00:00Z', 'sms/marketing/Y/2017-06-26T12:51:26+08:00/',
  'sms/marketing/Y/2017-06-26T12:51:26+08:00/x/y', 'fax/marketing/Y/2017-06-26T12:51:26+08:00', 'sms/marketing/maybe/2017-06-26T12:51:26+08:00', 'sms/marketing/是/2017-06-26T12:51:26Z',
  ' sms/service/N/2017-06-26T12:51:26+08:00 | email/service/Y/2017-06-26T12:51:26Z', 'sms/marketing/Y/2017-06-26 12:51', 'sms/marketing/Y', '|', 'VIP|代发', 'VIP;;代发|',
];

/** Changes one character of a cell: near-misses of every spelling the fast path takes. */
const nearMiss = fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom(...'0123456789,.-:;|/ YN是T+Z"[\u3000'.split('')));

function applyNearMiss(text: string, [at, change, character]: [number, string, string]): string {
  const position = text.length === 0 ? 0 : at % (text.length + 1);
  if (change === 'insert') return text.slice(0, position) + character + text.slice(position);
  if (change === 'delete') return text.slice(0, position) + text.slice(position + 1);
  return text.slice(0, position) + character + text.slice(position + 1);
}

const spoil = fc.oneof(
  fc.constantFrom(...trickyCells).map((text) => () => text),
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
