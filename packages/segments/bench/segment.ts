// bench:segment — 1M synthetic customers, 19 segments (5 tiers, 7 featured groups, dormant, ABCD,
// a 3-level nested rule, products maturing in the next 30 days), evaluated in one fused pass by
// both back ends, re-evaluated for 1,000 changed customers, and compared with json-rules-engine
// and DuckDB. The table holds only the columns the segments read; a second process builds it with
// every attribute to show what that costs in memory.
// Prints figures; asserts nothing. Run: pnpm --filter @kequn/segments bench:segment [customers]
//   [jsonRulesCustomers] [--all-attributes] [--memory-only]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createKernel, CustomerModel, type ColumnarTable, type Customer } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { tieringPlugin, tierIds } from '@kequn/plugin-tiering';
import { featuredGroupsPlugin, featuredGroupIds } from '@kequn/plugin-featured-groups';
import { abcdSegments, abcdSettingsSchema } from '@kequn/plugin-abcd';
import { dormantSegments, dormantSettingsSchema } from '@kequn/plugin-dormant';
import { createSegmentEngine, exclusiveInOrder, referencedAttributes, tableAttributes, type BackendName, type SegmentDefinition } from '@kequn/segments';
import { runJsonRulesEngine } from './json-rules-engine.js';
import type { compareWithDuckDb } from './duckdb-compare.js';

const flags = process.argv.slice(2).filter((argument) => argument.startsWith('--'));
const positional = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
const customers = Number(positional[0] ?? 1_000_000);
const jsonRulesCustomers = Math.min(customers, Number(positional[1] ?? 100_000));
/** Every registered and contributed attribute, as a table built for other uses too would hold. */
const allAttributes = flags.includes('--all-attributes');
/** Stop after the fused passes and their memory figure (the child run that builds every column). */
const memoryOnly = flags.includes('--memory-only');
const asOf = '2026-10-31';
const runs = 15;

/** Peak resident set of this process so far (maxRSS never goes down, so it includes the build). */
function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
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

/** Builds the table; customers are streamed, so only the table outlives this function. */
async function loadTable(segments: readonly SegmentDefinition[]): Promise<ColumnarTable<Customer>> {
  const kernel = createKernel({ plugins: [tieringPlugin, featuredGroupsPlugin], logSink: () => undefined });
  await kernel.start();
  const model = new CustomerModel(kernel);
  const bank = createSyntheticBank({ customers, seed: 42, asOf });
  const attributes = allAttributes ? undefined : referencedAttributes(segments);
  const start = performance.now();
  await model.load(bank.customers(), { asOf, expectedCount: customers, ...(attributes === undefined ? {} : { attributes }) });
  const columns = allAttributes ? 'every attribute' : `the ${attributes?.length ?? 0} attributes the segments read`;
  console.log(
    `table: ${customers.toLocaleString('en')} customers, ${columns}, built in ${((performance.now() - start) / 1000).toFixed(1)} s, ${megabytes(model.table.memoryBytes())} of columns`,
  );
  return model.table;
}

/** The same bench in a second process with every attribute: maxRSS cannot be reset within one. */
function allAttributesPeak(): void {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, script, String(customers), '--all-attributes', '--memory-only'], { encoding: 'utf8' });
  const line = child.stdout.split('\n').find((text) => text.startsWith('memory:'));
  console.log(`every attribute (second process) — ${line ?? `not measured: ${child.stderr.trim().split('\n').at(-1) ?? 'no output'}`}`);
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
  console.log(
    `duckdb   full pass (1 thread): median ${result.medianMs.toFixed(1)} ms, min ${result.minMs.toFixed(1)}, max ${result.maxMs.toFixed(1)} ` +
      `(load ${(result.loadMs / 1000).toFixed(1)} s) — fused codegen pass is ${(result.medianMs / fused.median).toFixed(1)}× faster`,
  );
}

async function main(): Promise<void> {
  collectGarbage();
  // What Node, tsx's loader thread and the imported packages hold before any customer exists.
  const before = process.memoryUsage().rss;
  const segments = benchSegments();
  const table = await loadTable(segments);
  console.log(`segments: ${segments.length}`);
  const codegen = benchBackend(table, segments, 'codegen');
  benchBackend(table, segments, 'closure');
  collectGarbage();
  const usage = process.memoryUsage();
  console.log(
    `memory: peak (maxRSS) ${megabytes(peakRss())} (${megabytes(before)} before the table); now rss ${megabytes(usage.rss)}, JS heap ${megabytes(usage.heapUsed)} of ${megabytes(usage.heapTotal)}, typed arrays ${megabytes(usage.arrayBuffers)}`,
  );
  if (memoryOnly) return;
  allAttributesPeak();
  const jre = await runJsonRulesEngine(table, segments, jsonRulesCustomers);
  const scaled = jre.milliseconds * (customers / jsonRulesCustomers);
  console.log(
    `json-rules-engine: ${jsonRulesCustomers.toLocaleString('en')} customers in ${jre.milliseconds.toFixed(0)} ms, ` +
      `scaled ×${(customers / jsonRulesCustomers).toFixed(0)} to ${(scaled / 1000).toFixed(1)} s — fused codegen pass is ${(scaled / codegen.median).toFixed(0)}× faster`,
  );
  await benchDuckDb(table, segments, codegen);
}

await main();
