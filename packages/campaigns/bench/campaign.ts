// pnpm bench:campaign — enrols a million synthetic customers into a 3-step journey (SMS → wait 3
// days → SMS) on SQLite and runs the first step into the outbox; prints enrolments/s and sends/s.
// Named alternatives, measured in the same run on a sample:
//   row-at-a-time enrolment: one INSERT per customer, each its own transaction (what a loop over an
//                            ORM does), against the engine's batched, assignment-first enrolment;
//   one-enrolment batches:   the same engine with batchSize 1 (one transaction per customer step).
//   node --conditions=@kequn/source --import tsx packages/campaigns/bench/campaign.ts [--customers 1000000]
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createKernel, CustomerModel, definePlugin, type Customer } from '@kequn/core';
import { openSqliteStore, type SqliteStore } from '@kequn/store-sqlite';
import { createSyntheticBank, type SyntheticBank } from '@kequn/testing';
import { z } from 'zod';
import { createCampaignEngine, defineCampaignType, type CampaignEngine } from '../src/index.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    customers: { type: 'string', default: '1000000' },
    sample: { type: 'string', default: '20000' },
    folder: { type: 'string', default: './.kequn/bench' },
  },
});
const customers = Number(values.customers);
const sample = Math.min(customers, Number(values.sample));
const folder = resolve(values.folder);
const START = '2026-11-02T10:00:00+08:00';

const benchType = defineCampaignType({
  parameters: z.object({}),
  plan: () => ({
    audience: { segments: [], rule: { attribute: 'assets.currentAum', op: 'gte', value: 0 } },
    journey: [
      { id: 'invite', type: 'send', channel: 'sms', template: { id: 'bench.invite', text: { 'zh-CN': '尊敬的{{name}}，诚邀您参加财富规划活动。回复TD退订', en: 'Dear {{name}}, join our wealth-planning review. Reply TD to unsubscribe' } } },
      { id: 'pause', type: 'wait', duration: { days: 3, hours: 0 } },
      { id: 'remind', type: 'send', channel: 'sms', template: { id: 'bench.remind', text: { 'zh-CN': '活动即将开始。回复TD退订', en: 'The review starts soon. Reply TD to unsubscribe' } } },
    ],
    goal: { label: { 'zh-CN': '资产达5万', en: 'AUM reaches 50k' }, windowDays: 30, criterion: { aumAtLeast: 50_000 } },
  }),
});

const benchPlugin = definePlugin({
  id: 'bench-campaign',
  version: '1.0.0',
  engines: { kequn: '^1' },
  contributes: { campaignTypes: [{ id: 'bench-three-step', label: { 'zh-CN': '三步旅程', en: 'Three-step journey' } }] },
  activate(context) {
    context.campaignTypes.register('bench-three-step', benchType);
  },
});

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
const rate = (count: number, ms: number): string => Math.round(count / (ms / 1000)).toLocaleString('en');

interface Setup {
  engine: CampaignEngine;
  store: SqliteStore;
  lookupMs: () => number;
  close(): Promise<void>;
}

async function setUp(bank: SyntheticBank, path: string, count: number, batchSize: number): Promise<Setup> {
  rmSync(path, { force: true });
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
  const store = await openSqliteStore({ path });
  const kernel = createKernel({ plugins: [benchPlugin] });
  await kernel.start();
  const model = new CustomerModel(kernel);
  function* firstCustomers(): Generator<Customer> {
    for (let index = 0; index < count; index++) yield bank.customerAt(index);
  }
  await model.load(firstCustomers(), { asOf: '2026-10-31', attributes: ['assets.currentAum'] });
  let lookupMs = 0;
  // The synthetic bank generates a customer on each lookup (a store would read it): timed apart.
  const lookup = async (ids: readonly string[]): Promise<Customer[]> => {
    const started = performance.now();
    const found = ids.flatMap((id) => {
      const customer = bank.customerById(id);
      return customer === undefined ? [] : [customer];
    });
    lookupMs += performance.now() - started;
    return found;
  };
  let now = START;
  const engine = await createCampaignEngine({ kernel, store, model, customers: lookup, now: () => now, batchSize });
  await engine.create({ id: 'bench', type: 'bench-three-step', name: { 'zh-CN': '基准', en: 'Bench' }, parameters: {} }, { actor: 'bench:planner' });
  await engine.submit('bench', { actor: 'bench:planner' });
  await engine.approve('bench', { actor: 'bench:approver' });
  now = START;
  return {
    engine,
    store,
    lookupMs: () => lookupMs,
    async close() {
      await engine.dispose();
      await kernel.dispose();
      await store.close();
    },
  };
}

async function rowAtATime(store: SqliteStore, count: number): Promise<number> {
  await store.sql.execute('CREATE TABLE IF NOT EXISTS naive_enrolments (campaign_id TEXT NOT NULL, customer_id TEXT NOT NULL, cohort TEXT NOT NULL, state TEXT NOT NULL, next_run_ms BIGINT NOT NULL, PRIMARY KEY (campaign_id, customer_id))');
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    await store.transaction(async (tx) => {
      await tx.sql.execute('INSERT INTO naive_enrolments (campaign_id, customer_id, cohort, state, next_run_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', ['naive', `C${String(index + 1).padStart(9, '0')}`, 'treatment', 'active', Date.parse(START)]);
    });
  }
  return performance.now() - started;
}

async function main(): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const bank = createSyntheticBank({ seed: 42, customers });
  console.log(`bench:campaign — ${customers.toLocaleString('en')} customers, 3-step journey (SMS → wait 3 days → SMS), SQLite (${folder})`);

  const setup = await setUp(bank, join(folder, 'campaign.db'), customers, 2_000);
  const enrolStarted = performance.now();
  await setup.engine.start('bench', { actor: 'bench:planner' });
  const enrolMs = performance.now() - enrolStarted;
  const counts = await setup.engine.campaigns.enrolmentCounts('bench');
  const enrolled = counts.reduce((sum, count) => sum + count.count, 0);
  const runStarted = performance.now();
  const first = await setup.engine.runDue({ now: START });
  const runMs = performance.now() - runStarted;
  const lookupMs = setup.lookupMs();
  const outbox = Number((await setup.store.sql.query('SELECT COUNT(*) AS n FROM outbox'))[0]?.['n'] ?? 0);
  await setup.close();

  console.log(`  enrol (assignment, holdout 10%, write):   ${enrolled.toLocaleString('en')} enrolments in ${(enrolMs / 1000).toFixed(1)} s → ${rate(enrolled, enrolMs)} enrolments/s`);
  console.log(`  first step (policy, arbitration, outbox): ${first.enrolments.toLocaleString('en')} steps decided in ${(runMs / 1000).toFixed(1)} s → ${rate(first.enrolments, runMs)} steps/s`);
  console.log(`    messages in the outbox: ${outbox.toLocaleString('en')} (${first.suppressed.toLocaleString('en')} suppressed by the contact policy, ${first.deferred.toLocaleString('en')} deferred) → ${rate(first.sent, runMs)} sends/s`);
  console.log(`    of which generating customers for lookups (a store read in production): ${(lookupMs / 1000).toFixed(1)} s; without it ${rate(first.enrolments, runMs - lookupMs)} steps/s`);

  const naive = await setUp(bank, join(folder, 'campaign-naive.db'), sample, 1);
  const naiveEnrolMs = await rowAtATime(naive.store, sample);
  await naive.engine.start('bench', { actor: 'bench:planner' });
  const singleStarted = performance.now();
  const single = await naive.engine.runDue({ now: START });
  const singleMs = performance.now() - singleStarted - naive.lookupMs();
  await naive.close();
  console.log(`  alternative — row-at-a-time enrolment (${sample.toLocaleString('en')} customers, one transaction each): ${rate(sample, naiveEnrolMs)} enrolments/s → the engine is ${((enrolled / enrolMs) / (sample / naiveEnrolMs)).toFixed(1)}× faster`);
  console.log(`  alternative — one-enrolment batches (${sample.toLocaleString('en')} customers): ${rate(single.enrolments, singleMs)} steps/s without lookups → batching is ${((first.enrolments / (runMs - lookupMs)) / (single.enrolments / singleMs)).toFixed(1)}× faster`);
  console.log(`  peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`);
}

await main();
