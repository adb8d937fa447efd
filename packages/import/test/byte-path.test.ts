// The byte path of a UTF-8 customer import (csv-bytes.ts, byte-cells.ts, byte-customers.ts) against
// the string reading it stands in for: each byte reader agrees with its string twin, the transcoder
// takes exactly the rows the string fast path takes and writes the same bytes, the byte CSV reader
// reads any file (quotes, line breaks, BOMs, bad bytes, cut at any chunk size) into the same rows and
// problems as openSource, and an import either way leaves the same store and the same reject file.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Customer } from '@kequn/core';
import { openSqliteStore } from '@kequn/store-sqlite';
import { createSyntheticBank } from '@kequn/testing';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ByteOut, isIsoInstant, spaceAt, trimmable, writeByteAmount, writeByteDate } from '../src/byte-cells.js';
import { ByteRowColumns, compileByteCustomerRows, type ByteCustomerRows } from '../src/byte-customers.js';
import { readPlainDate, writePlainAmount } from '../src/cell-writers.js';
import { CsvByteReader } from '../src/csv-bytes.js';
import type { CsvItem } from '../src/csv-records.js';
import { ImportSourceError } from '../src/errors.js';
import { compileFastCustomerRows, type FastCustomerRows } from '../src/fast-customers.js';
import { exportBank, importCustomers, importKinds, loadColumnMapping, type ColumnMapping, type ImportSummary } from '../src/index.js';
import { judgeCsvItem, openSource, type SourceProblem, type SourceRow } from '../src/sources.js';
import { applyNearMiss, nearMiss, trickyCells as baseTrickyCells } from './spoiling.js';
import { scanPlainAmount } from '../src/values.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixtureMapping = join(fixtures, 'bank-a.mapping.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'kequn-byte-path-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Fixtures that are UTF-8 (the byte path reads no other encoding). */
const utf8Fixtures = readdirSync(fixtures).filter((name) => name.endsWith('.csv') && !name.includes('gbk'));

/**
 * `text`'s UTF-8 between other bytes, so that a reader looking before `start` or past `end` sees
 * characters that would change its answer (digits, separators, a quote, a space).
 */
function embedded(text: string, before: string, after: string): { bytes: Buffer; start: number; end: number } {
  const head = Buffer.from(before, 'utf8');
  const body = Buffer.from(text, 'utf8');
  return { bytes: Buffer.concat([head, body, Buffer.from(after, 'utf8')]), start: head.length, end: head.length + body.length };
}

const surroundings = fc.constantFrom('', '0', '9', ',', '.', '-', '1,234', '"', ' ', '\u3000', 'Z', '+08:00', ':00', '/', '5.');

describe('byte readers of cells, against their string twins', () => {
  it('spaceAt finds exactly the characters String.prototype.trim removes', () => {
    const astral = [0x10000, 0x1f600, 0x20000, 0x2fa1d, 0xe0020, 0x10ffff];
    const codePoints: number[] = [...astral];
    for (let code = 0; code <= 0xffff; code++) if (code < 0xd800 || code > 0xdfff) codePoints.push(code);
    let spaces = 0;
    for (const code of codePoints) {
      const character = String.fromCodePoint(code);
      const isSpace = character.trim() === '';
      if (isSpace) spaces += 1;
      // Alone, and followed by a no-break space, which a reader must not take for part of the character.
      for (const after of ['', '\u00a0', '\u3000']) {
        const { bytes, start } = embedded(character, 'a', after);
        expect(spaceAt(bytes, start), `U+${code.toString(16).padStart(4, '0')}`).toBe(isSpace);
      }
    }
    // Tab to carriage return, space, and the 15 others trim removes.
    expect(spaces).toBe(25);
  });

  it('trimmable says whether trim would change a text', () => {
    const unit = fc.constantFrom('a', '客', '😀', ' ', '\t', '\u00a0', '\u3000', '\ufeff', '\u2028', '\u200b', '\u0085', '\u180e', 'é');
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 6 }), surroundings, surroundings, (text, before, after) => {
        const { bytes, start, end } = embedded(text, before, after);
        expect(trimmable(bytes, start, end)).toBe(text.trim() !== text);
      }),
      { numRuns: 3000 },
    );
  });

  it('writeByteAmount writes what writePlainAmount writes, and declines only where it must', () => {
    const digits = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: min, maxLength: max });
    const grouped = (whole: string): string => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    const amountText = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789,.-+ eE¥a'.split('')), maxLength: 24 }),
      fc.string({ unit: fc.constantFrom(...'0123456789,.'.split('')), minLength: 1, maxLength: 30 }),
      fc.tuple(digits(1, 25), fc.option(digits(0, 25)), fc.boolean()).map(([whole, fraction, group]) => `${group ? grouped(whole) : whole}${fraction === null ? '' : `.${fraction}`}`),
      fc.double({ min: 0, max: 1e17, noNaN: true }).map(String),
      fc.tuple(fc.double({ min: 0, max: 1e12, noNaN: true }).map(String), nearMiss).map(([text, miss]) => applyNearMiss(text, miss)),
    );
    const tests: Array<(value: number) => boolean> = [(value) => value >= 0, () => true, (value) => value <= 1000, Number.isInteger, (value) => value > 0 && value < 1e12];
    let written = 0;
    let declined = 0;
    fc.assert(
      fc.property(amountText, fc.nat(tests.length - 1), surroundings, surroundings, (text, which, before, after) => {
        const test = tests[which] as (value: number) => boolean;
        const { bytes, start, end } = embedded(text, before, after);
        // A small output, so that writing must grow it.
        const out = new ByteOut(1);
        const pieces: string[] = [];
        const byByte = writeByteAmount(bytes, start, end, test, out);
        const byString = writePlainAmount(text, test, pieces);
        if (byByte) {
          written += 1;
          expect(byString, text).toBe(true);
          expect(out.bytes.toString('utf8', 0, out.at), text).toBe(pieces.join(''));
        } else {
          declined += 1;
          // Declined: either the string writer declines too, or the text is beyond what scanPlainAmount covers.
          if (byString) expect(scanPlainAmount(text), text).toBeUndefined();
        }
      }),
      { numRuns: 20_000 },
    );
    expect(written).toBeGreaterThan(2000);
    expect(declined).toBeGreaterThan(2000);
  });

  it('writeByteDate reads a date exactly when readPlainDate does, as the same day', () => {
    const pad = (value: number, width: number): string => String(value).padStart(width, '0');
    const spelled = fc
      .tuple(
        fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(999, 1000, 1600, 1900, 2000, 2024, 2026, 2100, 9999)),
        fc.integer({ min: 0, max: 13 }),
        fc.oneof(fc.integer({ min: 0, max: 32 }), fc.constantFrom(28, 29, 30, 31)),
        fc.constantFrom('-', '/', '.', ''),
        fc.boolean(),
      )
      .map(([year, month, day, separator, padded]) => {
        const part = (value: number): string => (padded || separator === '' ? pad(value, 2) : String(value));
        return `${pad(year, 4)}${separator}${part(month)}${separator}${part(day)}`;
      });
    const dateText = fc.oneof(
      spelled,
      fc.tuple(spelled, nearMiss).map(([text, miss]) => applyNearMiss(text, miss)),
      fc.string({ unit: fc.constantFrom(...'0123456789-/. '.split('')), maxLength: 11 }),
    );
    let read = 0;
    fc.assert(
      fc.property(dateText, surroundings, surroundings, (text, before, after) => {
        const { bytes, start, end } = embedded(text, before, after);
        const out = new ByteOut(1);
        const plain = readPlainDate(text);
        expect(writeByteDate(bytes, start, end, out), text).toBe(plain !== undefined);
        if (plain === undefined) return;
        read += 1;
        expect(out.bytes.toString('utf8', 0, out.at), text).toBe(JSON.stringify(plain));
      }),
      { numRuns: 20_000 },
    );
    expect(read).toBeGreaterThan(2000);
  });

  it('isIsoInstant agrees exactly with zod on near-misses of instants, and every date writeByteDate writes is one zod takes', () => {
    const instantSchema = z.iso.datetime({ offset: true });
    const dateSchema = z.iso.date();
    const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
    const day = fc.tuple(
      fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 4, 100, 400, 1600, 1900, 2000, 2024, 2025, 2100, 9996, 9999)),
      fc.oneof(fc.integer({ min: 0, max: 13 }), fc.constant(2)),
      fc.oneof(fc.integer({ min: 0, max: 32 }), fc.constantFrom(28, 29, 30, 31)),
    );
    const dateText = day.map(([year, month, date]) => `${pad(year, 4)}-${pad(month)}-${pad(date)}`);
    const instantText = fc
      .tuple(
        dateText,
        fc.oneof({ weight: 9, arbitrary: fc.constant('T') }, { weight: 1, arbitrary: fc.constantFrom('t', ' ', '') }),
        fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 23 }) }, { weight: 1, arbitrary: fc.constantFrom(23, 24, 25, 99) }),
        fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 59 }) }, { weight: 1, arbitrary: fc.constantFrom(59, 60, 61) }),
        fc.option(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 59 }) }, { weight: 1, arbitrary: fc.constantFrom(59, 60, 61) }), { freq: 8 }),
        fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), maxLength: 12 }), { freq: 2 }),
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('Z', '+08:00', '-05:30', '+23:59', '-00:00', '+14:00') },
          { weight: 1, arbitrary: fc.constantFrom('+24:00', '-12:60', '+0800', '+08', '', 'z', ' Z', 'Z ', '+8:00', '+08:00Z', 'ZZ', '+08:000', '+08:0', '08:00') },
        ),
      )
      .map(([date, separator, hour, minute, second, fraction, zone]) => {
        const time = `${pad(hour)}:${pad(minute)}${second === null ? '' : `:${pad(second)}`}`;
        return `${date}${separator}${time}${fraction === null ? '' : `.${fraction}`}${zone}`;
      });
    const isoMiss = fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom(...'0123456789-:T.Z+ tz/'.split(''), '０', '٣'));
    const text = fc.oneof(
      instantText,
      dateText,
      fc.tuple(fc.oneof(instantText, dateText), isoMiss).map(([value, miss]) => applyNearMiss(value, miss)),
      fc.tuple(fc.oneof(instantText, dateText), isoMiss, isoMiss).map(([value, first, second]) => applyNearMiss(applyNearMiss(value, first), second)),
    );
    let instants = 0;
    let dates = 0;
    let written = 0;
    fc.assert(
      fc.property(text, surroundings, surroundings, (value, before, after) => {
        const { bytes, start, end } = embedded(value, before, after);
        const instant = instantSchema.safeParse(value).success;
        const date = dateSchema.safeParse(value).success;
        if (instant) instants += 1;
        if (date) dates += 1;
        expect(isIsoInstant(bytes, start, end), `instant ${value}`).toBe(instant);
        const out = new ByteOut(64);
        if (writeByteDate(bytes, start, end, out)) {
          written += 1;
          expect(dateSchema.safeParse(out.bytes.toString('utf8', 1, out.at - 1)).success, `date ${value}`).toBe(true);
        }
      }),
      { numRuns: 30_000 },
    );
    // Both answers happen often enough for the agreement to mean something.
    expect(instants).toBeGreaterThan(1000);
    expect(dates).toBeGreaterThan(1000);
    expect(written).toBeGreaterThan(1000);
    for (const [value, instant] of [
      ['2024-02-29T00:00:00Z', true],
      ['2023-02-29T00:00:00Z', false],
      ['1900-02-29T00:00:00Z', false],
      ['2000-02-29T00:00:00.123456789+08:00', true],
      ['2026-11-22T24:00:00Z', false],
      ['2026-11-22T23:60:00Z', false],
      ['2026-11-22T09:30Z', false],
      ['2026-11-22T09:30:00.Z', false],
      ['2026-11-22T09:30:00+0800', false],
    ] as const) {
      const { bytes, start, end } = embedded(value, '', '');
      expect(isIsoInstant(bytes, start, end), value).toBe(instant);
    }
  });
});

// The cells fast-customers.test.ts spoils rows with, and some that only the bytes make different:
// characters of two, three and four bytes, spaces trim removes that are not ASCII, and lengths in
// UTF-16 units.
const trickyCells = [
  ...baseTrickyCells,
  '\u00a0x', 'x\u00a0', '\ufeffx', 'x\u2028', '\u2029', '客'.repeat(100), '客'.repeat(101), '😀'.repeat(50), '😀'.repeat(51), 'é', '\u007f', '\t1,234',
  'sms/marketing/Y/2017-06-26T12:51:26+08:00\u3000', '\u00a0sms/marketing/Y/2017-06-26T12:51:26+08:00', 'sms/marketing/N/2024-02-29T23:59:59.5Z', 'sms/marketing/N/2023-02-29T23:59:59Z',
  'sms/marketing/Y/2017-06-26T12:51:26+08:00||sms/service/N/2017-06-26T12:51:26Z|', 'sms//Y/2017-06-26T12:51:26Z', '/marketing/Y/2017-06-26T12:51:26Z',
  '2026-09:1;2026-10:1234567.123456789', '2026-09:1;2026-10:0001', '2026-09:', '2026-09:1;2026-09:2', '2026-0x:1', '1,234,567.8900', '1234567.1234567', '12345678901234567890',
];

const spoil = fc.oneof(
  fc.constantFrom(...trickyCells).map((text) => () => text),
  nearMiss.map((miss) => (cell: string) => applyNearMiss(cell, miss)),
  fc.string({ maxLength: 12 }).map((text) => () => text),
  fc.string({ unit: 'grapheme', maxLength: 6 }).map((text) => () => text),
);

/** Between cells: bytes that belong to no cell, which a reader must not look at. */
const filler = fc.constantFrom('', '', ',', '0', '9', '"', '\n', ' ', '\u00a0', ';', '|');

/** A row's cells as the byte path gets them: UTF-8 in one buffer, positions from `base` of an Int32Array. */
function rowAsBytes(cells: readonly string[], fillers: readonly string[]): { bytes: Buffer; positions: Int32Array; base: number } {
  const base = 3;
  const positions = new Int32Array(base + 2 * cells.length).fill(-1);
  const parts: Buffer[] = [];
  let at = 0;
  cells.forEach((cell, index) => {
    const before = Buffer.from(fillers[index % Math.max(fillers.length, 1)] ?? '', 'utf8');
    const text = Buffer.from(cell, 'utf8');
    parts.push(before, text);
    positions[base + 2 * index] = at + before.length;
    positions[base + 2 * index + 1] = at + before.length + text.length;
    at += before.length + text.length;
  });
  parts.push(Buffer.from(fillers[0] ?? '', 'utf8'));
  return { bytes: Buffer.concat(parts), positions, base };
}

interface Transcoders {
  fast: FastCustomerRows;
  bytes: ByteCustomerRows;
  out: ByteOut;
}

function transcodersFor(mapping: ColumnMapping, header: readonly string[]): Transcoders {
  const fast = compileFastCustomerRows(importKinds.customers, mapping, header);
  const bytes = compileByteCustomerRows(importKinds.customers, mapping, header);
  if (fast === undefined || bytes === undefined) throw new Error(`no fast path compiled for the header ${header.join(',')}`);
  return { fast, bytes, out: new ByteOut(16) };
}

/**
 * The text a UTF-8 file can hold: a near-miss can cut a surrogate pair in half, which no file
 * decodes to (its bytes would read back as U+FFFD).
 */
const wellFormed = (text: string): string => Buffer.from(text, 'utf8').toString('utf8');

/** The byte path takes a row exactly when the fast path does, writing the same document and columns. */
function expectSameRow(transcoders: Transcoders, rowCells: readonly string[], fillers: readonly string[] = []): boolean {
  const cells = rowCells.map(wellFormed);
  const fast = transcoders.fast(cells);
  const { bytes, positions, base } = rowAsBytes(cells, fillers);
  const columns = new ByteRowColumns();
  transcoders.out.at = 0;
  const taken = transcoders.bytes(bytes, positions, base, transcoders.out, columns);
  const shown = JSON.stringify(cells);
  expect(taken, `byte path ${taken ? 'takes' : 'declines'} a row the fast path ${fast === undefined ? 'declines' : 'takes'}: ${shown}`).toBe(fast !== undefined);
  if (fast === undefined) return false;
  // The fast path's document is a string; the byte path's must be its UTF-8, byte for byte.
  expect(typeof fast.document).toBe('string');
  const document = fast.document as string;
  const written = Buffer.from(transcoders.out.bytes.subarray(0, transcoders.out.at));
  expect(written.toString('utf8'), shown).toBe(document);
  expect(written.equals(Buffer.from(document, 'utf8')), shown).toBe(true);
  expect({ id: columns.text(0), branchId: columns.text(1), managerId: columns.text(2) }, shown).toEqual({ id: fast.id, branchId: fast.branchId, managerId: fast.managerId });
  return true;
}

async function rowsOf(csv: string): Promise<{ header: string[]; rows: string[][] }> {
  const source = await openSource(csv, 'csv', 'utf-8');
  const rows: string[][] = [];
  for await (const chunk of source.rows) for (const row of chunk) if (row.kind === 'row') rows.push([...(row.cells as string[])]);
  return { header: source.header ?? [], rows };
}

describe('the byte transcoder of customer rows, against the fast path over strings', () => {
  let exported: { header: string[]; rows: string[][]; mapping: ColumnMapping };
  beforeAll(async () => {
    await exportBank(createSyntheticBank({ seed: 23, customers: 300 }), scratch);
    const mapping = await loadColumnMapping(join(scratch, 'customers.mapping.json'), 'customers');
    exported = { ...(await rowsOf(join(scratch, 'customers.csv'))), mapping };
  }, 30_000);

  it('takes every row of a bank export, writing what the fast path writes', () => {
    expect(exported.rows.length).toBe(300);
    const transcoders = transcodersFor(exported.mapping, exported.header);
    for (const cells of exported.rows) expect(expectSameRow(transcoders, cells)).toBe(true);
  });

  it('takes and declines the same rows with spoiled cells, writing the same bytes', () => {
    const transcoders = transcodersFor(exported.mapping, exported.header);
    let taken = 0;
    let declined = 0;
    fc.assert(
      fc.property(
        fc.nat(exported.rows.length - 1),
        fc.array(fc.tuple(fc.nat(), spoil), { minLength: 1, maxLength: 3 }),
        fc.array(filler, { maxLength: 4 }),
        (row, spoils, fillers) => {
          const cells = [...(exported.rows[row] as string[])];
          for (const [column, change] of spoils) {
            const index = column % cells.length;
            cells[index] = change(cells[index] as string);
          }
          if (expectSameRow(transcoders, cells, fillers)) taken += 1;
          else declined += 1;
        },
      ),
      { numRuns: 6000 },
    );
    expect(taken).toBeGreaterThan(500);
    expect(declined).toBeGreaterThan(500);
  });

  it('agrees on spoiled rows with fresh memos too (no remembered cell hides a difference)', () => {
    // A new pair every few rows: cells are read, not only found among those remembered.
    let transcoders = transcodersFor(exported.mapping, exported.header);
    let runs = 0;
    fc.assert(
      fc.property(fc.nat(exported.rows.length - 1), fc.array(fc.tuple(fc.nat(), spoil), { minLength: 1, maxLength: 4 }), (row, spoils) => {
        if (++runs % 50 === 0) transcoders = transcodersFor(exported.mapping, exported.header);
        const cells = [...(exported.rows[row] as string[])];
        for (const [column, change] of spoils) {
          const index = column % cells.length;
          cells[index] = change(cells[index] as string);
        }
        expectSameRow(transcoders, cells);
      }),
      { numRuns: 1500 },
    );
  });

  it('agrees on every row of the fixtures, with coded values and a mapping default', async () => {
    const mapping = await loadColumnMapping(fixtureMapping, 'customers');
    let taken = 0;
    for (const fixture of utf8Fixtures.filter((name) => !name.includes('encoding'))) {
      const { header, rows } = await rowsOf(join(fixtures, fixture));
      const transcoders = transcodersFor(mapping, header);
      for (const cells of rows) if (expectSameRow(transcoders, cells)) taken += 1;
    }
    expect(taken).toBeGreaterThan(5);
  });

  it('agrees on spoiled fixture rows', async () => {
    const mapping = await loadColumnMapping(fixtureMapping, 'customers');
    const { header, rows } = await rowsOf(join(fixtures, 'good-utf8-bom.csv'));
    const transcoders = transcodersFor(mapping, header);
    fc.assert(
      fc.property(fc.nat(rows.length - 1), fc.array(fc.tuple(fc.nat(), spoil), { minLength: 1, maxLength: 3 }), (row, spoils) => {
        const cells = [...(rows[row] as string[])];
        for (const [column, change] of spoils) {
          const index = column % cells.length;
          cells[index] = change(cells[index] as string);
        }
        expectSameRow(transcoders, cells);
      }),
      { numRuns: 2000 },
    );
  });
});

/** A CSV file read to its header and judged rows, or the error that stops it. */
type Reading = { header: string[]; rows: Array<SourceRow | SourceProblem> } | { error: string };

/** The string reading (sources.ts' openCsv). */
async function readAsText(path: string, delimiter: string): Promise<Reading> {
  let source: Awaited<ReturnType<typeof openSource>>;
  try {
    source = await openSource(path, 'csv', 'utf-8', delimiter);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  const rows: Array<SourceRow | SourceProblem> = [];
  for await (const chunk of source.rows) rows.push(...chunk);
  return { header: source.header ?? [], rows };
}

/**
 * The byte reading, with each entry judged as reading.ts judges it. Each entry also says where its
 * record lies (`recordStart`, `recordEnd` in the chunk's bytes, which start at file offset `base`;
 * -1 once the rest is read as text): those bytes must be the file's, and hold the record's cells.
 */
async function readAsBytes(path: string, file: Buffer, chunkBytes: number | undefined, delimiter: string): Promise<Reading> {
  const reader = await CsvByteReader.open(path, delimiter, chunkBytes === undefined ? {} : { chunkBytes });
  try {
    let header: string[] | undefined;
    const rows: Array<SourceRow | SourceProblem> = [];
    for (let chunk = await reader.next(); chunk !== undefined; chunk = await reader.next()) {
      const { entries, bytes, base } = chunk;
      let at = chunk.from;
      while (at < chunk.length) {
        const line = entries[at] as number;
        const recordStart = entries[at + 2] as number;
        const recordEnd = entries[at + 3] as number;
        // Checked first and asserted only when wrong: an expect per record costs more than the reading.
        if (recordStart !== -1 && !(recordEnd >= recordStart && bytes.subarray(recordStart, recordEnd).equals(file.subarray(base + recordStart, base + recordEnd)))) {
          expect(bytes.toString('latin1', recordStart, recordEnd), `the record said to be at file offset ${base + recordStart}`).toBe(file.toString('latin1', base + recordStart, base + recordEnd));
        }
        let item: CsvItem;
        if (line === 0) {
          item = chunk.items[entries[at + 1] as number] as CsvItem;
          at += 4;
        } else {
          const count = entries[at + 1] as number;
          const fields: string[] = [];
          for (let index = 0; index < count; index++) {
            const start = entries[at + 4 + 2 * index] as number;
            const end = entries[at + 5 + 2 * index] as number;
            if (!(start >= recordStart && end <= recordEnd && start <= end)) expect([start, end], `cell ${index} of the record on line ${line} lies outside it`).toEqual([recordStart, recordEnd]);
            fields.push(bytes.toString('utf8', start, end));
          }
          item = { kind: 'record', line, fields };
          at += 4 + 2 * count;
        }
        if (header === undefined) {
          // The header always comes as an item.
          expect(line, 'the header came as a record split from bytes').toBe(0);
          if (item.kind === 'problem') return { error: new ImportSourceError(path, `its header cannot be read (${item.reason})`).message };
          header = item.fields.map((column) => column.trim());
          continue;
        }
        rows.push(judgeCsvItem(item, header, 'utf-8', line === 0));
      }
    }
    // Read to its end, the reader stops at the file's last byte, not before and not past it.
    expect(reader.end, 'where reading stopped').toBe(file.length);
    if (header === undefined) return { error: new ImportSourceError(path, 'the file is empty: expected a header line and rows').message };
    return { header, rows };
  } finally {
    await reader.close().catch(() => undefined);
  }
}

const plainCell = fc.constantFrom('', 'a', 'Z9', '客户号', '代发', ' x ', '1', '"1,234.5"', '"客 户"', '""', '2026-11-22T09:30:00+08:00');
const wildFragment = fc.constantFrom('a', 'Z9', '客户', '号', ' ', ',', '"', '""', '\n', '\r', '\r\n', '\uFFFD', '\uFEFF', '1,234.5', '😀', '\t', ';', '|');
const wildCell = fc
  .tuple(fc.array(wildFragment, { maxLength: 4 }).map((parts) => parts.join('')), fc.constantFrom('raw', 'raw', 'quoted', 'quoted', 'after', 'unclosed'), fc.constantFrom('x', ' ', '"', 'a"', '\r'))
  .map(([text, how, extra]) => {
    const quoted = `"${text.replaceAll('"', '""')}"`;
    if (how === 'raw') return text;
    if (how === 'quoted') return quoted;
    if (how === 'after') return `${quoted}${extra}`;
    return `"${text}`;
  });
const lineBreak = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r\n', '\r', '\n\n', '\r\n\r\n', '\n\r\n');

/** Delimiters the byte reader splits on: mostly commas, sometimes another ASCII character. */
const delimiters = fc.constantFrom(',', ',', ',', ';', '\t', '|');

/** A generated file: its text, and where to splice which bytes that are not UTF-8 into its UTF-8. */
type BadBytes = ReadonlyArray<readonly [number, readonly number[]]>;

function csvFile(width: number, delimiter = ','): fc.Arbitrary<{ text: string; bad: BadBytes }> {
  const plainRecord = fc.tuple(fc.array(plainCell, { minLength: width, maxLength: width }), lineBreak).map(([cells, end]) => cells.join(delimiter) + end);
  const wildRecord = fc
    .tuple(fc.array(fc.oneof(plainCell, wildCell), { minLength: 1, maxLength: width + 1 }), fc.boolean(), lineBreak)
    .map(([cells, trailing, end]) => cells.join(delimiter) + (trailing ? delimiter : '') + end);
  const header = fc.array(fc.constantFrom('客户号', '网点', ' 姓名 ', 'a', '"b,c"', '"d""e"'), { minLength: width, maxLength: width }).map((cells) => cells.join(delimiter));
  const badBytes = fc.constantFrom<readonly number[]>([0xff], [0xe4, 0xb8], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98], [0x80], [0xef, 0xbb]);
  return fc.record({
    marks: fc.constantFrom(0, 0, 0, 1, 1, 2, 3),
    before: fc.constantFrom('', '', '', '\n', '\r\n', '\r'),
    header: fc.oneof({ weight: 9, arbitrary: header }, { weight: 1, arbitrary: wildCell }),
    headerEnd: lineBreak,
    records: fc.array(fc.oneof({ weight: 3, arbitrary: plainRecord }, { weight: 2, arbitrary: wildRecord }), { maxLength: 10 }),
    // The last record with or without a line break after it.
    cut: fc.constantFrom(0, 0, 1, 2),
    bad: fc.oneof(
      { weight: 3, arbitrary: fc.constant<BadBytes>([]) },
      { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(), badBytes), { minLength: 1, maxLength: 2 }) },
    ),
  }).map(({ marks, before, header: head, headerEnd, records, cut, bad }) => {
    let text = '\uFEFF'.repeat(marks) + before + head + headerEnd + records.join('');
    if (cut > 0 && records.length > 0) text = text.replace(/(\r\n|\r|\n)+$/, cut === 1 ? '' : '\r');
    return { text, bad };
  });
}

/** The file's bytes: the text's UTF-8 with bytes that are not UTF-8 spliced in. */
function fileBytes(text: string, bad: BadBytes): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  for (const [at, inserted] of bad) {
    const position = at % (bytes.length + 1);
    bytes = Buffer.concat([bytes.subarray(0, position), Buffer.from(inserted), bytes.subarray(position)]);
  }
  return bytes;
}

let fileNumber = 0;

/**
 * Compares two readings row by row, so that a failure shows the first row that differs rather than
 * a diff of thousands (which, repeated while fast-check shrinks, can exhaust the heap).
 */
function expectSameReadings(actual: Reading, expected: Reading, label: string): void {
  if ('error' in actual || 'error' in expected) {
    expect(actual, label).toEqual(expected);
    return;
  }
  expect(actual.header, label).toEqual(expected.header);
  const rows = Math.max(actual.rows.length, expected.rows.length);
  for (let index = 0; index < rows; index++) {
    if (!isDeepStrictEqual(actual.rows[index], expected.rows[index])) expect(actual.rows[index], `${label}: row ${index}`).toEqual(expected.rows[index]);
  }
}

async function expectSameReading(bytes: Buffer, chunkBytes: number, delimiter = ','): Promise<void> {
  const path = join(scratch, `generated-${++fileNumber}.csv`);
  writeFileSync(path, bytes);
  try {
    const asText = await readAsText(path, delimiter);
    const shown = JSON.stringify(bytes.subarray(0, 400).toString('latin1')) + (bytes.length > 400 ? ` … (${bytes.length} bytes)` : '');
    expectSameReadings(await readAsBytes(path, bytes, chunkBytes, delimiter), asText, `chunks of ${chunkBytes}, delimiter ${JSON.stringify(delimiter)}: ${shown}`);
    expectSameReadings(await readAsBytes(path, bytes, undefined, delimiter), asText, `default chunks, delimiter ${JSON.stringify(delimiter)}: ${shown}`);
  } finally {
    rmSync(path, { force: true });
  }
}

describe('the byte CSV reader, against the string reading', () => {
  it('reads any file into the same header and the same rows and problems, in chunks of any size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.integer({ min: 1, max: 4 }), delimiters).chain(([width, delimiter]) => csvFile(width, delimiter).map((file) => ({ ...file, delimiter }))),
        fc.integer({ min: 1, max: 64 }),
        async ({ text, bad, delimiter }, chunkBytes) => {
          await expectSameReading(fileBytes(text, bad), chunkBytes, delimiter);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('words a quote followed by text as the string reading does, whatever follows on the next lines', async () => {
    // The smallest file showing it: the string reading quotes the 10 characters after the closing
    // quote, across the line break ("c\nd\n"); the byte reader, which hands the splitter one line,
    // quotes "c\n".
    for (const value of ['a\n"b"c\nd\n', 'a,b\n"1"x,2\n3,4\n', '"a"b,c\n1,2\n']) {
      for (const chunkBytes of [1, 64]) await expectSameReading(Buffer.from(value, 'utf8'), chunkBytes);
    }
  });

  it('ends a last record cut by a lone carriage return at the end of the file', async () => {
    // The byte after the last one read is no part of the file: whatever an earlier read left in
    // the buffer there (here the line feed of line 2) must not be taken for the `\n` of a `\r\n`.
    for (const chunkBytes of [3, 64]) await expectSameReading(Buffer.from('h\n\na\r', 'utf8'), chunkBytes);
  });

  it('reads records wider than its table of cell positions', async () => {
    const width = 700;
    const header = Array.from({ length: width }, (_, index) => `c${index}`).join(',');
    const row = (seed: number): string => Array.from({ length: width }, (_, index) => ((index + seed) % 11 === 0 ? '"q,1"' : `${seed}.${index}`)).join(',');
    const rows = Array.from({ length: 120 }, (_, index) => row(index) + (index % 17 === 0 ? ',extra' : ''));
    const bytes = Buffer.from(`${header}\n${rows.join('\n')}\n`, 'utf8');
    for (const chunkBytes of [7, 4096]) await expectSameReading(bytes, chunkBytes);
  });

  it('agrees on the cases it treats specially', async () => {
    const cases: Array<string | Buffer> = [
      '',
      '\n\n',
      '\uFEFF',
      '\uFEFF\uFEFFa,b\n1,2\n',
      '\uFEFF\uFEFF\uFEFFa,b\n1,2\n',
      'a,b\n1,2',
      'a,b\n1,2,',
      'a,b\n1,2\r',
      'a,b\r1,2\r',
      'a,b\n"1""x",2\n',
      'a,b\n"1\n2",3\n4,5\n',
      'a,b\n"1,2\n3,4\n',
      'a,b\n1,\uFFFD\n3,4\n',
      '"a\nb",c\n1,2\n',
      '"a,c\n1,2\n',
      Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0xff, 0x2c, 0x32, 0x0a, 0x33, 0x2c, 0x34, 0x0a]),
      Buffer.concat([Buffer.from('a,b\n1,2\n'), Buffer.from([0xe4, 0xb8]), Buffer.from('\n3,4')]),
      Buffer.concat([Buffer.from('\uFEFF'), Buffer.from([0xff]), Buffer.from('a,b\n1,2\n')]),
      Buffer.concat([Buffer.from([0xef, 0xbb]), Buffer.from('a,b\n1,2\n')]),
    ];
    for (const value of cases) {
      const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
      for (const chunkBytes of [1, 2, 3, 5, 8, 64]) await expectSameReading(bytes, chunkBytes);
    }
  });

  it('agrees on files longer than the string reading’s chunks, with lines cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }).chain((width) => csvFile(width)), fc.integer({ min: 200, max: 800 }), fc.integer({ min: 1, max: 4096 }), async ({ text, bad }, copies, chunkBytes) => {
        const [head = '', ...rest] = text.split('\n');
        const body = rest.join('\n');
        // Many copies of the body: the string reading decodes 64 KB at a time.
        const long = `${head}\n${`${body}\n`.repeat(copies)}`;
        await expectSameReading(fileBytes(long, bad.map(([at, inserted]) => [at * 997, inserted])), chunkBytes);
      }),
      { numRuns: 25 },
    );
  });
});

type ImportOutcome = { summary: Omit<ImportSummary, 'seconds' | 'rowsPerSecond' | 'rejectFile' | 'source'>; rejects: string; customers: Customer[] } | { error: string };

let storeNumber = 0;

/** One import into a fresh SQLite file, with a reject file: what it reports, rejects and stores. */
interface ImportExtra {
  encoding?: string;
  batchSize?: number;
  worker?: boolean;
  readers?: number;
}

async function importOnce(file: string, mapping: string, bytes: boolean, extra: ImportExtra = {}): Promise<ImportOutcome> {
  const tag = `import-${++storeNumber}`;
  const store = await openSqliteStore({ path: join(scratch, `${tag}.db`) });
  try {
    const rejectFile = join(scratch, `${tag}.rejects.csv`);
    let summary: ImportSummary;
    try {
      summary = await importCustomers(file, { store, mapping, rejectFile, bytes, worker: false, ...extra });
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
    const { seconds: _seconds, rowsPerSecond: _rate, rejectFile: _file, source: _source, ...counts } = summary;
    const customers: Customer[] = [];
    for (let page = await store.customers.list({ limit: 500 }); page.length > 0; page = await store.customers.list({ afterId: (page.at(-1) as Customer).id, limit: 500 })) {
      customers.push(...page);
    }
    expect(customers.length).toBe(await store.customers.count());
    return { summary: counts, rejects: readFileSync(rejectFile, 'utf8'), customers };
  } finally {
    await store.close();
  }
}

async function expectSameImport(file: string, mapping: string, extra: ImportExtra = {}): Promise<ImportOutcome> {
  const asBytes = await importOnce(file, mapping, true, extra);
  // The text reading in this thread is the reference, whatever thread the byte reading ran on.
  const asText = await importOnce(file, mapping, false, { ...extra, worker: false });
  expect(asBytes, file).toEqual(asText);
  return asBytes;
}

describe('importing UTF-8 customers as bytes or as text', () => {
  it('gives the same summary, reject file and customers for every fixture', async () => {
    let stored = 0;
    for (const fixture of utf8Fixtures) {
      const outcome = await expectSameImport(join(fixtures, fixture), fixtureMapping);
      if ('summary' in outcome) stored += outcome.summary.stored;
      await expectSameImport(join(fixtures, fixture), fixtureMapping, { batchSize: 2 });
    }
    expect(stored).toBeGreaterThan(10);
  });

  it('gives the same for a bank export with spoiled cells, CRLF lines and bytes that are not UTF-8', async () => {
    const folder = mkdtempSync(join(scratch, 'export-'));
    await exportBank(createSyntheticBank({ seed: 5, customers: 250 }), folder);
    const mappingPath = join(folder, 'customers.mapping.json');
    const { header, rows } = await rowsOf(join(folder, 'customers.csv'));
    const spoiled = fc.sample(fc.tuple(fc.nat(rows.length - 1), fc.nat(), spoil), { numRuns: 400, seed: 42 });
    for (const [row, column, change] of spoiled) {
      const cells = rows[row] as string[];
      const index = column % cells.length;
      cells[index] = change(cells[index] as string);
    }
    // Some ids repeat, so that duplicates are reported the same way both times.
    for (let index = 10; index < rows.length; index += 37) (rows[index] as string[])[0] = (rows[index - 5] as string[])[0] as string;
    const csv = stringify([header, ...rows]);
    const plain = join(folder, 'spoiled.csv');
    writeFileSync(plain, `\uFEFF${csv}`);
    const outcome = await expectSameImport(plain, mappingPath);
    expect('summary' in outcome && outcome.summary.stored).toBeGreaterThan(100);
    expect('summary' in outcome && outcome.summary.rejected).toBeGreaterThan(20);

    const crlf = join(folder, 'spoiled-crlf.csv');
    writeFileSync(crlf, stringify([header, ...rows], { record_delimiter: '\r\n' }));
    await expectSameImport(crlf, mappingPath, { batchSize: 7 });

    // Bytes that are not UTF-8 two thirds of the way in: from there the byte reader reads as text.
    const bytes = Buffer.from(csv, 'utf8');
    const at = bytes.indexOf(0x0a, Math.floor(bytes.length * 0.66)) + 5;
    const broken = join(folder, 'spoiled-broken.csv');
    writeFileSync(broken, Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0xe4, 0xb8]), bytes.subarray(at)]));
    await expectSameImport(broken, mappingPath, { encoding: 'utf-8' });

    // Read on a worker thread, the byte path's documents cross as packed bytes.
    await expectSameImport(plain, mappingPath, { worker: true, batchSize: 64 });
  });

  it('gives the same when several worker threads read segments of the file', async () => {
    const folder = mkdtempSync(join(scratch, 'segments-'));
    await exportBank(createSyntheticBank({ seed: 8, customers: 400 }), folder);
    const mappingPath = join(folder, 'customers.mapping.json');
    const { header, rows } = await rowsOf(join(folder, 'customers.csv'));
    const spoiled = fc.sample(fc.tuple(fc.nat(rows.length - 1), fc.nat(), spoil), { numRuns: 300, seed: 7 });
    for (const [row, column, change] of spoiled) {
      const cells = rows[row] as string[];
      const index = column % cells.length;
      cells[index] = change(cells[index] as string);
    }
    for (let index = 20; index < rows.length; index += 41) (rows[index] as string[])[0] = (rows[index - 13] as string[])[0] as string;
    const file = join(folder, 'segments.csv');
    writeFileSync(file, stringify([header, ...rows]));
    for (const readers of [2, 3]) await expectSameImport(file, mappingPath, { worker: true, readers, batchSize: 50 });
    // Bytes that are not UTF-8 in the middle: a segment that meets them leaves the rest to be read as text.
    const bytes = readFileSync(file);
    const at = bytes.indexOf(0x0a, Math.floor(bytes.length / 2)) + 3;
    const broken = join(folder, 'segments-broken.csv');
    writeFileSync(broken, Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]));
    await expectSameImport(broken, mappingPath, { worker: true, readers: 3, encoding: 'utf-8' });
  });

  it('fails the same way on a file that is empty or whose header cannot be read', async () => {
    const cases = ['', '\n\r\n', '\uFEFF', '"客户号,网点\n', '"客户号"x,网点\nA1,B1\n'];
    for (const [index, text] of cases.entries()) {
      const file = join(scratch, `unreadable-${index}.csv`);
      writeFileSync(file, text);
      const outcome = await expectSameImport(file, fixtureMapping, { encoding: 'utf-8' });
      expect('error' in outcome, JSON.stringify(text)).toBe(true);
    }
  });
});
