// `kequn demo`: generates the synthetic bank, boots the kernel with the tiering and featured-group
// plugins, tiers and groups every customer, and reports the shape of the book.
import { createKernel, CustomerModel, type Bitset, type Kernel } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { tieringPlugin } from '@kequn/plugin-tiering';
import { featuredGroupsPlugin } from '@kequn/plugin-featured-groups';

export interface DemoOptions {
  customers: number;
  seed: number;
  asOf: string;
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
  totalAum: number;
  /** Share of AUM held by the richest 20% of customers. */
  top20AumShare: number;
  tiers: SegmentRow[];
  featuredGroups: SegmentRow[];
  timings: { generateAndLoadMs: number; segmentMs: number };
}

const AUM_ATTRIBUTE = 'assets.currentAum';

export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const bank = createSyntheticBank({ seed: options.seed, customers: options.customers, asOf: options.asOf });
  const kernel = createKernel({ plugins: [tieringPlugin, featuredGroupsPlugin] });
  try {
    await kernel.start();
    const model = new CustomerModel(kernel);
    const loadStarted = performance.now();
    await model.load(bank.customers(), {
      asOf: options.asOf,
      onProgress: (loaded) => options.onProgress?.(loaded, options.customers),
    });
    const generateAndLoadMs = performance.now() - loadStarted;

    const segmentStarted = performance.now();
    const aum = aumByRow(model);
    const totalAum = sum(aum, undefined);
    const tiers = await segmentRows(model, kernel, 'tiering', aum, totalAum);
    const featuredGroups = await segmentRows(model, kernel, 'featured-groups', aum, totalAum);
    const segmentMs = performance.now() - segmentStarted;

    return {
      customers: model.table.liveCount,
      totalAum,
      top20AumShare: topShare(aum, 0.2),
      tiers,
      featuredGroups,
      timings: { generateAndLoadMs, segmentMs },
    };
  } finally {
    await kernel.dispose();
  }
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
