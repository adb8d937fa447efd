// An interning dictionary of strings kept out of the JavaScript heap's string objects: the characters
// sit in one typed-array arena and lookups go through an open-addressing hash of codes. A million
// distinct ids, phone numbers or names then cost bytes per entry instead of a string object, an
// array slot and a Map entry each (about 70 bytes), and never pin the buffers the rows came from.

/** Read access to a dictionary column's values. Code 0 is null; codes 1…size-1 are values. */
export interface StringDictionary {
  /** Number of codes, counting code 0 (null). */
  readonly size: number;
  /** The value of a code; null for code 0. Throws a RangeError for codes not in the dictionary. */
  valueAt(code: number): string | null;
  /** The code of a value, or undefined when no row has ever held it. */
  codeOf(value: string): number | undefined;
  /** Every value with its code, in code order (code 0 excluded). */
  entries(): IterableIterator<[code: number, value: string]>;
}

const emptySlot = 0;
const maxLoadNumerator = 3;
const maxLoadDenominator = 4;
const decodeChunk = 4096;

function hashString(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function hashUnits(units: Uint8Array | Uint16Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (units[i] ?? 0), 0x01000193);
  return hash >>> 0;
}

function needsTwoBytes(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return true;
  return false;
}

export class StringPool implements StringDictionary {
  /** Latin-1 characters until the first wider character arrives, then UTF-16 code units. */
  #units: Uint8Array | Uint16Array;
  #unitCount = 0;
  /** Code c spans units offsets[c] … offsets[c + 1]. */
  #offsets: Uint32Array;
  #size = 1;
  /** Open addressing with linear probing; each slot holds a code, 0 when empty. */
  #slots: Int32Array;

  constructor(expectedSize = 8) {
    const capacity = Math.max(2, expectedSize + 1);
    this.#units = new Uint8Array(capacity * 8);
    this.#offsets = new Uint32Array(capacity + 1);
    this.#slots = new Int32Array(slotCountFor(capacity));
  }

  get size(): number {
    return this.#size;
  }

  codeOf(value: string): number | undefined {
    const mask = this.#slots.length - 1;
    for (let slot = hashString(value) & mask; ; slot = (slot + 1) & mask) {
      const code = this.#slots[slot] ?? emptySlot;
      if (code === emptySlot) return undefined;
      if (this.#equals(code, value)) return code;
    }
  }

  /** The code of a value, adding it when new. */
  intern(value: string): number {
    const existing = this.codeOf(value);
    if (existing !== undefined) return existing;
    const code = this.#size;
    this.#ensureRoom(value);
    const start = this.#unitCount;
    for (let i = 0; i < value.length; i++) this.#units[start + i] = value.charCodeAt(i);
    this.#unitCount += value.length;
    this.#offsets[code + 1] = this.#unitCount;
    this.#size += 1;
    this.#insertSlot(code, hashString(value));
    return code;
  }

  valueAt(code: number): string | null {
    if (!Number.isInteger(code) || code < 0 || code >= this.#size) {
      throw new RangeError(`code ${code} is not in this dictionary (codes 0 to ${this.#size - 1})`);
    }
    if (code === 0) return null;
    const start = this.#offsets[code] ?? 0;
    const end = this.#offsets[code + 1] ?? 0;
    let value = '';
    // Chunked because spreading a long array into fromCharCode can exceed the argument limit.
    for (let from = start; from < end; from += decodeChunk) {
      value += String.fromCharCode(
        ...this.#units.subarray(from, Math.min(end, from + decodeChunk)),
      );
    }
    return value;
  }

  *entries(): IterableIterator<[code: number, value: string]> {
    for (let code = 1; code < this.#size; code++) yield [code, this.valueAt(code) ?? ''];
  }

  /** Drops spare capacity in the arena and offsets (the hash keeps its load factor). */
  trim(): void {
    this.#units = this.#units.slice(0, this.#unitCount);
    this.#offsets = this.#offsets.slice(0, this.#size + 1);
  }

  memoryBytes(): number {
    return this.#units.byteLength + this.#offsets.byteLength + this.#slots.byteLength;
  }

  #equals(code: number, value: string): boolean {
    const start = this.#offsets[code] ?? 0;
    const end = this.#offsets[code + 1] ?? 0;
    if (end - start !== value.length) return false;
    for (let i = 0; i < value.length; i++) {
      if (this.#units[start + i] !== value.charCodeAt(i)) return false;
    }
    return true;
  }

  #ensureRoom(value: string): void {
    const neededUnits = this.#unitCount + value.length;
    const wider = this.#units instanceof Uint8Array && needsTwoBytes(value);
    if (wider || neededUnits > this.#units.length) {
      const length = Math.max(neededUnits, this.#units.length * 2);
      const units =
        wider || this.#units instanceof Uint16Array
          ? new Uint16Array(length)
          : new Uint8Array(length);
      units.set(this.#units.subarray(0, this.#unitCount));
      this.#units = units;
    }
    if (this.#size + 2 > this.#offsets.length) {
      const offsets = new Uint32Array(this.#offsets.length * 2);
      offsets.set(this.#offsets);
      this.#offsets = offsets;
    }
    if ((this.#size + 1) * maxLoadDenominator > this.#slots.length * maxLoadNumerator)
      this.#rehash();
  }

  #insertSlot(code: number, hash: number): void {
    const mask = this.#slots.length - 1;
    let slot = hash & mask;
    while ((this.#slots[slot] ?? emptySlot) !== emptySlot) slot = (slot + 1) & mask;
    this.#slots[slot] = code;
  }

  #rehash(): void {
    this.#slots = new Int32Array(this.#slots.length * 2);
    for (let code = 1; code < this.#size; code++) {
      const hash = hashUnits(this.#units, this.#offsets[code] ?? 0, this.#offsets[code + 1] ?? 0);
      this.#insertSlot(code, hash);
    }
  }
}

function slotCountFor(entries: number): number {
  let slots = 8;
  while (entries * maxLoadDenominator > slots * maxLoadNumerator) slots *= 2;
  return slots;
}
