// bench:segment — 1M synthetic customers, 19 segments (5 tiers, 7 featured groups, dormant, ABCD,
// a 3-level nested rule, products maturing in the next 30 days), evaluated in one fused pass by
// both back ends, re-evaluated for 1,000 changed customers, and compared with json-rules-engine
// and DuckDB.
// Prints figures; asserts nothing. Run: pnpm --filter @kequn/segments bench:segment [customers]
import { performance } from 'node:perf_hooks';
import { createKernel, CustomerModel, type ColumnarTable, type Customer } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { tieringPlugin, tierIds } from '@kequn/plugin-tiering';
import { featuredGroupsPlugin, featuredGroupIds } from '@kequn/plugin-featured-groups';
import { abcdSegments, abcdSettingsSchema } from '@kequn/plugin-abcd';
import { dormantSegments, dormantSettingsSchema } from '@kequn/plugin-dormant';
import { createSegmentEngine, exclusiveInOrder, tableAttributes, type BackendName, type SegmentDefinition } from '@kequn/segments';
import { runJsonRulesEngine } from './json-rules-engine.js';
import type { compareWithDuckDb } from './duckdb-compare.js';

const customers = Number(process.argv[2] ?? 1_000_000);
const jsonRulesCustomers = Math.min(customers, Number(process.argv[3] ?? 100_000));
const asOf = '2026-10-31';
const runs = 15;

let peakRss = 0;
function sampleMemory(): void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}

interface Timing {
  median: number;
  min: number;
  max: number;
}

function timeRuns(count: number, run: () => void): Timing {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
    sampleMemory();
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] ?? NaN, min: times[0] ?? NaN, max: times.at(-1) ?? NaN };
}

function benchSegments(): SegmentDefinition[] {
  const tiers = tierIds.map((tier) => ({ id: `tier.${tier}`, rule: { attribute: 'tier.current', op: 'eq', value: tier } }));
  const groups = featuredGroupIds.slice(0, 7).map((group) => ({ id: `group.${group}`, rule: { attribute: 'featuredGroups', op: 'contains', value: group } }));
  const dormant = dormantSegments(dormantSettingsSchema.parse({}));
  const abcd = exclusiveInOrder(abcdSegments(abcdSettingsSchema.parse({})).map((segment) => ({ ...segment, id: `abcd.${segment.id}` })));
  const nested: SegmentDefinition = {
    id: 'nested.elderlyWealthNoLoan',
    rule: {
      all: [
        { attribute: 'profile.age', op: 'gte', value: 55 },
        { any: [{ attribute: 'assets.averageDailyAum3m', op: 'gte', value: 200_000 }, { all: [{ attribute: 'holdings.productTypes', op: 'containsAny', value: ['wealth', 'fund'] }, { not: { attribute: 'holdings.productTypes', op: 'contains', value: 'loan' } }] }] },
        { not: { attribute: 'doNotContact', op: 'eq', value: true } },
      ],
    },
  };
  const maturing = { id: 'maturing.next30d', rule: { attribute: 'holdings.nextMaturityDate', op: 'withinNext', value: { days: 30 } } };
  return [...tiers, ...groups, ...dormant, ...abcd, nested, maturing];
}

async function loadTable(): Promise<ColumnarTable<Customer>> {
  const kernel = createKernel({ plugins: [tieringPlugin, featuredGroupsPlugin], logSink: () => undefined });
  await kernel.start();
  const model = new CustomerModel(kernel);
  const bank = createSyntheticBank({ customers, seed: 42, asOf });
  const start = performance.now();
  await model.load(bank.customers(), { asOf, onProgress: sampleMemory, progressEvery: 50_000 });
  console.log(`table: ${customers.toLocaleString('en')} customers built in ${((performance.now() - start) / 1000).toFixed(1)} s, ${megabytes(model.table.memoryBytes())} of columns`);
  return model.table;
}

function benchBackend(table: ColumnarTable<Customer>, segments: SegmentDefinition[], backend: BackendName): Timing {
  const engine = createSegmentEngine({ segments, attributes: tableAttributes(table), backend });
  for (let warm = 0; warm < 3; warm++) engine.evaluate(table);
  const timing = timeRuns(runs, () => engine.evaluate(table));
  const nodes = engine.plan.nodes.length;
  const throughput = (customers * segments.length) / (timing.median / 1000);
  console.log(
    `${backend.padEnd(8)} full pass: median ${timing.median.toFixed(1)} ms, min ${timing.min.toFixed(1)}, max ${timing.max.toFixed(1)} — ` +
      `${(throughput / 1e6).toFixed(0)} M customer-segments/s, ${nodes} shared plan nodes`,
  );
  const changed = Array.from({ length: 1000 }, (_value, index) => table.idAt((index * 7919) % table.size));
  for (let warm = 0; warm < 5; warm++) engine.update(table, changed);
  const incremental = timeRuns(50, () => engine.update(table, changed));
  console.log(`${backend.padEnd(8)} 1,000 changed customers: median ${incremental.median.toFixed(2)} ms, min ${incremental.min.toFixed(2)}, max ${incremental.max.toFixed(2)}`);
  return timing;
}

/** The same segments pushed down to SQL and run by an embedded DuckDB (bench/duckdb-compare.ts). */
async function benchDuckDb(table: ColumnarTable<Customer>, segments: SegmentDefinition[], fused: Timing): Promise<void> {
  // Loaded lazily: the native DuckDB module may be missing on a machine that only runs the engine.
  let duckdb: { compareWithDuckDb: typeof compareWithDuckDb };
  try {
    duckdb = await import('./duckdb-compare.js');
  } catch (error) {
    console.log(`duckdb   not run: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const result = await duckdb.compareWithDuckDb({ table, segments, runs: 5, threads: 1 });
  sampleMemory();
  console.log(
    `duckdb   full pass (1 thread): median ${result.medianMs.toFixed(1)} ms, min ${result.minMs.toFixed(1)}, max ${result.maxMs.toFixed(1)} ` +
      `(load ${(result.loadMs / 1000).toFixed(1)} s) — fused codegen pass is ${(result.medianMs / fused.median).toFixed(1)}× faster`,
  );
}

async function main(): Promise<void> {
  collectGarbage();
  const table = await loadTable();
  const segments = benchSegments();
  console.log(`segments: ${segments.length}`);
  const codegen = benchBackend(table, segments, 'codegen');
  benchBackend(table, segments, 'closure');
  collectGarbage();
  sampleMemory();
  console.log(`memory: rss now ${megabytes(process.memoryUsage().rss)}, peak sampled ${megabytes(peakRss)}`);
  const jre = await runJsonRulesEngine(table, segments, jsonRulesCustomers);
  const scaled = jre.milliseconds * (customers / jsonRulesCustomers);
  console.log(
    `json-rules-engine: ${jsonRulesCustomers.toLocaleString('en')} customers in ${jre.milliseconds.toFixed(0)} ms, ` +
      `scaled ×${(customers / jsonRulesCustomers).toFixed(0)} to ${(scaled / 1000).toFixed(1)} s — fused codegen pass is ${(scaled / codegen.median).toFixed(0)}× faster`,
  );
  await benchDuckDb(table, segments, codegen);
}

await main();
