// Random rows and random upsert/remove sequences: whatever happened, every row of the table decodes
// to exactly what the sources read from the latest version of that row, and removed rows are gone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributeSource, AttributeValue } from '../src/attributes/index.js';
import { ColumnarTable } from '../src/table/index.js';

interface Row {
  id: string;
  amount: number | null;
  ratio: number | null;
  count: number | null;
  day: string | null;
  grade: string | null;
  name: string | null;
  flags: string[] | null;
  active: boolean | null;
}

const label = { 'zh-CN': '测试', en: 'Test' };
const grades = ['A', 'B', 'C', 'D'];

const sources: AttributeSource<Row>[] = [
  { id: 'amount', type: 'money', label, piClass: 'C2', read: (row) => row.amount },
  {
    id: 'ratio',
    type: 'number',
    storage: 'float32',
    label,
    piClass: 'C1',
    read: (row) => row.ratio,
  },
  {
    id: 'count',
    type: 'number',
    storage: 'uint16',
    label,
    piClass: 'C1',
    read: (row) => row.count,
  },
  { id: 'day', type: 'date', label, piClass: 'C1', read: (row) => row.day },
  {
    id: 'grade',
    type: 'enum',
    label,
    piClass: 'C1',
    values: grades.map((value) => ({ value, label: { 'zh-CN': value, en: value } })),
    read: (row) => row.grade,
  },
  { id: 'name', type: 'string', label, piClass: 'C2', read: (row) => row.name },
  { id: 'flags', type: 'set', open: true, label, piClass: 'C1', read: (row) => row.flags },
  { id: 'active', type: 'boolean', label, piClass: 'C1', read: (row) => row.active },
];

const isoDay = fc
  .date({
    min: new Date('1900-01-01T00:00:00Z'),
    max: new Date('2100-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString().slice(0, 10));

const rowArbitrary = fc.record({
  id: fc.constantFrom(...Array.from({ length: 12 }, (_, index) => `R${index}`)),
  amount: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 })),
  ratio: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })),
  count: fc.option(fc.integer({ min: 0, max: 65535 })),
  day: fc.option(isoDay),
  grade: fc.option(fc.constantFrom(...grades)),
  name: fc.option(fc.string({ unit: 'binary', maxLength: 6 })),
  flags: fc.option(
    fc.uniqueArray(
      fc.integer({ min: 0, max: 40 }).map((flag) => `f${flag}`),
      { maxLength: 6 },
    ),
  ),
  active: fc.option(fc.boolean()),
});

const operationArbitrary = fc.oneof(
  { weight: 4, arbitrary: rowArbitrary.map((row) => ({ kind: 'upsert' as const, row })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...Array.from({ length: 12 }, (_, index) => `R${index}`))
      .map((id) => ({ kind: 'remove' as const, id })),
  },
);

const context = { asOf: '2026-01-15' };

/** What the table should decode for a source: floats narrowed to float32 and sets compared unordered. */
function expected(source: AttributeSource<Row>, row: Row): AttributeValue | null {
  const value = source.read(row, context) ?? null;
  if (source.storage === 'float32' && typeof value === 'number') return Math.fround(value);
  return value;
}

function normalised(value: AttributeValue | null): AttributeValue | null {
  return Array.isArray(value) ? [...(value as readonly string[])].sort() : value;
}

describe('ColumnarTable (property)', () => {
  it('decodes every live row to what the sources read from its latest version', () => {
    fc.assert(
      fc.property(
        fc.array(rowArbitrary, { maxLength: 10 }),
        fc.array(operationArbitrary, { maxLength: 60 }),
        (initial, operations) => {
          const table = ColumnarTable.build(sources, initial, {
            idOf: (row) => row.id,
            ...context,
            initialCapacity: 1,
          });
          const latest = new Map<string, Row>(initial.map((row) => [row.id, row]));
          for (const operation of operations) {
            if (operation.kind === 'upsert') {
              table.upsert(operation.row);
              latest.set(operation.row.id, operation.row);
            } else {
              expect(table.remove(operation.id)).toBe(latest.delete(operation.id));
            }
          }
          expect(table.liveCount).toBe(latest.size);
          for (let index = 0; index < table.size; index++) {
            const row = latest.get(table.idAt(index));
            expect(table.isLive(index)).toBe(row !== undefined);
            const decoded = table.row(index);
            for (const source of sources) {
              const want = row === undefined ? null : expected(source, row);
              expect(normalised(decoded[source.id] ?? null)).toEqual(normalised(want));
            }
          }
          for (const id of latest.keys()) expect(table.idAt(table.indexOf(id) ?? -1)).toBe(id);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports exactly the attributes whose value changed', () => {
    fc.assert(
      fc.property(rowArbitrary, rowArbitrary, (first, second) => {
        const table = ColumnarTable.build(sources, [first], { idOf: (row) => row.id, ...context });
        const result = table.upsert({ ...second, id: first.id });
        const changed = sources
          .filter(
            (source) =>
              JSON.stringify(normalised(expected(source, first))) !==
              JSON.stringify(normalised(expected(source, second))),
          )
          .map((source) => source.id);
        expect(result.changes.map((change) => change.attributeId)).toEqual(changed);
      }),
      { numRuns: 300 },
    );
  });
});
