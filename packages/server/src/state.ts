// What the server holds in memory: the kernel, the customer model loaded from the store, indexes
// for data scope (rows by manager and by branch, in id order), segment memberships per strategy,
// the bank's custom segments, and the earlier tier of every customer for the migration matrix.
import {
  createKernel,
  CustomerModel,
  scanAll,
  type Customer,
  type Kernel,
  type KequnStore,
  type Manager,
  type SegmentMemberships,
  type SqlStoreRepositories,
  type StoreRepositories,
} from '@kequn/core';
import {
  createSegmentEngine,
  tableAttributes,
  type SegmentDefinition,
  type SegmentEngine,
} from '@kequn/segments';
import {
  createBookService,
  createMemoryBookStore,
  createSqlBookStore,
  migrateBookStore,
  storeCustomerDirectory,
  type BookService,
  type BookStore,
} from '@kequn/books';
import {
  decideTierAsOf,
  tieringPlugin,
  tieringSettingsSchema,
  tierIds,
  type TieringSettings,
} from '@kequn/plugin-tiering';
import { featuredGroupsPlugin } from '@kequn/plugin-featured-groups';
import { abcdPlugin } from '@kequn/plugin-abcd';
import { dormantPlugin } from '@kequn/plugin-dormant';
import type { Bitset, LocalizedText } from '@kequn/core';
import { CampaignService, shippedCampaignTypePlugins } from './campaigns.js';
import { ServerError } from './errors.js';

const PAGE = 5_000;
const CUSTOM_SEGMENTS_KEY = 'server/custom-segments';
export const CUSTOM_STRATEGY = 'custom';

export interface CustomSegment {
  id: string;
  label: LocalizedText;
  rule: unknown;
}

export interface BankStateOptions {
  store: KequnStore;
  /** The date the book is judged on. */
  asOf: string;
  /** The earlier date of the tier migration matrix; six months before asOf by default. */
  migrationFrom?: string;
  /**
   * A kernel of your own (with your plugins); otherwise one with tiering, featured groups, ABCD,
   * dormant and the six shipped campaign types.
   */
  kernel?: Kernel;
  /** The clock of workflows (campaign life cycle, runs and reports), as an ISO instant; tests pin it. */
  now?: () => string;
  onProgress?: (loaded: number) => void;
  /** Deepest JSON nesting of a custom rule. */
  maxRuleDepth?: number;
}

function hasSql(repositories: StoreRepositories): repositories is SqlStoreRepositories {
  return 'sql' in repositories;
}

/** The last day of the month `months` before the month of `isoDate`. */
export function monthsBefore(isoDate: string, months: number): string {
  const [year, month] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - months, 0)).toISOString().slice(0, 10);
}

function byId(table: CustomerModel['table']): (left: number, right: number) => number {
  return (left, right) => {
    const a = table.idAt(left);
    const b = table.idAt(right);
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

function sortedById(rows: number[], table: CustomerModel['table']): Uint32Array {
  let sorted = true;
  for (let index = 1; index < rows.length && sorted; index++) {
    if (table.idAt(rows[index - 1] ?? 0) > table.idAt(rows[index] ?? 0)) sorted = false;
  }
  if (!sorted) rows.sort(byId(table));
  return Uint32Array.from(rows);
}

export class BankState {
  readonly store: KequnStore;
  readonly kernel: Kernel;
  readonly model: CustomerModel;
  readonly asOf: string;
  readonly migrationFrom: string;
  readonly tiering: TieringSettings;
  readonly maxRuleDepth: number;
  /** Row → customer name, kept for name-prefix search and masked list rows; never sent unmasked. */
  #names: string[] = [];
  /**
   * Row → masked phone (138****1234), filled as list pages read phones from the store, so a page
   * seen before reads no document. Only the masked form is kept.
   */
  #maskedPhones: (string | undefined)[] = [];
  /** Row → 1 + index in tierIds on `migrationFrom`, 0 when unknown. */
  #earlierTier = new Uint8Array(0);
  #allRows: Uint32Array = new Uint32Array(0);
  #byManager: Map<string, Uint32Array> = new Map();
  #byBranch: Map<string, Uint32Array> = new Map();
  #managers: Manager[] = [];
  #memberships = new Map<string, SegmentMemberships>();
  #custom: CustomSegment[] = [];
  #customEngine: SegmentEngine | undefined;
  #customMemberships: Map<string, Bitset> | undefined;
  #memoryBook: BookStore = createMemoryBookStore();
  #campaigns: CampaignService | undefined;

  private constructor(options: BankStateOptions, kernel: Kernel) {
    this.store = options.store;
    this.kernel = kernel;
    this.model = new CustomerModel(kernel);
    this.asOf = options.asOf;
    this.migrationFrom = options.migrationFrom ?? monthsBefore(options.asOf, 6);
    this.tiering = tieringSettingsSchema.parse({});
    this.maxRuleDepth = options.maxRuleDepth ?? 24;
  }

  /** Starts the kernel and loads every stored customer into the model. */
  static async open(options: BankStateOptions): Promise<BankState> {
    const kernel =
      options.kernel ??
      createKernel({
        plugins: [
          tieringPlugin,
          featuredGroupsPlugin,
          abcdPlugin,
          dormantPlugin,
          ...shippedCampaignTypePlugins,
        ],
      });
    await kernel.start();
    const state = new BankState(options, kernel);
    try {
      if (hasSql(options.store))
        await migrateBookStore(options.store.sql, new Date().toISOString());
      await state.#load(options.onProgress);
      state.#campaigns = await CampaignService.open({
        kernel,
        store: options.store,
        model: state.model,
        now: options.now ?? (() => new Date().toISOString()),
      });
      return state;
    } catch (error) {
      await kernel.dispose();
      throw error;
    }
  }

  /** The campaign engine over this store (see campaigns.ts for a store without SQL). */
  get campaigns(): CampaignService {
    if (this.#campaigns === undefined)
      throw new ServerError(
        503,
        'KQ_SERVER_INTERNAL',
        'Campaigns are not available: the bank state has not finished opening.',
      );
    return this.#campaigns;
  }

  async #load(onProgress: ((loaded: number) => void) | undefined): Promise<void> {
    const ids: string[] = [];
    const names: string[] = [];
    const earlier: number[] = [];
    const from = this.migrationFrom;
    const tiering = this.tiering;
    const customers = scanAll(this.store.customers, PAGE);
    async function* remembered(): AsyncGenerator<Customer> {
      for await (const customer of customers) {
        ids.push(customer.id);
        names.push(customer.profile.name);
        earlier.push(1 + tierIds.indexOf(decideTierAsOf(customer, from, tiering).tier));
        yield customer;
      }
    }
    const count = await this.store.customers.count();
    await this.model.load(remembered(), {
      asOf: this.asOf,
      expectedCount: count,
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    const table = this.model.table;
    this.#names = new Array<string>(table.size).fill('');
    // Filled, not sparse: V8 keeps a dense array for 1M rows instead of a dictionary.
    this.#maskedPhones = new Array<string | undefined>(table.size).fill(undefined);
    this.#earlierTier = new Uint8Array(table.size);
    for (let position = 0; position < ids.length; position++) {
      const row = table.indexOf(ids[position] ?? '');
      if (row === undefined) continue;
      this.#names[row] = names[position] ?? '';
      this.#earlierTier[row] = earlier[position] ?? 0;
    }
    this.#buildScopeIndexes();
    this.#managers = [];
    for await (const manager of scanAll(this.store.managers, PAGE)) this.#managers.push(manager);
    this.#custom = parseCustomSegments(await this.store.pluginState.get(CUSTOM_SEGMENTS_KEY));
  }

  #buildScopeIndexes(): void {
    const table = this.model.table;
    const all: number[] = [];
    const managers = new Map<string, number[]>();
    const branches = new Map<string, number[]>();
    for (let row = 0; row < table.size; row++) {
      if (!table.isLive(row)) continue;
      all.push(row);
      const managerId = table.value(row, 'relationshipManagerId');
      const branchId = table.value(row, 'branchId');
      if (typeof managerId === 'string') pushTo(managers, managerId, row);
      if (typeof branchId === 'string') pushTo(branches, branchId, row);
    }
    this.#allRows = sortedById(all, table);
    this.#byManager = new Map([...managers].map(([id, rows]) => [id, sortedById(rows, table)]));
    this.#byBranch = new Map([...branches].map(([id, rows]) => [id, sortedById(rows, table)]));
  }

  /**
   * Reads customers again from the store after a workflow changed them (an approved hand-off moves
   * a customer to another manager): the model, the scope indexes and the memberships follow.
   */
  async refreshCustomers(customerIds: readonly string[]): Promise<void> {
    const table = this.model.table;
    for (const customer of await this.store.customers.getMany(customerIds)) {
      this.model.upsert(customer);
      const row = table.indexOf(customer.id);
      if (row === undefined) continue;
      while (this.#names.length <= row) this.#names.push('');
      this.#names[row] = customer.profile.name;
      while (this.#maskedPhones.length <= row) this.#maskedPhones.push(undefined);
      this.#maskedPhones[row] = undefined;
      if (row >= this.#earlierTier.length) {
        const grown = new Uint8Array(table.size);
        grown.set(this.#earlierTier);
        this.#earlierTier = grown;
      }
      // A customer new to the state, or whose history changed, has their earlier tier decided again.
      this.#earlierTier[row] = 1 + tierIds.indexOf(decideTierAsOf(customer, this.migrationFrom, this.tiering).tier);
    }
    this.#buildScopeIndexes();
    this.#memberships.clear();
    this.#customMemberships = undefined;
  }

  get managers(): readonly Manager[] {
    return this.#managers;
  }

  nameAt(row: number): string {
    return this.#names[row] ?? '';
  }

  maskedPhoneAt(row: number): string | undefined {
    return this.#maskedPhones[row];
  }

  rememberMaskedPhone(row: number, masked: string): void {
    this.#maskedPhones[row] = masked;
  }

  earlierTierAt(row: number): string | undefined {
    const code = this.#earlierTier[row] ?? 0;
    return code === 0 ? undefined : tierIds[code - 1];
  }

  rowsOfAll(): Uint32Array {
    return this.#allRows;
  }

  rowsOfManager(managerId: string): Uint32Array {
    return this.#byManager.get(managerId) ?? new Uint32Array(0);
  }

  rowsOfBranch(branchId: string): Uint32Array {
    return this.#byBranch.get(branchId) ?? new Uint32Array(0);
  }

  /** A strategy's memberships, evaluated once and kept until `reevaluate`. */
  async memberships(strategyId: string): Promise<SegmentMemberships> {
    if (strategyId === CUSTOM_STRATEGY) return this.#customMembershipsOf();
    const known = this.#memberships.get(strategyId);
    if (known !== undefined) return known;
    const evaluated = await this.model.evaluate(strategyId);
    this.#memberships.set(strategyId, evaluated);
    return evaluated;
  }

  async reevaluate(strategyId: string): Promise<SegmentMemberships> {
    if (strategyId === CUSTOM_STRATEGY) {
      this.#customMemberships = undefined;
      return this.#customMembershipsOf();
    }
    this.#memberships.delete(strategyId);
    return this.memberships(strategyId);
  }

  /** The members of `strategy:segment`, or undefined when no such segment exists. */
  async segment(ref: string): Promise<Bitset | undefined> {
    const [strategyId, segmentId] = splitRef(ref);
    if (!this.strategyIds().includes(strategyId)) return undefined;
    return (await this.memberships(strategyId)).get(segmentId);
  }

  strategyIds(): string[] {
    const declared = this.kernel.segmentStrategies.list().map((entry) => entry.declaration.id);
    return [...declared, CUSTOM_STRATEGY];
  }

  async segmentsOf(strategyId: string): Promise<{ id: string; label: LocalizedText }[]> {
    if (strategyId === CUSTOM_STRATEGY) return this.#custom.map(({ id, label }) => ({ id, label }));
    const strategy = await this.kernel.segmentStrategies.get(strategyId);
    return strategy.segments().map(({ id, label }) => ({ id, label }));
  }

  /** The rule engine behind a strategy, when it is rule-based (for explain). */
  async engineOf(strategyId: string): Promise<SegmentEngine | undefined> {
    if (strategyId === CUSTOM_STRATEGY) return this.#customEngineOf();
    const strategy: unknown = await this.kernel.segmentStrategies.get(strategyId);
    const engineFor = (strategy as { engineFor?: unknown }).engineFor;
    if (typeof engineFor !== 'function') return undefined;
    const engine: unknown = engineFor.call(strategy, this.model.table);
    return engine instanceof Object && 'explain' in engine ? (engine as SegmentEngine) : undefined;
  }

  /** Compiles a rule alone (for validate and preview); throws RuleError on a bad rule. */
  compileRule(rule: unknown): SegmentEngine {
    return createSegmentEngine({
      segments: [{ id: 'preview', rule }],
      attributes: tableAttributes(this.model.table),
      maxDepth: this.maxRuleDepth,
    });
  }

  get customSegments(): readonly CustomSegment[] {
    return this.#custom;
  }

  /** Saves a custom segment after compiling every custom rule together (references included). */
  async defineCustomSegment(segment: CustomSegment): Promise<void> {
    const next = [...this.#custom.filter((existing) => existing.id !== segment.id), segment];
    const engine = this.#engineFor(next);
    await this.store.pluginState.set(CUSTOM_SEGMENTS_KEY, next);
    this.#custom = next;
    this.#customEngine = engine;
    this.#customMemberships = undefined;
  }

  async removeCustomSegment(segmentId: string): Promise<boolean> {
    const next = this.#custom.filter((existing) => existing.id !== segmentId);
    if (next.length === this.#custom.length) return false;
    const engine = next.length === 0 ? undefined : this.#engineFor(next);
    await this.store.pluginState.set(CUSTOM_SEGMENTS_KEY, next);
    this.#custom = next;
    this.#customEngine = engine;
    this.#customMemberships = undefined;
    return true;
  }

  #engineFor(segments: readonly CustomSegment[]): SegmentEngine {
    return createSegmentEngine({
      segments: segments.map(({ id, label, rule }) => ({ id, label, rule })),
      attributes: tableAttributes(this.model.table),
      maxDepth: this.maxRuleDepth,
    });
  }

  #customEngineOf(): SegmentEngine | undefined {
    if (this.#custom.length === 0) return undefined;
    this.#customEngine ??= this.#engineFor(this.#custom);
    return this.#customEngine;
  }

  #customMembershipsOf(): Map<string, Bitset> {
    if (this.#customMemberships !== undefined) return this.#customMemberships;
    const engine = this.#customEngineOf();
    this.#customMemberships = engine === undefined ? new Map() : engine.evaluate(this.model.table);
    return this.#customMemberships;
  }

  /** The book service over the store itself or a transaction's repositories. */
  books(repositories: StoreRepositories = this.store): BookService {
    return createBookService({
      events: this.kernel.events,
      store: this.bookStore(repositories),
      records: repositories,
      customers: storeCustomerDirectory(repositories.customers, this.model),
      managers: this.#managers,
    });
  }

  /** The book's own tables: SQL in the store's database, or memory for a store without SQL. */
  bookStore(repositories: StoreRepositories = this.store): BookStore {
    return hasSql(repositories) ? createSqlBookStore(repositories.sql) : this.#memoryBook;
  }

  async close(): Promise<void> {
    await this.#campaigns?.close();
    await this.kernel.dispose();
  }
}

function pushTo(map: Map<string, number[]>, key: string, row: number): void {
  const rows = map.get(key);
  if (rows === undefined) map.set(key, [row]);
  else rows.push(row);
}

export function splitRef(ref: string): [string, string] {
  const colon = ref.indexOf(':');
  if (colon < 0)
    throw new ServerError(
      400,
      'KQ_SERVER_INVALID_REQUEST',
      `"${ref}" is not a segment reference; write strategy:segment, e.g. tiering:high_end.`,
    );
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}

function parseCustomSegments(stored: unknown): CustomSegment[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(
    (entry): entry is CustomSegment =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as { id?: unknown }).id === 'string' &&
      typeof (entry as { label?: unknown }).label === 'object',
  );
}

export type { SegmentDefinition };
