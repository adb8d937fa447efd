// Several reading threads (openReaderOnWorkers: each reads every n-th segment of the file, and the
// writing thread takes the segments in order, puts their lines right and keeps the first row of
// each id) give exactly what one reader gives: the same rows in the same order, the same rejects
// with the same lines, the same counts. Segments here are a few kilobytes, so that every file is cut
// in many places, also inside quoted line breaks and next to bytes that are not UTF-8.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredCustomerRow } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBank, loadColumnMapping, type ColumnMapping } from '../src/index.js';
import { openReader, type ReadBatch, type ReadPlan } from '../src/reading.js';
import { openReaderOnWorkers } from '../src/worker-reading.js';

const scratch = mkdtempSync(join(tmpdir(), 'kequn-parallel-reading-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Outcome {
  rows: string[];
  rejects: string[];
  read: number;
  duplicates: number;
}

async function collect(batches: AsyncGenerator<ReadBatch, void, undefined>): Promise<Outcome> {
  const outcome: Outcome = { rows: [], rejects: [], read: 0, duplicates: 0 };
  for await (const batch of batches) {
    outcome.read += batch.read;
    outcome.duplicates += batch.duplicates;
    for (const reject of batch.rejects) outcome.rejects.push(`${reject.line} | ${reject.column} | ${reject.reason} | ${reject.raw}`);
    for (const record of batch.records as StoredCustomerRow[]) {
      const document = typeof record.document === 'string' ? record.document : Buffer.from(record.document).toString('utf8');
      outcome.rows.push(`${record.id} | ${record.branchId} | ${String(record.managerId)} | ${document}`);
    }
  }
  return outcome;
}

describe('reading one file on several threads', () => {
  let mapping: ColumnMapping;
  let header: string;
  let lines: string[];
  beforeAll(async () => {
    await exportBank(createSyntheticBank({ seed: 23, customers: 600 }), scratch);
    mapping = await loadColumnMapping(join(scratch, 'customers.mapping.json'), 'customers');
    const text = readFileSync(join(scratch, 'customers.csv'), 'utf8').trimEnd().split('\n');
    header = text[0] as string;
    lines = text.slice(1);
  }, 30_000);

  const planFor = (path: string): ReadPlan => ({ kind: 'customers', path, mapping, format: 'csv', encoding: 'utf-8', delimiter: undefined, batchSize: 37 });

  async function expectSameAsOneReader(name: string, content: Buffer | string, segmentBytes: number, readers = 2): Promise<Outcome> {
    const path = join(scratch, `${name}.csv`);
    writeFileSync(path, content);
    const one = await collect((await openReader(planFor(path))).batches);
    const text = await collect((await openReader({ ...planFor(path), bytes: false })).batches);
    const several = await openReaderOnWorkers(planFor(path), readers, segmentBytes);
    if (several === undefined) throw new Error('no segmented reader');
    const outcome = await collect(several.batches);
    expect(outcome, name).toEqual(one);
    expect(one, `${name}: bytes and text`).toEqual(text);
    return outcome;
  }

  it('reads a bank export cut into many segments as one reader does', async () => {
    const outcome = await expectSameAsOneReader('plain', `${header}\n${lines.join('\n')}\n`, 8 * 1024, 3);
    expect(outcome.rows).toHaveLength(600);
    expect(outcome.rejects).toEqual([]);
  });

  it('keeps the first row of an id repeated across segments, and words the rejects as one reader does', async () => {
    // Each repeat is of a row far earlier in the file (another segment), changed so that the wrong pick would show.
    const rows = [...lines];
    for (const at of [590, 420, 333, 201, 120, 7]) rows.splice(at, 0, (lines[at - 5] as string).replace(/,杭州,|,宁波,|,温州,/, ',重复城市,'));
    rows.splice(50, 0, 'not,enough,columns', `${(lines[3] as string).split(',')[0]},BR001,not-a-date`);
    const outcome = await expectSameAsOneReader('repeats', `${header}\n${rows.join('\n')}\n`, 6 * 1024);
    expect(outcome.duplicates).toBeGreaterThanOrEqual(6);
    expect(outcome.rejects.some((reject) => reject.includes('duplicate customer'))).toBe(true);
  });

  it('finds a segment cut inside a quoted line break and reads on from the true end of the record', async () => {
    // A name of many quoted lines: any cut inside it starts a segment in the middle of a record.
    const tall = (lines[100] as string).split(',');
    tall[3] = `"${Array.from({ length: 400 }, (_, line) => `第${line}行`).join('\n')}"`;
    const rows = [...lines];
    rows.splice(100, 1, tall.join(','));
    const outcome = await expectSameAsOneReader('quoted-breaks', `${header}\n${rows.join('\n')}\n`, 4 * 1024);
    expect(outcome.read).toBe(600);
  });

  it('reads on as text from bytes that are not UTF-8, as one reader does', async () => {
    const before = Buffer.from(`${header}\n${lines.slice(0, 300).join('\n')}\n`, 'utf8');
    const broken = Buffer.concat([Buffer.from((lines[300] as string).slice(0, 20), 'utf8'), Buffer.from([0xff, 0xfe]), Buffer.from(`${(lines[300] as string).slice(20)}\n`, 'utf8')]);
    const after = Buffer.from(`${lines.slice(301).join('\n')}\n`, 'utf8');
    const outcome = await expectSameAsOneReader('not-utf8', Buffer.concat([before, broken, after]), 8 * 1024);
    expect(outcome.rejects.some((reject) => reject.startsWith('302 |'))).toBe(true);
  });

  it('gives the same outcome with one segment per thread and with more threads than segments', async () => {
    const content = `${header}\n${lines.slice(0, 40).join('\n')}\n`;
    await expectSameAsOneReader('few', content, 1 << 20, 4);
    await expectSameAsOneReader('two', content, 16 * 1024, 2);
  });
});
