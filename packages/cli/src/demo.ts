// `kequn demo`: generates the synthetic bank, boots the kernel with the tiering and featured-group
// plugins, tiers and groups every customer, and reports the shape of the book.
import {
  createKernel,
  CustomerModel,
  type Bitset,
  type Customer,
  type Kernel,
  type KequnStore,
} from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { tableAsOf, valueMigrationMatrix, type MigrationMatrix } from '@kequn/segments';
import { bookSummary, type BookSummary } from '@kequn/books';
import {
  decideTierAsOf,
  tierIds,
  tieringPlugin,
  tieringSettingsSchema,
  TIER_ATTRIBUTE,
} from '@kequn/plugin-tiering';
import { featuredGroupsPlugin } from '@kequn/plugin-featured-groups';
import { abcdPlugin } from '@kequn/plugin-abcd';
import { dormantPlugin } from '@kequn/plugin-dormant';
import { holdsDemoBank, storedCustomers, writeThrough } from './demo-bank.js';
import { campaignTypePlugins, isSqlStore, runDemoCampaigns, type DemoCampaignSummary, type DemoDispatch } from './campaigns.js';
import { uniformHash } from '@kequn/campaigns';

export interface DemoOptions {
  customers: number;
  seed: number;
  asOf: string;
  /** The earlier date of the tier migration matrix; six months before `asOf` by default. */
  migrationFrom?: string;
  /** Where the bank is kept between runs; without one, nothing is kept. */
  store?: KequnStore;
  /** Where the demo's dispatched messages are written (JSON lines). Default ./.kequn/demo-messages.jsonl. */
  messagesPath?: string;
  /** Called every `progressEvery` customers while the table is built. */
  onProgress?: (loaded: number, total: number) => void;
}

export interface SegmentRow {
  id: string;
  label: { 'zh-CN': string; en: string };
  customers: number;
  customerShare: number;
  aum: number;
  aumShare: number;
}

export interface DemoReport {
  customers: number;
  /** Where the customers came from: generated now (and written to the store), or read back from it. */
  source: 'generated' | 'generated-and-stored' | 'store';
  totalAum: number;
  /** Share of AUM held by the richest 20% of customers. */
  top20AumShare: number;
  tiers: SegmentRow[];
  featuredGroups: SegmentRow[];
  /** ABCD intent classes (ABCD 分类). */
  abcd: SegmentRow[];
  /** Dormant customers (休眠客户). */
  dormant: SegmentRow[];
  /** Tier migration between `migrationFrom` and `asOf`. */
  tierMigration: MigrationMatrix;
  /** Bank-wide KPIs of the managed books over the six months up to `asOf`. */
  books: BookSummary;
  /** Every shipped campaign type run end to end on the store (with simulated responses). */
  campaigns: DemoCampaignSummary[];
  /** What the console and manager-task channels delivered from the outbox (absent when reused). */
  dispatch: DemoDispatch | undefined;
  /** Memory held by the columnar customer table (typed arrays, dictionaries, id index). */
  tableBytes: number;
  timings: { generateAndLoadMs: number; segmentMs: number; campaignMs: number };
}

const AUM_ATTRIBUTE = 'assets.currentAum';

export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const bank = createSyntheticBank({
    seed: options.seed,
    customers: options.customers,
    asOf: options.asOf,
  });
  const kernel = createKernel({
    plugins: [tieringPlugin, featuredGroupsPlugin, abcdPlugin, dormantPlugin, ...campaignTypePlugins],
  });
  try {
    await kernel.start();
    const model = new CustomerModel(kernel);
    const loadStarted = performance.now();
    const load = (customers: Iterable<Customer> | AsyncIterable<Customer>) =>
      model.load(customers, {
        asOf: options.asOf,
        onProgress: (loaded) => options.onProgress?.(loaded, options.customers),
      });
    const source = await loadBank(options, bank, load);
    const generateAndLoadMs = performance.now() - loadStarted;

    const segmentStarted = performance.now();
    const aum = aumByRow(model);
    const totalAum = sum(aum, undefined);
    const tiers = await segmentRows(model, kernel, 'tiering', aum, totalAum);
    const featuredGroups = await segmentRows(model, kernel, 'featured-groups', aum, totalAum);
    const abcd = await segmentRows(model, kernel, 'abcd', aum, totalAum);
    const dormant = await segmentRows(model, kernel, 'dormant', aum, totalAum);
    const segmentMs = performance.now() - segmentStarted;

    const migrationFrom = options.migrationFrom ?? monthsBefore(options.asOf, 6);
    const earlier = tableAsOf(await model.attributeSources(), bank.customers(), migrationFrom);
    const tierMigration = valueMigrationMatrix(earlier, model.table, TIER_ATTRIBUTE);
    // KPI tier moves follow the tiering plugin's own decisions, so they agree with the matrix.
    const tiering = tieringSettingsSchema.parse({});
    const books = bookSummary({
      customers: bank.customers(),
      period: { from: nextDay(migrationFrom), to: options.asOf },
      tierRankAt: (customer, date) => tierIds.indexOf(decideTierAsOf(customer, date, tiering).tier),
    });

    const campaignStarted = performance.now();
    const { campaigns, dispatch } = await demoCampaigns(options, kernel, model, bank);
    const campaignMs = performance.now() - campaignStarted;

    return {
      customers: model.table.liveCount,
      source,
      totalAum,
      top20AumShare: topShare(aum, 0.2),
      tiers,
      featuredGroups,
      abcd,
      dormant,
      tierMigration,
      books,
      campaigns,
      dispatch,
      tableBytes: model.table.memoryBytes(),
      timings: { generateAndLoadMs, segmentMs, campaignMs },
    };
  } finally {
    await kernel.dispose();
  }
}

/** Runs the campaigns on the demo's SQL store, or on a throwaway in-memory SQLite without one. */
async function demoCampaigns(options: DemoOptions, kernel: Kernel, model: CustomerModel, bank: ReturnType<typeof createSyntheticBank>): Promise<{ campaigns: DemoCampaignSummary[]; dispatch: DemoDispatch | undefined }> {
  const { openSqliteStore } = await import('@kequn/store-sqlite');
  const store = options.store !== undefined && isSqlStore(options.store) ? options.store : await openSqliteStore({ path: ':memory:' });
  if (store !== options.store) {
    await store.products.upsert(bank.products);
    await store.branches.upsert(bank.branches);
    await store.managers.upsert(bank.managers);
  }
  // Candidate referees for the simulated referrals: customers with at least CNY 100k, with their AUM.
  const richest: Array<{ id: string; aum: number }> = [];
  const table = model.table;
  for (let row = 0; row < table.size && richest.length < 2_000; row++) {
    const aum = table.value(row, AUM_ATTRIBUTE);
    if (table.isLive(row) && typeof aum === 'number' && aum >= 100_000) richest.push({ id: table.idAt(row), aum });
  }
  try {
    return await runDemoCampaigns({
      kernel,
      model,
      store,
      lookup: (id) => bank.customerById(id),
      asOf: options.asOf,
      seed: options.seed,
      messagesPath: options.messagesPath ?? './.kequn/demo-messages.jsonl',
      lookupProduct: (ids, types) =>
        bank.products.find((product) => (ids === undefined || ids.includes(product.id)) && (types === undefined || types.includes(product.type)))?.id,
      refereeFor: (referrerId, aumAtLeast) => {
        const candidates = richest.filter((candidate) => candidate.id !== referrerId && candidate.aum >= aumAtLeast);
        return candidates[Math.floor(uniformHash(`referee|${referrerId}`) * candidates.length)]?.id;
      },
    });
  } finally {
    if (store !== options.store) await store.close();
  }
}

async function loadBank(
  options: DemoOptions,
  bank: ReturnType<typeof createSyntheticBank>,
  load: (customers: Iterable<Customer> | AsyncIterable<Customer>) => Promise<unknown>,
): Promise<DemoReport['source']> {
  const store = options.store;
  if (store === undefined) {
    await load(bank.customers());
    return 'generated';
  }
  const key = { seed: options.seed, customers: options.customers, asOf: options.asOf };
  if (await holdsDemoBank(store, key)) {
    await load(storedCustomers(store));
    return 'store';
  }
  await store.transaction(async (tx) => {
    await load(writeThrough(tx, bank, key));
  });
  return 'generated-and-stored';
}

function aumByRow(model: CustomerModel): Float64Array {
  const table = model.table;
  const aum = new Float64Array(table.size);
  for (let index = 0; index < table.size; index++) {
    const value = table.value(index, AUM_ATTRIBUTE);
    aum[index] = table.isLive(index) && typeof value === 'number' ? value : 0;
  }
  return aum;
}

async function segmentRows(
  model: CustomerModel,
  kernel: Kernel,
  strategyId: string,
  aum: Float64Array,
  totalAum: number,
): Promise<SegmentRow[]> {
  const result = await model.evaluate(strategyId);
  const population = model.table.liveCount;
  const strategy = await kernel.segmentStrategies.get(strategyId);
  return strategy.segments().map((segment) => {
    const members = result.get(segment.id);
    const customers = members?.count() ?? 0;
    const segmentAum = members === undefined ? 0 : sum(aum, members);
    return {
      id: segment.id,
      label: segment.label,
      customers,
      customerShare: population === 0 ? 0 : customers / population,
      aum: segmentAum,
      aumShare: totalAum === 0 ? 0 : segmentAum / totalAum,
    };
  });
}

function sum(values: Float64Array, members: Bitset | undefined): number {
  let total = 0;
  if (members === undefined) {
    for (const value of values) total += value;
    return total;
  }
  for (const index of members) total += values[index] ?? 0;
  return total;
}

/** The last day of the month `months` before the month of `isoDate`. */
export function monthsBefore(isoDate: string, months: number): string {
  const [year, month] = isoDate.split('-').map(Number);
  const endOfMonth = new Date(Date.UTC(year ?? 1970, (month ?? 1) - months, 0));
  return endOfMonth.toISOString().slice(0, 10);
}

function nextDay(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** Share of the total held by the top `fraction` of rows (the 二八法则 check). */
export function topShare(values: Float64Array, fraction: number): number {
  const sorted = Float64Array.from(values).sort();
  const total = sum(sorted, undefined);
  if (total === 0) return 0;
  const start = Math.floor(sorted.length * (1 - fraction));
  let top = 0;
  for (let i = start; i < sorted.length; i++) top += sorted[i] ?? 0;
  return top / total;
}
