// Customers' stored rows packed for the trip from the reading thread to the writing one. Each row's
// four values are written end to end into one buffer of UTF-8 as the row is made, with their
// lengths beside them; the buffer is handed over without a copy. The writing thread (whose time is
// the import's limit) decodes only the short ids to strings: each document stays a view of the
// buffer, which SQLite binds as it is, so the document is never a JS string on that thread. Rows
// kept as strings and objects until a batch was full outlived several of the reading thread's
// garbage collections, each copying them, and then had to be joined or cloned to cross.
import type { StoredCustomerRow } from '@kequn/core';

export interface PackedStoredRows {
  /** UTF-8 of every value, end to end; the first `used` bytes of it are. */
  bytes: ArrayBuffer;
  used: number;
  /** Four lengths a row, in bytes: id, branch, manager (-1 for none), document. */
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
  #buffer: Buffer;
  #used = 0;
  #lengths = new Int32Array(VALUES_PER_ROW * 1024);
  #rows = 0;

  constructor(rowsPerBatch: number) {
    this.#capacity = Math.max(1, rowsPerBatch) * BYTES_PER_ROW;
    this.#buffer = Buffer.allocUnsafeSlow(this.#capacity);
  }

  get rows(): number {
    return this.#rows;
  }

  /** Packs a row; a document given as bytes is copied as it is. */
  add(row: StoredCustomerRow): void {
    const at = this.#nextRow();
    this.#lengths[at] = this.#write(row.id);
    this.#lengths[at + 1] = this.#write(row.branchId);
    this.#lengths[at + 2] = row.managerId === null ? NO_MANAGER : this.#write(row.managerId);
    const { document } = row;
    this.#lengths[at + 3] = typeof document === 'string' ? this.#write(document) : this.#copy(document, 0, document.length);
    this.#rows += 1;
  }

  /**
   * Packs a row whose document is `source[start, end)`, UTF-8 JSON already (a reader that builds
   * documents as bytes), without making it a string.
   */
  addBytes(id: string, branchId: string, managerId: string | null, source: Uint8Array, start: number, end: number): void {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > source.length) {
      throw new RangeError(`StoredRowPacker.addBytes: the document of customer "${id}" is bytes [${start}, ${end}) of a source of ${source.length} bytes`);
    }
    const at = this.#nextRow();
    this.#lengths[at] = this.#write(id);
    this.#lengths[at + 1] = this.#write(branchId);
    this.#lengths[at + 2] = managerId === null ? NO_MANAGER : this.#write(managerId);
    this.#lengths[at + 3] = this.#copy(source, start, end);
    this.#rows += 1;
  }

  /** The rows so far, handed over; the packer starts again empty. */
  take(): PackedStoredRows {
    const packed: PackedStoredRows = { bytes: this.#buffer.buffer as ArrayBuffer, used: this.#used, lengths: this.#lengths.slice(0, this.#rows * VALUES_PER_ROW) };
    this.#capacity = Math.max(this.#capacity, this.#used);
    this.#buffer = Buffer.allocUnsafeSlow(this.#capacity);
    this.#used = 0;
    this.#rows = 0;
    return packed;
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
    // Counting a string's bytes walks it, so only a string that might not fit is counted.
    if (this.#used + value.length * MAX_BYTES_PER_UNIT > this.#buffer.length) this.#reserve(Buffer.byteLength(value, 'utf8'));
    const written = this.#buffer.write(value, this.#used, 'utf8');
    this.#used += written;
    return written;
  }

  #copy(source: Uint8Array, start: number, end: number): number {
    const length = end - start;
    this.#reserve(length);
    this.#buffer.set(source.subarray(start, end), this.#used);
    this.#used += length;
    return length;
  }

  /** Grows the buffer, keeping what it holds, if `bytes` more would not fit. */
  #reserve(bytes: number): void {
    const needed = this.#used + bytes;
    if (needed <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.#buffer.length * 2));
    this.#buffer.copy(grown, 0, 0, this.#used);
    this.#buffer = grown;
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
    const id = next(lengths[at] as number);
    const branchId = next(lengths[at + 1] as number);
    const managerLength = lengths[at + 2] as number;
    const managerId = managerLength === NO_MANAGER ? null : next(managerLength);
    const documentLength = lengths[at + 3] as number;
    rows[index] = { id, branchId, managerId, document: new Uint8Array(packed.bytes, position, documentLength) };
    position += documentLength;
  }
  return rows;
}
