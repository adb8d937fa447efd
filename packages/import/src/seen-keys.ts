// Remembers which row keys (customer ids…) a file has already had, to report duplicates, in a
// fixed 8 bytes per key rather than a string each: a million ids cost about 16 MB, not 60 MB.
// Keys are kept as two independent 32-bit hashes; two different ids share both with a chance of
// about one in 10^10 per pair of rows in a file of a million, which is the price of that saving.

function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // Final mixing so that ids differing only in their last characters spread over the whole table.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  return hash >>> 0;
}

export class SeenKeys {
  #slots = new Uint32Array(2 * 1024);
  #size = 0;

  /** Adds the key; returns false when it was already there. */
  add(key: string): boolean {
    const high = (fnv1a(key, 0x811c9dc5) | 1) >>> 0; // never 0, which marks an empty slot
    const low = fnv1a(key, 0x5bd1e995);
    if (!this.#insert(this.#slots, high, low)) return false;
    this.#size += 1;
    if (this.#size * 2 > this.#slots.length / 2) this.#grow();
    return true;
  }

  get size(): number {
    return this.#size;
  }

  #insert(slots: Uint32Array, high: number, low: number): boolean {
    const capacity = slots.length / 2;
    let slot = low & (capacity - 1);
    for (;;) {
      const storedHigh = slots[slot * 2];
      if (storedHigh === 0) {
        slots[slot * 2] = high;
        slots[slot * 2 + 1] = low;
        return true;
      }
      if (storedHigh === high && slots[slot * 2 + 1] === low) return false;
      slot = (slot + 1) & (capacity - 1);
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(old.length * 2);
    for (let slot = 0; slot < old.length / 2; slot++) {
      const high = old[slot * 2] ?? 0;
      if (high !== 0) this.#insert(this.#slots, high, old[slot * 2 + 1] ?? 0);
    }
  }
}
