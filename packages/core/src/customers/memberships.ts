// Segment memberships straight from an enum or set column: one bitset per value, live rows only.
// Strategies whose segments are the values of an attribute (tiers, featured groups) use this.
import { Bitset } from '../kernel/bitset.js';
import type { ColumnarTable } from '../table/index.js';
import { TableError } from '../table/index.js';

/**
 * One bitset per requested value of an enum (dictionary) or set attribute. A value no row holds
 * gets an empty bitset, so every requested segment is present in the result.
 */
export function valueMemberships<Row>(
  table: ColumnarTable<Row>,
  attributeId: string,
  values: readonly string[],
): Map<string, Bitset> {
  const column = table.column(attributeId);
  const size = table.size;
  const live = table.live;
  const result = new Map<string, Bitset>(values.map((value) => [value, new Bitset(size)]));

  if (column.kind === 'dictionary') {
    // code → the bitset of that value, so the loop is one lookup per row.
    const byCode: (Bitset | undefined)[] = [];
    for (const value of values) {
      const code = column.dictionary.codeOf(value);
      if (code !== undefined) byCode[code] = result.get(value);
    }
    const codes = column.codes;
    for (let index = 0; index < size; index++) {
      if (((live[index >>> 5] ?? 0) & (1 << (index & 31))) === 0) continue;
      byCode[codes[index] ?? 0]?.add(index);
    }
    return result;
  }

  if (column.kind === 'set') {
    const { bits, words } = column;
    for (const value of values) {
      const member = column.memberOf(value);
      const bitset = result.get(value);
      if (member === undefined || bitset === undefined) continue;
      const word = member >>> 5;
      const mask = 1 << (member & 31);
      for (let index = 0; index < size; index++) {
        if (((live[index >>> 5] ?? 0) & (1 << (index & 31))) === 0) continue;
        if (((bits[index * words + word] ?? 0) & mask) !== 0) bitset.add(index);
      }
    }
    return result;
  }

  throw new TableError(
    'KQ_TABLE_COLUMN_KIND',
    `Attribute "${attributeId}" is a ${column.kind} column; memberships by value need an enum, string or set attribute.`,
  );
}
