// Customers' stored rows packed for the trip from a reading thread to the writing one. Each row's
// document and then its id, branch and manager are written end to end into one buffer of UTF-8 as
// the row is made, with their lengths beside them; the buffer is handed over without a copy. The
// byte path (byte-customers.ts) writes a document straight into the buffer, and copies the ids
// from the file's bytes, so a row read that way is never a string on the reading thread. The
// writing thread (whose time is the import's limit) decodes only the short ids: each document stays
// a view of the buffer, which SQLite binds as it is. Rows kept as strings and objects until a batch
// was full outlived several of the reading thread's garbage collections, each copying them, and then
// had to be joined or cloned to cross.
import type { StoredCustomerRow } from '@kequn/core';
import { ByteOut } from './byte-cells.js';
import type { ByteRowColumns } from './byte-customers.js';

export interface PackedStoredRows {
  /** UTF-8 of every value, end to end; the first `used` bytes of it are. */
  bytes: ArrayBuffer;
  used: number;
  /** Four lengths a row, in bytes: document, id, branch, manager (-1 for none). */
  lengths: Int32Array;
}

const NO_MANAGER = -1;
const VALUES_PER_ROW = 4;
/** A synthetic customer's row is ~1,450 bytes of UTF-8; the buffer grows for longer ones. */
const BYTES_PER_ROW = 1_600;
/** The most UTF-8 bytes one UTF-16 unit can take (a surrogate pair's 4 bytes are 2 units). */
const MAX_BYTES_PER_UNIT = 3;

export class StoredRowPacker {
  /** Bytes each new buffer has room for: a batch's worth, or as many as the last batch took. */
  #capacity: number;
  #out: ByteOut;
  #lengths = new Int32Array(VALUES_PER_ROW * 1024);
  #rows = 0;

  constructor(rowsPerBatch: number) {
    this.#capacity = Math.max(1, rowsPerBatch) * BYTES_PER_ROW;
    this.#out = new ByteOut(this.#capacity);
  }

  get rows(): number {
    return this.#rows;
  }

  /**
   * Where the next row's document is to be written as UTF-8 JSON, from its `at` on; then
   * `commitDocument` packs the row, or setting `at` back to where it was drops what was written.
   */
  get documentOut(): ByteOut {
    return this.#out;
  }

  /** Packs the row whose document was written to `documentOut` from `start`, with the columns the byte path read. */
  commitDocument(start: number, columns: ByteRowColumns): void {
    const at = this.#nextRow();
    this.#lengths[at] = this.#out.at - start;
    for (let column = 0; column < 3; column++) {
      const from = columns.starts[column] as number;
      if (from !== -1) this.#lengths[at + 1 + column] = this.#copy(columns.bytes, from, columns.ends[column] as number);
      else {
        const text = columns.text(column);
        this.#lengths[at + 1 + column] = text === null ? NO_MANAGER : this.#write(text);
      }
    }
    this.#rows += 1;
  }

  /** Packs a row; a document given as bytes is copied as it is. */
  add(row: StoredCustomerRow): void {
    const { document } = row;
    const at = this.#nextRow();
    this.#lengths[at] = typeof document === 'string' ? this.#write(document) : this.#copy(document, 0, document.length);
    this.#columns(at, row.id, row.branchId, row.managerId);
  }

  /** The rows so far, handed over; the packer starts again empty. */
  take(): PackedStoredRows {
    const out = this.#out;
    const packed: PackedStoredRows = { bytes: out.bytes.buffer as ArrayBuffer, used: out.at, lengths: this.#lengths.slice(0, this.#rows * VALUES_PER_ROW) };
    this.#capacity = Math.max(this.#capacity, out.at);
    this.#out = new ByteOut(this.#capacity);
    this.#rows = 0;
    return packed;
  }

  #columns(at: number, id: string, branchId: string, managerId: string | null): void {
    this.#lengths[at + 1] = this.#write(id);
    this.#lengths[at + 2] = this.#write(branchId);
    this.#lengths[at + 3] = managerId === null ? NO_MANAGER : this.#write(managerId);
    this.#rows += 1;
  }

  /** Where the next row's lengths go, with room made for them. */
  #nextRow(): number {
    const at = this.#rows * VALUES_PER_ROW;
    if (at + VALUES_PER_ROW > this.#lengths.length) {
      const grown = new Int32Array(this.#lengths.length * 2);
      grown.set(this.#lengths);
      this.#lengths = grown;
    }
    return at;
  }

  #write(value: string): number {
    const out = this.#out;
    // Counting a string's bytes walks it, so only a string that might not fit is counted.
    out.ensure(value.length * MAX_BYTES_PER_UNIT > out.bytes.length - out.at ? Buffer.byteLength(value, 'utf8') : 0);
    const written = out.bytes.write(value, out.at, 'utf8');
    out.at += written;
    return written;
  }

  #copy(source: Uint8Array, start: number, end: number): number {
    const out = this.#out;
    const length = end - start;
    out.ensure(length);
    out.bytes.set(source.subarray(start, end), out.at);
    out.at += length;
    return length;
  }
}

/** The rows of a packed batch: ids as strings, each document a view of the batch's bytes (no copy). */
export function unpackStoredRows(packed: PackedStoredRows): StoredCustomerRow[] {
  const bytes = Buffer.from(packed.bytes, 0, packed.used);
  const { lengths } = packed;
  const rows: StoredCustomerRow[] = new Array(lengths.length / VALUES_PER_ROW);
  let position = 0;
  const next = (length: number): string => bytes.toString('utf8', position, (position += length));
  for (let index = 0; index < rows.length; index++) {
    const at = index * VALUES_PER_ROW;
    const documentLength = lengths[at] as number;
    const document = new Uint8Array(packed.bytes, position, documentLength);
    position += documentLength;
    const id = next(lengths[at + 1] as number);
    const branchId = next(lengths[at + 2] as number);
    const managerLength = lengths[at + 3] as number;
    rows[index] = { id, branchId, managerId: managerLength === NO_MANAGER ? null : next(managerLength), document };
  }
  return rows;
}
