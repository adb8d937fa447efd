// The typed-array columns of the table. The interfaces are public: the segmentation engine reads
// the arrays directly. The classes behind them are internal and only the table writes to them.
//
// Arrays may be longer than the table (spare capacity); only indexes below `table.size` mean
// anything. Growth and widening replace the arrays, so read `column.values` (etc.) again after any
// upsert, remove or addColumn instead of keeping an array across changes.
import { fromEpochDay, toEpochDay } from '../attributes/calendar.js';
import type { AttributeDefinition, NumberStorage } from '../attributes/definition.js';
import { numberStorageOf } from '../attributes/definition.js';
import type { AttributeValue } from '../attributes/value.js';
import { bitmapWordsFor, clearBit, resizeBitmap, setBit, testBit } from './bitmap.js';
import type { StringDictionary } from './string-dictionary.js';
import { StringPool } from './string-dictionary.js';

/** Day number of a null date in a date column. */
export const NULL_EPOCH_DAY = -2147483648;

/** Code of a null value in a dictionary column. */
export const NULL_CODE = 0;

export const BOOLEAN_FALSE = 0;
export const BOOLEAN_TRUE = 1;
export const BOOLEAN_NULL = 2;

export type NumberArray = Float64Array | Float32Array | Int32Array | Uint16Array | Uint8Array;
export type CodeArray = Uint8Array | Uint16Array | Uint32Array;

/**
 * number and money attributes. `values` uses the storage hint's array type (Float64Array by default).
 * Row i is null when bit i of `nulls` is set; float columns also hold NaN there, so comparisons on
 * `values` alone are already false for nulls.
 */
export interface NumberColumn {
  readonly kind: 'number';
  readonly definition: AttributeDefinition;
  readonly storage: NumberStorage;
  readonly values: NumberArray;
  readonly nulls: Uint32Array;
}

/** date attributes: days since 1970-01-01 (UTC calendar), NULL_EPOCH_DAY for null. Compare as integers. */
export interface DateColumn {
  readonly kind: 'date';
  readonly definition: AttributeDefinition;
  readonly days: Int32Array;
}

/**
 * enum and string attributes, dictionary-encoded. `codes[i]` is the code of row i's value, 0 for null.
 * Codes are Uint8 up to 255 values, then Uint16, then Uint32. Enum columns give the declared values
 * codes 1…n in declaration order; other values get the next code when first seen. Codes never change.
 */
export interface DictionaryColumn {
  readonly kind: 'dictionary';
  readonly definition: AttributeDefinition;
  readonly codes: CodeArray;
  readonly dictionary: StringDictionary;
  /** The code of a value, or undefined when no row has ever held it (so no row matches it). */
  codeOf(value: string): number | undefined;
  /**
   * The rows whose code is `code` as a bitmap (bit i = row i), so a rule tests 32 rows with one
   * word. Built on first request and kept current by every write; replaced when the table grows.
   */
  rowsWithCode(code: number): Uint32Array;
}

/**
 * set attributes as a bitmask per row: row i owns `bits[i * words]` … `bits[i * words + words - 1]`,
 * and member m is bit (m & 31) of word (m >>> 5). `members[m]` is the value of member m: declared
 * values first, in order, then values of an open set as first seen. Adding a 33rd member widens
 * `words` (and replaces `bits`). Row i is null (not just empty) when bit i of `nulls` is set.
 */
export interface SetColumn {
  readonly kind: 'set';
  readonly definition: AttributeDefinition;
  readonly words: number;
  readonly bits: Uint32Array;
  readonly nulls: Uint32Array;
  readonly members: readonly string[];
  /** The member index of a value, or undefined when no row has ever held it. */
  memberOf(value: string): number | undefined;
  /** The rows holding member `member` as a bitmap (bit i = row i); kept current like `rowsWithCode`. */
  rowsWithMember(member: number): Uint32Array;
}

/** boolean attributes: BOOLEAN_FALSE (0), BOOLEAN_TRUE (1) or BOOLEAN_NULL (2) per row. */
export interface BooleanColumn {
  readonly kind: 'boolean';
  readonly definition: AttributeDefinition;
  readonly values: Uint8Array;
  /** The rows storing `stored` (BOOLEAN_FALSE, _TRUE or _NULL) as a bitmap; kept current like `rowsWithCode`. */
  rowsWithValue(stored: number): Uint32Array;
}

export type TableColumn = NumberColumn | DateColumn | DictionaryColumn | SetColumn | BooleanColumn;

/** What the table needs from every column; values given to `write` are already validated. */
interface ColumnStorage {
  resize(capacity: number): void;
  /** Gives back spare room beyond the rows (dictionaries grow by doubling too). */
  compact(): void;
  write(index: number, value: AttributeValue | null): void;
  read(index: number): AttributeValue | null;
  memoryBytes(): number;
}

/**
 * Bitmaps of the rows holding one stored value (a code, a member), built when first asked for and
 * then updated by the column's writes, so evaluating a rule never rebuilds them.
 */
class RowBitmaps {
  readonly #bitmaps = new Map<number, Uint32Array>();

  /** The bitmap of `key`, built with `holds(row)` for every row slot when first asked for. */
  get(key: number, capacity: number, holds: (row: number) => boolean): Uint32Array {
    const existing = this.#bitmaps.get(key);
    if (existing !== undefined) return existing;
    const bitmap = new Uint32Array(bitmapWordsFor(capacity));
    for (let row = 0; row < capacity; row++) if (holds(row)) setBit(bitmap, row);
    this.#bitmaps.set(key, bitmap);
    return bitmap;
  }

  /** Records that `row` now holds `key` only (a code, a stored boolean). */
  writeKey(row: number, key: number): void {
    if (this.#bitmaps.size === 0) return;
    for (const [held, bitmap] of this.#bitmaps) {
      if (held === key) setBit(bitmap, row);
      else clearBit(bitmap, row);
    }
  }

  /** Records that `row` now holds exactly the keys `holds` says, for every bitmap built so far. */
  write(row: number, holds: (key: number) => boolean): void {
    for (const [key, bitmap] of this.#bitmaps) {
      if (holds(key)) setBit(bitmap, row);
      else clearBit(bitmap, row);
    }
  }

  get tracking(): boolean {
    return this.#bitmaps.size > 0;
  }

  resize(capacity: number): void {
    for (const [key, bitmap] of this.#bitmaps) this.#bitmaps.set(key, resizeBitmap(bitmap, capacity));
  }

  memoryBytes(): number {
    let bytes = 0;
    for (const bitmap of this.#bitmaps.values()) bytes += bitmap.byteLength;
    return bytes;
  }
}

function createNumberArray(storage: NumberStorage, length: number): NumberArray {
  switch (storage) {
    case 'float64':
      return new Float64Array(length);
    case 'float32':
      return new Float32Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'uint16':
      return new Uint16Array(length);
    case 'uint8':
      return new Uint8Array(length);
  }
}

class NumberColumnStore implements NumberColumn, ColumnStorage {
  readonly kind = 'number';
  readonly storage: NumberStorage;
  values: NumberArray;
  nulls: Uint32Array;
  readonly #nullFill: number;

  constructor(
    readonly definition: AttributeDefinition,
    capacity: number,
  ) {
    this.storage = numberStorageOf(definition);
    this.values = createNumberArray(this.storage, capacity);
    this.nulls = new Uint32Array(bitmapWordsFor(capacity));
    this.#nullFill = this.storage === 'float64' || this.storage === 'float32' ? NaN : 0;
  }

  resize(capacity: number): void {
    const values = createNumberArray(this.storage, capacity);
    values.set(this.values.subarray(0, Math.min(capacity, this.values.length)));
    this.values = values;
    this.nulls = resizeBitmap(this.nulls, capacity);
  }

  write(index: number, value: AttributeValue | null): void {
    if (typeof value === 'number') {
      this.values[index] = value;
      clearBit(this.nulls, index);
      return;
    }
    this.values[index] = this.#nullFill;
    setBit(this.nulls, index);
  }

  read(index: number): number | null {
    if (testBit(this.nulls, index)) return null;
    return this.values[index] ?? null;
  }

  compact(): void {
    // Nothing beyond the row arrays, which resize() already sized.
  }

  memoryBytes(): number {
    return this.values.byteLength + this.nulls.byteLength;
  }
}

class DateColumnStore implements DateColumn, ColumnStorage {
  readonly kind = 'date';
  days: Int32Array;

  constructor(
    readonly definition: AttributeDefinition,
    capacity: number,
  ) {
    this.days = new Int32Array(capacity);
  }

  resize(capacity: number): void {
    const days = new Int32Array(capacity);
    days.set(this.days.subarray(0, Math.min(capacity, this.days.length)));
    this.days = days;
  }

  write(index: number, value: AttributeValue | null): void {
    this.days[index] = typeof value === 'string' ? toEpochDay(value) : NULL_EPOCH_DAY;
  }

  read(index: number): string | null {
    const day = this.days[index] ?? NULL_EPOCH_DAY;
    return day === NULL_EPOCH_DAY ? null : fromEpochDay(day);
  }

  compact(): void {
    // Nothing beyond the row arrays, which resize() already sized.
  }

  memoryBytes(): number {
    return this.days.byteLength;
  }
}

function codeArrayFor(dictionarySize: number, length: number): CodeArray {
  if (dictionarySize <= 0x100) return new Uint8Array(length);
  if (dictionarySize <= 0x10000) return new Uint16Array(length);
  return new Uint32Array(length);
}

function largestCode(codes: CodeArray): number {
  if (codes instanceof Uint8Array) return 0xff;
  if (codes instanceof Uint16Array) return 0xffff;
  return 0xffffffff;
}

class DictionaryColumnStore implements DictionaryColumn, ColumnStorage {
  readonly kind = 'dictionary';
  codes: CodeArray;
  readonly #pool: StringPool;
  readonly #rows = new RowBitmaps();

  constructor(
    readonly definition: AttributeDefinition,
    capacity: number,
  ) {
    const declared = definition.values ?? [];
    this.#pool = new StringPool(declared.length);
    for (const option of declared) this.#pool.intern(option.value);
    this.codes = codeArrayFor(this.#pool.size, capacity);
  }

  get dictionary(): StringDictionary {
    return this.#pool;
  }

  codeOf(value: string): number | undefined {
    return this.#pool.codeOf(value);
  }

  rowsWithCode(code: number): Uint32Array {
    return this.#rows.get(code, this.codes.length, (row) => this.codes[row] === code);
  }

  compact(): void {
    this.#pool.trim();
  }

  resize(capacity: number): void {
    this.#replaceCodes(codeArrayFor(this.#pool.size, capacity));
    this.#rows.resize(capacity);
  }

  write(index: number, value: AttributeValue | null): void {
    const code = typeof value === 'string' ? this.#pool.intern(value) : NULL_CODE;
    if (code > largestCode(this.codes))
      this.#replaceCodes(codeArrayFor(this.#pool.size, this.codes.length));
    this.codes[index] = code;
    this.#rows.writeKey(index, code);
  }

  read(index: number): string | null {
    return this.#pool.valueAt(this.codes[index] ?? NULL_CODE);
  }

  memoryBytes(): number {
    return this.codes.byteLength + this.#pool.memoryBytes() + this.#rows.memoryBytes();
  }

  #replaceCodes(codes: CodeArray): void {
    codes.set(this.codes.subarray(0, Math.min(codes.length, this.codes.length)));
    this.codes = codes;
  }
}

class SetColumnStore implements SetColumn, ColumnStorage {
  readonly kind = 'set';
  words: number;
  bits: Uint32Array;
  nulls: Uint32Array;
  readonly members: string[];
  readonly #memberIndex = new Map<string, number>();
  readonly #rows = new RowBitmaps();
  #capacity: number;

  constructor(
    readonly definition: AttributeDefinition,
    capacity: number,
  ) {
    this.members = (definition.values ?? []).map((option) => option.value);
    this.members.forEach((member, index) => this.#memberIndex.set(member, index));
    this.words = Math.max(1, Math.ceil(this.members.length / 32));
    this.#capacity = capacity;
    this.bits = new Uint32Array(capacity * this.words);
    this.nulls = new Uint32Array(bitmapWordsFor(capacity));
  }

  memberOf(value: string): number | undefined {
    return this.#memberIndex.get(value);
  }

  rowsWithMember(member: number): Uint32Array {
    return this.#rows.get(member, this.#capacity, (row) => this.#holds(row, member));
  }

  resize(capacity: number): void {
    const bits = new Uint32Array(capacity * this.words);
    bits.set(this.bits.subarray(0, Math.min(bits.length, this.bits.length)));
    this.bits = bits;
    this.nulls = resizeBitmap(this.nulls, capacity);
    this.#rows.resize(capacity);
    this.#capacity = capacity;
  }

  write(index: number, value: AttributeValue | null): void {
    if (!Array.isArray(value)) {
      const offset = index * this.words;
      this.bits.fill(0, offset, offset + this.words);
      setBit(this.nulls, index);
      this.#rows.writeKey(index, -1);
      return;
    }
    const memberIndexes = (value as readonly string[]).map((member) =>
      this.#memberIndexAdding(member),
    );
    // Widening may have moved the row, so the offset is taken again.
    const rowStart = index * this.words;
    this.bits.fill(0, rowStart, rowStart + this.words);
    for (const member of memberIndexes) {
      const word = rowStart + (member >>> 5);
      this.bits[word] = (this.bits[word] ?? 0) | (1 << (member & 31));
    }
    clearBit(this.nulls, index);
    if (this.#rows.tracking) this.#rows.write(index, (member) => this.#holds(index, member));
  }

  #holds(row: number, member: number): boolean {
    const word = this.bits[row * this.words + (member >>> 5)] ?? 0;
    return (word & (1 << (member & 31))) !== 0;
  }

  read(index: number): string[] | null {
    if (testBit(this.nulls, index)) return null;
    const present: string[] = [];
    const rowStart = index * this.words;
    for (let member = 0; member < this.members.length; member++) {
      const word = this.bits[rowStart + (member >>> 5)] ?? 0;
      if ((word & (1 << (member & 31))) !== 0) present.push(this.members[member] ?? '');
    }
    return present;
  }

  compact(): void {
    // Nothing beyond the row arrays, which resize() already sized.
  }

  memoryBytes(): number {
    const memberBytes = this.members.reduce((total, member) => total + 16 + member.length * 2, 0);
    return this.bits.byteLength + this.nulls.byteLength + memberBytes + this.#rows.memoryBytes();
  }

  #memberIndexAdding(member: string): number {
    const existing = this.#memberIndex.get(member);
    if (existing !== undefined) return existing;
    const index = this.members.length;
    this.members.push(member);
    this.#memberIndex.set(member, index);
    if (index >= this.words * 32) this.#widen(this.words + 1);
    return index;
  }

  #widen(words: number): void {
    const bits = new Uint32Array(this.#capacity * words);
    for (let row = 0; row < this.#capacity; row++) {
      bits.set(this.bits.subarray(row * this.words, (row + 1) * this.words), row * words);
    }
    this.bits = bits;
    this.words = words;
  }
}

class BooleanColumnStore implements BooleanColumn, ColumnStorage {
  readonly kind = 'boolean';
  values: Uint8Array;
  readonly #rows = new RowBitmaps();

  constructor(
    readonly definition: AttributeDefinition,
    capacity: number,
  ) {
    this.values = new Uint8Array(capacity);
  }

  rowsWithValue(stored: number): Uint32Array {
    return this.#rows.get(stored, this.values.length, (row) => this.values[row] === stored);
  }

  resize(capacity: number): void {
    const values = new Uint8Array(capacity);
    values.set(this.values.subarray(0, Math.min(capacity, this.values.length)));
    this.values = values;
    this.#rows.resize(capacity);
  }

  write(index: number, value: AttributeValue | null): void {
    let stored = BOOLEAN_NULL;
    if (typeof value === 'boolean') stored = value ? BOOLEAN_TRUE : BOOLEAN_FALSE;
    this.values[index] = stored;
    this.#rows.writeKey(index, stored);
  }

  read(index: number): boolean | null {
    const stored = this.values[index];
    if (stored === BOOLEAN_TRUE) return true;
    if (stored === BOOLEAN_FALSE) return false;
    return null;
  }

  compact(): void {
    // Nothing beyond the row arrays, which resize() already sized.
  }

  memoryBytes(): number {
    return this.values.byteLength + this.#rows.memoryBytes();
  }
}

export type ColumnStore = TableColumn & ColumnStorage;

export function createColumnStore(definition: AttributeDefinition, capacity: number): ColumnStore {
  switch (definition.type) {
    case 'number':
    case 'money':
      return new NumberColumnStore(definition, capacity);
    case 'date':
      return new DateColumnStore(definition, capacity);
    case 'enum':
    case 'string':
      return new DictionaryColumnStore(definition, capacity);
    case 'set':
      return new SetColumnStore(definition, capacity);
    case 'boolean':
      return new BooleanColumnStore(definition, capacity);
  }
}
