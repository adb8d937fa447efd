// A fixed-size set of row indexes, one bit per row. Segment memberships are bitsets over the
// columnar customer table, so set algebra between segments is a word-wise loop.

export class Bitset {
  readonly words: Uint32Array;

  constructor(
    readonly size: number,
    words?: Uint32Array,
  ) {
    this.words = words ?? new Uint32Array(Math.ceil(size / 32));
  }

  static fromIndexes(size: number, indexes: Iterable<number>): Bitset {
    const bitset = new Bitset(size);
    for (const index of indexes) bitset.add(index);
    return bitset;
  }

  add(index: number): void {
    this.#check(index);
    const word = index >>> 5;
    this.words[word] = (this.words[word] ?? 0) | (1 << (index & 31));
  }

  delete(index: number): void {
    this.#check(index);
    const word = index >>> 5;
    this.words[word] = (this.words[word] ?? 0) & ~(1 << (index & 31));
  }

  has(index: number): boolean {
    if (index < 0 || index >= this.size) return false;
    return ((this.words[index >>> 5] ?? 0) & (1 << (index & 31))) !== 0;
  }

  count(): number {
    let total = 0;
    for (const word of this.words) total += popcount(word);
    return total;
  }

  and(other: Bitset): Bitset {
    return this.#combine(other, (a, b) => a & b);
  }

  or(other: Bitset): Bitset {
    return this.#combine(other, (a, b) => a | b);
  }

  andNot(other: Bitset): Bitset {
    return this.#combine(other, (a, b) => a & ~b);
  }

  /** Row indexes in ascending order. */
  *[Symbol.iterator](): IterableIterator<number> {
    for (let word = 0; word < this.words.length; word++) {
      let bits = this.words[word] ?? 0;
      while (bits !== 0) {
        const lowest = bits & -bits;
        yield word * 32 + (31 - Math.clz32(lowest));
        bits ^= lowest;
      }
    }
  }

  #combine(other: Bitset, op: (a: number, b: number) => number): Bitset {
    if (other.size !== this.size) {
      throw new RangeError(`Cannot combine bitsets of ${this.size} and ${other.size} rows.`);
    }
    const words = new Uint32Array(this.words.length);
    for (let i = 0; i < words.length; i++) words[i] = op(this.words[i] ?? 0, other.words[i] ?? 0);
    return new Bitset(this.size, words);
  }

  #check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`Row index ${index} is outside a bitset of ${this.size} rows.`);
    }
  }
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
