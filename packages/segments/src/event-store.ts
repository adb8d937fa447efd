// A columnar store of customer events for behavioural conditions: one typed array per field, the
// events of each customer contiguous and in date order, so a rolling window is one short scan.
import { toEpochDay, type ColumnarTable, type CustomerEvent } from '@kequn/core';
import { eventTypeSchema, type EventAggregate, type EventFilter, type EventType } from './rule.js';
import { lastPeriodBounds } from './calendar.js';

const eventTypes = eventTypeSchema.options;
/** 0 for events without a direction, 1 in, 2 out. */
function directionCode(direction: string | undefined): number {
  if (direction === 'in') return 1;
  return direction === 'out' ? 2 : 0;
}

/** A measure per table row; NaN marks null (an average of no events). */
export interface RowMeasure {
  readonly values: Float64Array;
  readonly nulls: Uint32Array;
}

/** Grows a typed array by doubling while events stream in. */
class Growable<T extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(public array: T, private readonly create: (length: number) => T) {}

  push(value: number): void {
    if (this.length === this.array.length) {
      const bigger = this.create(this.array.length * 2);
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[this.length] = value;
    this.length += 1;
  }
}

function codeIn(codes: Map<string, number>, value: string | undefined): number {
  if (value === undefined) return 0;
  const existing = codes.get(value);
  if (existing !== undefined) return existing;
  const code = codes.size + 1;
  codes.set(value, code);
  return code;
}

interface EventFields {
  amount: number;
  direction: string | undefined;
  channel: string | undefined;
  category: string | undefined;
}

/** The optional fields of an event; category holds a transaction's category or a contact's outcome. */
function fieldsOf(event: CustomerEvent): EventFields {
  switch (event.type) {
    case 'transaction':
      return { amount: event.amount, direction: event.direction, channel: event.channel, category: event.category };
    case 'login':
      return { amount: NaN, direction: undefined, channel: event.channel, category: undefined };
    case 'contact':
      return { amount: NaN, direction: undefined, channel: event.channel, category: event.outcome };
    case 'purchase':
    case 'maturity':
      return { amount: event.amount, direction: undefined, channel: undefined, category: undefined };
  }
}

/** Which event types carry each filter field; a filter on a field the type lacks matches nothing. */
const filterFields: Record<keyof EventFilter, readonly EventType[]> = {
  direction: ['transaction'],
  channel: ['transaction', 'login', 'contact'],
  category: ['transaction'],
  outcome: ['contact'],
};

export class EventStore {
  private constructor(
    /** Events of row r are at rowStart[r] … rowStart[r + 1] - 1; rows past the end have none. */
    readonly rowStart: Int32Array,
    readonly types: Uint8Array,
    readonly days: Int32Array,
    /** NaN for events without an amount (login, contact). */
    readonly amounts: Float64Array,
    readonly directions: Uint8Array,
    readonly channels: Uint8Array,
    readonly categories: Uint8Array,
    readonly channelCodes: ReadonlyMap<string, number>,
    readonly categoryCodes: ReadonlyMap<string, number>,
  ) {}

  /**
   * Builds the store for the rows of a table from any stream of events (e.g. each customer's
   * `bank.eventsOf(customer)`). Events of customers the table does not hold are skipped.
   */
  static build(table: ColumnarTable<unknown>, events: Iterable<CustomerEvent>): EventStore {
    const initial = 1024;
    const rows = new Growable(new Int32Array(initial), (n) => new Int32Array(n));
    const types = new Growable(new Uint8Array(initial), (n) => new Uint8Array(n));
    const days = new Growable(new Int32Array(initial), (n) => new Int32Array(n));
    const amounts = new Growable(new Float64Array(initial), (n) => new Float64Array(n));
    const directionCodes = new Growable(new Uint8Array(initial), (n) => new Uint8Array(n));
    const channelCodes = new Growable(new Uint8Array(initial), (n) => new Uint8Array(n));
    const categoryCodes = new Growable(new Uint8Array(initial), (n) => new Uint8Array(n));
    const channels = new Map<string, number>();
    const categories = new Map<string, number>();
    for (const event of events) {
      const row = table.indexOf(event.customerId);
      if (row === undefined) continue;
      const fields = fieldsOf(event);
      rows.push(row);
      types.push(eventTypes.indexOf(event.type));
      days.push(toEpochDay(event.occurredAt.slice(0, 10)));
      amounts.push(fields.amount);
      directionCodes.push(directionCode(fields.direction));
      channelCodes.push(codeIn(channels, fields.channel));
      categoryCodes.push(codeIn(categories, fields.category));
    }
    const order = sortedOrder(rows.array, days.array, rows.length, table.size);
    const pick = <T extends Float64Array | Int32Array | Uint8Array>(source: T, target: T): T => {
      for (let position = 0; position < order.positions.length; position++) target[position] = source[order.positions[position] ?? 0] ?? 0;
      return target;
    };
    const count = rows.length;
    return new EventStore(
      order.rowStart,
      pick(types.array, new Uint8Array(count)),
      pick(days.array, new Int32Array(count)),
      pick(amounts.array, new Float64Array(count)),
      pick(directionCodes.array, new Uint8Array(count)),
      pick(channelCodes.array, new Uint8Array(count)),
      pick(categoryCodes.array, new Uint8Array(count)),
      channels,
      categories,
    );
  }

  get eventCount(): number {
    return this.types.length;
  }

  /** How many events a row has (0 for rows added to the table after the store was built). */
  countOf(row: number): number {
    if (row + 1 >= this.rowStart.length) return 0;
    return (this.rowStart[row + 1] ?? 0) - (this.rowStart[row] ?? 0);
  }

  /** A predicate over event positions for the aggregate's type and filter. */
  #matcher(type: EventType, where: EventFilter | undefined): ((position: number) => boolean) | undefined {
    const typeCode = eventTypes.indexOf(type);
    const checks: ((position: number) => boolean)[] = [(position) => this.types[position] === typeCode];
    for (const field of Object.keys(where ?? {}) as (keyof EventFilter)[]) {
      const wanted = where?.[field];
      if (wanted === undefined) continue;
      if (!filterFields[field].includes(type)) return undefined;
      checks.push(this.#fieldCheck(field, wanted));
    }
    return (position) => checks.every((check) => check(position));
  }

  #fieldCheck(field: keyof EventFilter, wanted: readonly string[]): (position: number) => boolean {
    if (field === 'direction') {
      const codes = new Set(wanted.map(directionCode));
      return (position) => codes.has(this.directions[position] ?? 0);
    }
    const dictionary = field === 'channel' ? this.channelCodes : this.categoryCodes;
    const array = field === 'channel' ? this.channels : this.categories;
    const codes = new Set(wanted.map((value) => dictionary.get(value) ?? -1));
    return (position) => codes.has(array[position] ?? 0);
  }

  /**
   * The measure of an aggregate for every row below `rowCount` (count and sum: 0 when no events;
   * avg: null).
   */
  measure(
    aggregate: Pick<EventAggregate, 'type' | 'where' | 'window' | 'measure'>,
    asOfDay: number,
    rowCount: number,
  ): RowMeasure {
    const values = new Float64Array(rowCount);
    const nulls = new Uint32Array(Math.ceil(rowCount / 32));
    const matches = this.#matcher(aggregate.type, aggregate.where);
    const { from, to } = lastPeriodBounds(asOfDay, aggregate.window);
    for (let row = 0; row < rowCount; row++) {
      const [count, sum, amounts] = this.#scan(row, from, to, matches);
      if (aggregate.measure === 'count') values[row] = count;
      else if (aggregate.measure === 'sum') values[row] = sum;
      else if (amounts === 0) {
        values[row] = NaN;
        nulls[row >>> 5] = (nulls[row >>> 5] ?? 0) | (1 << (row & 31));
      } else values[row] = sum / amounts;
    }
    return { values, nulls };
  }

  /** [events matched, sum of their amounts, events with an amount] for one row's window. */
  #scan(row: number, from: number, to: number, matches: ((position: number) => boolean) | undefined): [number, number, number] {
    if (matches === undefined || row + 1 >= this.rowStart.length) return [0, 0, 0];
    let count = 0;
    let sum = 0;
    let amounts = 0;
    const end = this.rowStart[row + 1] ?? 0;
    for (let position = this.rowStart[row] ?? 0; position < end; position++) {
      const day = this.days[position] ?? 0;
      if (day < from || day > to || !matches(position)) continue;
      count += 1;
      const amount = this.amounts[position] ?? NaN;
      if (Number.isNaN(amount)) continue;
      sum += amount;
      amounts += 1;
    }
    return [count, sum, amounts];
  }
}

/** Event positions grouped by row (counting sort) and by day within a row (stable). */
function sortedOrder(rows: Int32Array, days: Int32Array, count: number, rowCount: number): { rowStart: Int32Array; positions: Int32Array } {
  const rowStart = new Int32Array(rowCount + 1);
  for (let event = 0; event < count; event++) rowStart[(rows[event] ?? 0) + 1] = (rowStart[(rows[event] ?? 0) + 1] ?? 0) + 1;
  for (let row = 0; row < rowCount; row++) rowStart[row + 1] = (rowStart[row + 1] ?? 0) + (rowStart[row] ?? 0);
  const next = rowStart.slice(0, rowCount);
  const positions = new Int32Array(count);
  for (let event = 0; event < count; event++) {
    const row = rows[event] ?? 0;
    const slot = next[row] ?? 0;
    positions[slot] = event;
    next[row] = slot + 1;
  }
  for (let row = 0; row < rowCount; row++) sortRowByDay(positions, days, rowStart[row] ?? 0, rowStart[row + 1] ?? 0);
  return { rowStart, positions };
}

/** Insertion sort: events usually arrive in date order already, so this is one pass. */
function sortRowByDay(positions: Int32Array, days: Int32Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const position = positions[i] ?? 0;
    const day = days[position] ?? 0;
    let j = i - 1;
    while (j >= start && (days[positions[j] ?? 0] ?? 0) > day) {
      positions[j + 1] = positions[j] ?? 0;
      j -= 1;
    }
    positions[j + 1] = position;
  }
}
