// The order of customer list pages: by id (the rows' own order), name, AUM or tier, ascending or
// descending, ties by id in the same direction. A page after a cursor is the `limit` smallest rows
// strictly after the cursor's (key, id), chosen with a bounded heap: O(m log limit) for m matching
// rows, with no sorted copy of the whole list and nothing cached between requests.
import { tierIds } from '@kequn/plugin-tiering';
import type { BankState } from '../state.js';

export type ListSort = 'id' | 'name' | 'aum' | 'tier';
export type ListOrder = 'asc' | 'desc';

/** Chinese names in pinyin order, as a bank's staff expect a sorted list of names to read. */
const nameCollator = new Intl.Collator('zh-CN');
const tierRank = new Map<string, number>(tierIds.map((id, index) => [id, index]));

/** Compares two rows by the sort key, then by id; negative when `a` comes first ascending. */
export type RowComparator = (a: number, b: number) => number;

export function comparatorOf(state: BankState, sort: ListSort, order: ListOrder): RowComparator {
  const table = state.model.table;
  const byId = (a: number, b: number): number => {
    const left = table.idAt(a);
    const right = table.idAt(b);
    return left < right ? -1 : left > right ? 1 : 0;
  };
  const numberAt = (row: number, attribute: string): number => {
    const value = table.value(row, attribute);
    return typeof value === 'number' ? value : Number.NEGATIVE_INFINITY;
  };
  const tierAt = (row: number): number => {
    const value = table.value(row, 'tier.current');
    return typeof value === 'string' ? (tierRank.get(value) ?? -1) : -1;
  };
  let ascending: RowComparator;
  switch (sort) {
    case 'id':
      ascending = byId;
      break;
    case 'name':
      ascending = (a, b) => nameCollator.compare(state.nameAt(a), state.nameAt(b)) || byId(a, b);
      break;
    case 'aum':
      ascending = (a, b) =>
        numberAt(a, 'assets.currentAum') - numberAt(b, 'assets.currentAum') || byId(a, b);
      break;
    case 'tier':
      ascending = (a, b) => tierAt(a) - tierAt(b) || byId(a, b);
      break;
  }
  return order === 'asc' ? ascending : (a, b) => ascending(b, a);
}

/**
 * Keeps the `size` first rows (by `compare`) of those offered: a max-heap whose top is the last
 * row kept, so a row that does not beat it costs one comparison.
 */
export class FirstRows {
  readonly #heap: number[] = [];
  readonly #size: number;
  readonly #compare: RowComparator;

  constructor(size: number, compare: RowComparator) {
    this.#size = size;
    this.#compare = compare;
  }

  offer(row: number): void {
    const heap = this.#heap;
    if (heap.length < this.#size) {
      heap.push(row);
      this.#up(heap.length - 1);
      return;
    }
    const top = heap[0];
    if (top === undefined || this.#compare(row, top) >= 0) return;
    heap[0] = row;
    this.#down(0);
  }

  /** The kept rows, first to last. */
  sorted(): number[] {
    return [...this.#heap].sort(this.#compare);
  }

  #swap(i: number, j: number): void {
    const heap = this.#heap;
    const held = heap[i] ?? 0;
    heap[i] = heap[j] ?? 0;
    heap[j] = held;
  }

  #later(i: number, j: number): boolean {
    return this.#compare(this.#heap[i] ?? 0, this.#heap[j] ?? 0) > 0;
  }

  #up(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.#later(child, parent)) return;
      this.#swap(child, parent);
      child = parent;
    }
  }

  #down(index: number): void {
    const length = this.#heap.length;
    let parent = index;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let latest = parent;
      if (left < length && this.#later(left, latest)) latest = left;
      if (right < length && this.#later(right, latest)) latest = right;
      if (latest === parent) return;
      this.#swap(parent, latest);
      parent = latest;
    }
  }
}
