// Customers' stored rows packed for the trip from the reading thread to the writing one. Each row's
// four values are written end to end into one UTF-16 buffer as the row is made, with their lengths
// beside them; the buffer is handed over without a copy, and the writing thread (whose time is the
// import's limit) turns it into one string and each value into a slice of it. Rows kept as strings
// and objects until a batch was full outlived several of the reading thread's garbage collections,
// each copying them, and then had to be joined or cloned to cross.
import type { StoredCustomerRow } from '@kequn/core';

export interface PackedStoredRows {
  /** UTF-16LE text of every value, end to end; `chars` of it are used. */
  text: ArrayBuffer;
  chars: number;
  /** Four lengths a row, in characters: id, branch, manager (-1 for none), document. */
  lengths: Int32Array;
}

const NO_MANAGER = -1;
const VALUES_PER_ROW = 4;
/** A synthetic customer's row is ~1,500 characters; the buffer grows for longer ones. */
const CHARS_PER_ROW = 1_600;

export class StoredRowPacker {
  /** Characters each new buffer has room for: a batch's worth, or as many as the last batch took. */
  #capacity: number;
  #buffer: Buffer;
  #chars = 0;
  #lengths = new Int32Array(VALUES_PER_ROW * 1024);
  #rows = 0;

  constructor(rowsPerBatch: number) {
    this.#capacity = Math.max(1, rowsPerBatch) * CHARS_PER_ROW;
    this.#buffer = Buffer.allocUnsafeSlow(this.#capacity * 2);
  }

  get rows(): number {
    return this.#rows;
  }

  add(row: StoredCustomerRow): void {
    const at = this.#rows * VALUES_PER_ROW;
    if (at + VALUES_PER_ROW > this.#lengths.length) {
      const grown = new Int32Array(this.#lengths.length * 2);
      grown.set(this.#lengths);
      this.#lengths = grown;
    }
    this.#lengths[at] = this.#write(row.id);
    this.#lengths[at + 1] = this.#write(row.branchId);
    this.#lengths[at + 2] = row.managerId === null ? NO_MANAGER : this.#write(row.managerId);
    this.#lengths[at + 3] = this.#write(row.document);
    this.#rows += 1;
  }

  /** The rows so far, handed over; the packer starts again empty. */
  take(): PackedStoredRows {
    const packed: PackedStoredRows = { text: this.#buffer.buffer as ArrayBuffer, chars: this.#chars, lengths: this.#lengths.slice(0, this.#rows * VALUES_PER_ROW) };
    this.#capacity = Math.max(this.#capacity, this.#chars);
    this.#buffer = Buffer.allocUnsafeSlow(this.#capacity * 2);
    this.#chars = 0;
    this.#rows = 0;
    return packed;
  }

  #write(value: string): number {
    const needed = (this.#chars + value.length) * 2;
    if (needed > this.#buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.#buffer.length * 2));
      this.#buffer.copy(grown, 0, 0, this.#chars * 2);
      this.#buffer = grown;
    }
    this.#buffer.write(value, this.#chars * 2, 'utf16le');
    this.#chars += value.length;
    return value.length;
  }
}

export function unpackStoredRows(packed: PackedStoredRows): StoredCustomerRow[] {
  const text = Buffer.from(packed.text, 0, packed.chars * 2).toString('utf16le');
  const { lengths } = packed;
  const rows: StoredCustomerRow[] = new Array(lengths.length / VALUES_PER_ROW);
  let position = 0;
  const next = (length: number): string => text.slice(position, (position += length));
  for (let index = 0; index < rows.length; index++) {
    const at = index * VALUES_PER_ROW;
    const id = next(lengths[at] as number);
    const branchId = next(lengths[at + 1] as number);
    const managerLength = lengths[at + 2] as number;
    const managerId = managerLength === NO_MANAGER ? null : next(managerLength);
    rows[index] = { id, branchId, managerId, document: next(lengths[at + 3] as number) };
  }
  return rows;
}
