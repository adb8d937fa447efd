// One bit per row in Uint32Array words: row i is bit (i & 31) of word (i >>> 5).
// Used for null flags, set members and the live-row flags of the table.

export function bitmapWordsFor(rowCount: number): number {
  return Math.ceil(rowCount / 32);
}

export function testBit(bits: Uint32Array, index: number): boolean {
  return ((bits[index >>> 5] ?? 0) & (1 << (index & 31))) !== 0;
}

export function setBit(bits: Uint32Array, index: number): void {
  const word = index >>> 5;
  bits[word] = (bits[word] ?? 0) | (1 << (index & 31));
}

export function clearBit(bits: Uint32Array, index: number): void {
  const word = index >>> 5;
  bits[word] = (bits[word] ?? 0) & ~(1 << (index & 31));
}

/** A copy of a bitmap sized for `rowCount` rows; bits beyond the old size are clear. */
export function resizeBitmap(bits: Uint32Array, rowCount: number): Uint32Array {
  const resized = new Uint32Array(bitmapWordsFor(rowCount));
  resized.set(bits.subarray(0, Math.min(bits.length, resized.length)));
  return resized;
}
