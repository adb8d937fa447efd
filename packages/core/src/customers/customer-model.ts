// The kernel's customer model: the attributes (built-in and contributed by plugins) and the columnar
// table they are computed into. Loading and upserting go through here so that plugins hear
// `customer.upserted` and segment strategies see one consistent table.
import type { Kernel } from '../kernel/kernel.js';
import type { SegmentMemberships } from '../kernel/points.js';
import { customerSchema, type Customer, type CustomerInput } from '../model/customer.js';
import {
  customerAttributes,
  AttributeRegistry,
  type AttributeSource,
} from '../attributes/index.js';
import { ColumnarTable, type UpsertResult } from '../table/index.js';
import { KequnError } from '../kernel/errors.js';
import { toDisposable, type Disposable } from '../kernel/lifecycle.js';
import { formatZodIssues } from '../kernel/manifest.js';

/**
 * Identifiers (C2 personal information) that no segment rule needs. They stay out of the
 * segmentation table — it holds no names, phone or ID numbers — and are read, masked, from the store.
 */
export const identifierAttributeIds: readonly string[] = Object.freeze([
  'customer.id',
  'profile.name',
  'profile.phone',
  'profile.idNumber',
]);

export interface LoadOptions {
  /** The date attribute values are computed for (ages, maturities, consent expiry). */
  asOf: string;
  onProgress?: (loaded: number) => void;
  /** How many customers between two progress calls. */
  progressEvery?: number;
  /**
   * Build only these attributes' columns (say, those a set of segments reads) instead of every
   * registered and contributed one: a table of 1M customers shrinks by the columns left out.
   */
  attributes?: Iterable<string>;
  /** How many customers to expect: the columns are sized once instead of doubling as they fill. */
  expectedCount?: number;
}

export class CustomerModel {
  /** Attributes available to rules: the built-in ones and any the bank registers at run time. */
  readonly attributes = new AttributeRegistry<Customer>();
  #table: ColumnarTable<Customer> | undefined;

  constructor(private readonly kernel: Kernel) {
    for (const source of customerAttributes) {
      if (!identifierAttributeIds.includes(source.id))
        this.attributes.register(source, { owner: 'core' });
    }
  }

  get loaded(): boolean {
    return this.#table !== undefined;
  }

  get table(): ColumnarTable<Customer> {
    if (this.#table === undefined) {
      throw new KequnError(
        'KQ_CUSTOMERS_NOT_LOADED',
        'No customers are loaded yet. Call customerModel.load(customers, { asOf }) first.',
      );
    }
    return this.#table;
  }

  /**
   * Every attribute source the table is built from: the registry's plus those plugins contribute
   * (activating those plugins). A plugin that fails to activate is skipped and reported by the kernel.
   */
  async attributeSources(): Promise<AttributeSource<Customer>[]> {
    const contributed = await this.kernel.attributes.all();
    const sources: AttributeSource<Customer>[] = [...this.attributes.list()];
    for (const { declaration, implementation } of contributed) {
      sources.push({
        ...declaration,
        read: (customer, context) => implementation.read(customer, context),
      });
    }
    return sources;
  }

  /**
   * Builds the table from a stream of customers. They are trusted to be valid `Customer` values:
   * validate at the edge where they enter (an import, an API call) with `customerSchema` or `upsert`.
   */
  async load(
    customers: Iterable<Customer> | AsyncIterable<Customer>,
    options: LoadOptions,
  ): Promise<ColumnarTable<Customer>> {
    const sources = selectSources(await this.attributeSources(), options.attributes);
    const every = options.progressEvery ?? 10_000;
    const onProgress = options.onProgress;
    let line = 0;
    async function* counted(): AsyncGenerator<Customer> {
      for await (const customer of customers) {
        line += 1;
        yield customer;
        if (onProgress !== undefined && line % every === 0) onProgress(line);
      }
    }
    const table = await ColumnarTable.buildAsync(sources, counted(), {
      idOf: (customer) => customer.id,
      asOf: options.asOf,
      ...(options.expectedCount === undefined ? {} : { initialCapacity: options.expectedCount }),
    });
    onProgress?.(line);
    this.#table = table;
    this.kernel.events.emit('customers.loaded', { count: table.liveCount, asOf: options.asOf });
    return table;
  }

  /** Inserts or updates one customer in place and tells plugins what changed. */
  upsert(input: CustomerInput): UpsertResult {
    const customer = parseCustomer(input, `customer "${String((input as { id?: unknown }).id)}"`);
    const table = this.table;
    const result = table.upsert(customer);
    this.kernel.events.emit('customer.upserted', {
      customerId: customer.id,
      customer,
      inserted: result.inserted,
      changes: result.changes,
      asOf: table.asOf,
    });
    return result;
  }

  /**
   * Registers a bank's own attribute at run time. Once customers are loaded, it also becomes a
   * column of the table, computed from `customers` (the current rows) or null until they are
   * upserted. Disposing removes both the registration and the column.
   */
  registerAttribute(source: AttributeSource<Customer>, customers?: Iterable<Customer>): Disposable {
    const registration = this.attributes.register(source, { owner: 'bank' });
    if (this.#table !== undefined) this.#table.addColumn(source, customers);
    return toDisposable(async () => {
      this.#table?.removeColumn(source.id);
      await registration.dispose();
    });
  }

  remove(customerId: string): boolean {
    const removed = this.table.remove(customerId);
    if (removed) this.kernel.events.emit('customer.removed', { customerId });
    return removed;
  }

  /** Runs a segment strategy over the table (activating its plugin on first use). */
  async evaluate(strategyId: string): Promise<SegmentMemberships> {
    const strategy = await this.kernel.segmentStrategies.get(strategyId);
    return strategy.evaluate(this.table);
  }
}

function selectSources(
  sources: AttributeSource<Customer>[],
  wanted: Iterable<string> | undefined,
): AttributeSource<Customer>[] {
  if (wanted === undefined) return sources;
  const ids = new Set(wanted);
  const known = new Set(sources.map((source) => source.id));
  const unknown = [...ids].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new KequnError(
      'KQ_CUSTOMERS_ATTRIBUTE_UNKNOWN',
      `Cannot build only the attributes asked for: ${unknown.map((id) => `"${id}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not registered or contributed by a started plugin. Check the ids or register the attributes first.`,
    );
  }
  return sources.filter((source) => ids.has(source.id));
}

function parseCustomer(input: CustomerInput, where: string): Customer {
  const result = customerSchema.safeParse(input);
  if (result.success) return result.data;
  throw new KequnError(
    'KQ_CUSTOMER_INVALID',
    `${where} is invalid: ${formatZodIssues(result.error)}.`,
  );
}
