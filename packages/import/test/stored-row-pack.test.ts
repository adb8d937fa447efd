// Stored rows packed as UTF-8 on the reading thread come back on the writing thread as they left:
// the ids as strings, each document as the UTF-8 bytes of its text, a view of the batch's buffer.
import type { StoredCustomerRow } from '@kequn/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRowColumns } from '../src/byte-customers.js';
import { StoredRowPacker, unpackStoredRows, type PackedStoredRows } from '../src/stored-row-pack.js';

/**
 * A row as the test adds it: through `add` with a string or bytes document, or as the byte path
 * does, its document written to `documentOut` and its columns taken from a row's bytes (or, where
 * `fromBytes` is false, from values read).
 */
type Added = { via: 'add'; row: StoredCustomerRow } | { via: 'written'; id: string; branchId: string; managerId: string | null; document: string; fromBytes: boolean; before: Uint8Array };

/** Any code point (astral ones too), never half a surrogate pair: UTF-8 has no spelling for one. */
const text = (maxLength: number): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength });
/**
 * Mostly short; sometimes hundreds of code points of up to 4 bytes each, so that a batch outgrows
 * its first buffer (1,600 bytes a row) and a string that has room at one byte per unit may not.
 */
const longText = fc.oneof(
  fc.string({ unit: 'binary', minLength: 200, maxLength: 800, size: 'max' }),
  fc.string({ unit: fc.constantFrom('长', '网点', '😀', 'a', '\n'), minLength: 200, maxLength: 800, size: 'max' }),
);
const documentText = fc.oneof({ arbitrary: fc.json({ maxDepth: 2 }), weight: 3 }, { arbitrary: longText.map((value) => JSON.stringify({ note: value })), weight: 2 });
const managerId = fc.option(text(12), { nil: null });

const added: fc.Arbitrary<Added> = fc.oneof(
  fc.record({ id: text(12), branchId: text(8), managerId, document: documentText }).map((row): Added => ({ via: 'add', row })),
  fc
    .record({ id: text(12), branchId: text(8), managerId, document: documentText })
    .map((row): Added => ({ via: 'add', row: { ...row, document: new Uint8Array(Buffer.from(row.document, 'utf8')) } })),
  fc
    .record({ id: text(12), branchId: text(8), managerId, document: documentText, fromBytes: fc.boolean(), before: fc.uint8Array({ maxLength: 8 }) })
    .map((row): Added => ({ via: 'written', ...row })),
);

function pack(packer: StoredRowPacker, entry: Added): void {
  if (entry.via === 'add') {
    packer.add(entry.row);
    return;
  }
  const out = packer.documentOut;
  const start = out.at;
  out.putText(entry.document);
  const columns = new ByteRowColumns();
  const texts = [entry.id, entry.branchId, entry.managerId];
  // The columns' bytes sit in a row among other bytes, as they do in a file.
  const pieces: Buffer[] = [Buffer.from(entry.before)];
  let at = entry.before.length;
  for (let column = 0; column < 3; column++) {
    const value = texts[column] as string | null;
    columns.starts[column] = -1;
    columns.values[column] = value ?? undefined;
    if (!entry.fromBytes || value === null) continue;
    const bytes = Buffer.from(value, 'utf8');
    columns.starts[column] = at;
    columns.ends[column] = at + bytes.length;
    pieces.push(bytes, Buffer.from(','));
    at += bytes.length + 1;
  }
  columns.bytes = Buffer.concat(pieces);
  packer.commitDocument(start, columns);
}

/** What the writing thread should get for an added row: its strings, and its document's UTF-8. */
function expected(entry: Added): { id: string; branchId: string; managerId: string | null; document: Buffer } {
  if (entry.via === 'written') return { id: entry.id, branchId: entry.branchId, managerId: entry.managerId, document: Buffer.from(entry.document, 'utf8') };
  const { row } = entry;
  const document = typeof row.document === 'string' ? Buffer.from(row.document, 'utf8') : Buffer.from(row.document);
  return { id: row.id, branchId: row.branchId, managerId: row.managerId, document };
}

function received(row: StoredCustomerRow): { id: string; branchId: string; managerId: string | null; document: Buffer } {
  if (!(row.document instanceof Uint8Array)) throw new Error(`row "${row.id}" came back with a ${typeof row.document} document, not bytes`);
  return { id: row.id, branchId: row.branchId, managerId: row.managerId, document: Buffer.from(row.document) };
}

describe('stored rows packed as UTF-8', () => {
  it('come back as they were added, batch after batch, whatever the text and however the buffer grew', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(added, { maxLength: 12 }), { minLength: 1, maxLength: 4 }), (rowsPerBatch, batches) => {
        const packer = new StoredRowPacker(rowsPerBatch);
        const taken: PackedStoredRows[] = [];
        for (const batch of batches) {
          for (const entry of batch) pack(packer, entry);
          expect(packer.rows).toBe(batch.length);
          taken.push(packer.take());
        }
        // Checked only once every batch is packed: a later batch must not write over an earlier one's buffer.
        taken.forEach((packed, index) => {
          const batch = batches[index] ?? [];
          expect(packed.lengths.length).toBe(batch.length * 4);
          const rows = unpackStoredRows(packed);
          expect(rows.map(received)).toEqual(batch.map(expected));
          // The documents are views of the transferred buffer, not copies.
          for (const row of rows) expect((row.document as Uint8Array).buffer).toBe(packed.bytes);
          expect(packed.used).toBe(batch.reduce((total, entry) => {
            const { id, branchId, managerId: manager, document } = expected(entry);
            return total + Buffer.byteLength(id) + Buffer.byteLength(branchId) + (manager === null ? 0 : Buffer.byteLength(manager)) + document.length;
          }, 0));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('tells a missing manager from an empty one, and keeps empty ids and documents', () => {
    const packer = new StoredRowPacker(1);
    packer.add({ id: '', branchId: '', managerId: '', document: '' });
    packer.add({ id: 'C1', branchId: 'B', managerId: null, document: new Uint8Array(0) });
    const packed = packer.take();
    // Four lengths a row: document, id, branch, manager (-1: none).
    expect([...packed.lengths]).toEqual([0, 0, 0, 0, 0, 2, 1, -1]);
    expect(unpackStoredRows(packed).map(received)).toEqual([
      { id: '', branchId: '', managerId: '', document: Buffer.alloc(0) },
      { id: 'C1', branchId: 'B', managerId: null, document: Buffer.alloc(0) },
    ]);
  });

  it('packs a document far longer than a batch’s room, and 3,000 rows after it', () => {
    const long = `{"long":"${'长'.repeat(1_000_000)}😀"}`;
    const rows: StoredCustomerRow[] = [
      { id: 'C-long', branchId: '网点', managerId: 'M9', document: long },
      ...Array.from({ length: 3000 }, (_, index) => ({ id: `C${index}`, branchId: 'BR2', managerId: `M${index % 7}`, document: `{"n":${index}}` })),
    ];
    const packer = new StoredRowPacker(2);
    for (const row of rows) packer.add(row);
    const unpacked = unpackStoredRows(packer.take());
    expect(unpacked.map((row) => ({ ...row, document: Buffer.from(row.document as Uint8Array).toString('utf8') }))).toEqual(rows);
  });
});
