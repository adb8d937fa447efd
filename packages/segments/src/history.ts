// Overlap across segments and membership history: snapshots of bitsets keyed by date behind a
// small interface (the storage issue can back it with a database later), and the tier migration
// matrix between two dates.
import { Bitset, parseEpochDay } from '@kequn/core';
import { SegmentError } from './errors.js';

/** Customers in both segments, for every pair: matrix[i][j] = |segment i ∩ segment j|. */
export interface OverlapMatrix {
  readonly segmentIds: readonly string[];
  readonly counts: readonly (readonly number[])[];
}

export function overlapMatrix(memberships: ReadonlyMap<string, Bitset>): OverlapMatrix {
  const segmentIds = [...memberships.keys()];
  const bitsets = [...memberships.values()];
  const counts = bitsets.map((row) => bitsets.map((column) => row.and(column).count()));
  return { segmentIds, counts };
}

/**
 * Memberships as they were on one date. Bitsets index rows of the customer table, whose indexes are
 * stable (removed rows are tombstones, new rows are appended), so snapshots of one table compare
 * row by row. A store that outlives the table must keep the row → customer id mapping with them.
 */
export interface MembershipSnapshot {
  readonly date: string;
  readonly memberships: ReadonlyMap<string, Bitset>;
}

export interface SnapshotStore {
  save(snapshot: MembershipSnapshot): Promise<void>;
  load(date: string): Promise<MembershipSnapshot | undefined>;
  /** Dates with a snapshot, oldest first. */
  dates(): Promise<string[]>;
}

function checkDate(date: string): void {
  if (parseEpochDay(date) !== undefined) return;
  throw new SegmentError('KQ_SEGMENT_RULE_INVALID', `Snapshot date "${date}" is not a date; use YYYY-MM-DD.`);
}

/** Keeps snapshots in memory (copies, so later evaluations do not change them). */
export class MemorySnapshotStore implements SnapshotStore {
  readonly #snapshots = new Map<string, MembershipSnapshot>();

  async save(snapshot: MembershipSnapshot): Promise<void> {
    checkDate(snapshot.date);
    const copied = new Map<string, Bitset>();
    for (const [id, bitset] of snapshot.memberships) copied.set(id, new Bitset(bitset.size, bitset.words.slice()));
    this.#snapshots.set(snapshot.date, { date: snapshot.date, memberships: copied });
  }

  async load(date: string): Promise<MembershipSnapshot | undefined> {
    return this.#snapshots.get(date);
  }

  async dates(): Promise<string[]> {
    return [...this.#snapshots.keys()].sort();
  }
}

/** from-segment × to-segment counts: how many customers moved from each tier to each tier. */
export interface MigrationMatrix {
  readonly from: string;
  readonly to: string;
  readonly segmentIds: readonly string[];
  /** counts[i][j]: in segment i on `from` and in segment j on `to`. */
  readonly counts: readonly (readonly number[])[];
}

function grownTo(bitset: Bitset, size: number): Bitset {
  if (bitset.size === size) return bitset;
  const words = new Uint32Array(Math.ceil(size / 32));
  words.set(bitset.words.subarray(0, Math.min(words.length, bitset.words.length)));
  return new Bitset(size, words);
}

/** The migration matrix between two snapshots over the given (mutually exclusive) segments. */
export function migrationMatrix(before: MembershipSnapshot, after: MembershipSnapshot, segmentIds: readonly string[]): MigrationMatrix {
  const size = Math.max(...[...before.memberships.values(), ...after.memberships.values()].map((bitset) => bitset.size), 0);
  const pick = (snapshot: MembershipSnapshot, id: string): Bitset => grownTo(snapshot.memberships.get(id) ?? new Bitset(size), size);
  const counts = segmentIds.map((fromId) => segmentIds.map((toId) => pick(before, fromId).and(pick(after, toId)).count()));
  return { from: before.date, to: after.date, segmentIds, counts };
}

/** Loads two dates from a store and builds their migration matrix. */
export async function migrationBetween(store: SnapshotStore, from: string, to: string, segmentIds: readonly string[]): Promise<MigrationMatrix> {
  const [before, after] = await Promise.all([store.load(from), store.load(to)]);
  if (before === undefined || after === undefined) {
    const missing = before === undefined ? from : to;
    throw new SegmentError('KQ_SEGMENT_NOT_EVALUATED', `No membership snapshot for ${missing}; save one with store.save({ date, memberships }) first.`);
  }
  return migrationMatrix(before, after, segmentIds);
}
