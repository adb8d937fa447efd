// `kequn campaign …`: campaigns on the persistent store — list the types, create a campaign from a
// JSON or YAML file, move it through approval, run its journeys, and read its status and report.
// Each command is a thin shell over @kequn/campaigns; state lives in the store between commands.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import Table from 'cli-table3';
import { parse as parseYaml } from 'yaml';
import { createKernel, CustomerModel, isKequnError, scanAll, type KequnStore, type SqlStore } from '@kequn/core';
import { campaignReport, campaignStatusSchema, createCampaignEngine, type CampaignAction, type CampaignEngine } from '@kequn/campaigns';
import { tieringPlugin } from '@kequn/plugin-tiering';
import { featuredGroupsPlugin } from '@kequn/plugin-featured-groups';
import { abcdPlugin } from '@kequn/plugin-abcd';
import { dormantPlugin } from '@kequn/plugin-dormant';
import { campaignTypePlugins, isSqlStore } from '../campaigns.js';
import { openStoreAt } from '../store-location.js';

interface Output {
  write(text: string): void;
}

interface Workspace {
  engine: CampaignEngine;
  store: SqlStore;
  close(): Promise<void>;
}

function instant(value: string): string {
  if (Number.isNaN(Date.parse(value)) || !/T\d{2}:\d{2}/.test(value)) throw new InvalidArgumentError(`expected an ISO instant such as 2026-11-02T10:00:00+08:00, got "${value}"`);
  return value;
}

/**
 * Opens the store, boots the kernel with the segment strategies and the shipped campaign types and,
 * when the command needs audiences, loads the stored customers into the customer table.
 */
async function openWorkspace(location: string | undefined, options: { now?: string; loadCustomers: boolean }): Promise<Workspace> {
  const store: KequnStore = await openStoreAt(location);
  if (!isSqlStore(store)) {
    await store.close();
    throw new InvalidArgumentError('campaigns need a SQL store (SQLite or PostgreSQL); "memory:" keeps nothing between commands');
  }
  const kernel = createKernel({ plugins: [tieringPlugin, featuredGroupsPlugin, abcdPlugin, dormantPlugin, ...campaignTypePlugins] });
  await kernel.start();
  const model = new CustomerModel(kernel);
  const asOf = (options.now ?? new Date().toISOString()).slice(0, 10);
  await model.load(options.loadCustomers ? scanAll(store.customers, 5_000) : [], { asOf });
  const now = options.now;
  const engine = await createCampaignEngine({ kernel, store, model, ...(now === undefined ? {} : { now: () => now }) });
  return {
    engine,
    store,
    async close() {
      await engine.dispose();
      await kernel.dispose();
      await store.close();
    },
  };
}

async function withWorkspace(location: string | undefined, options: { now?: string; loadCustomers: boolean }, work: (workspace: Workspace) => Promise<void>): Promise<void> {
  const workspace = await openWorkspace(location, options);
  try {
    await work(workspace);
  } catch (error) {
    if (isKequnError(error)) throw new InvalidArgumentError(`${error.code}: ${error.message}`);
    throw error;
  } finally {
    await workspace.close();
  }
}

async function readCampaignFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`${path}: not valid ${extname(path).slice(1).toUpperCase() || 'JSON'} — ${error instanceof Error ? error.message : String(error)}`);
  }
}

const storeOption = ['--store <location>', 'sqlite:<path> or postgres://… (default ./.kequn/kequn.db)'] as const;

export function registerCampaignCommands(program: Command, output: Output): void {
  const campaign = program.command('campaign').description('campaigns (营销活动): types, approval, journeys, status and results');

  campaign
    .command('types')
    .description('list the campaign types the installed plugins contribute')
    .option(...storeOption)
    .action(async (options: { store?: string }) => {
      await withWorkspace(options.store, { loadCustomers: false }, async ({ engine }) => {
        const table = new Table({ head: ['type', 'plugin', '中文', 'English'], style: { head: [], border: [] } });
        for (const type of engine.types()) table.push([type.id, type.pluginId, type.label['zh-CN'], type.label.en]);
        output.write(`${table.toString()}\n`);
      });
    });

  campaign
    .command('list')
    .description('list campaigns with their status and 5×5 stage')
    .option(...storeOption)
    .option('--status <status>', 'only campaigns in this status', (value: string) => campaignStatusSchema.parse(value))
    .action(async (options: { store?: string; status?: ReturnType<typeof campaignStatusSchema.parse> }) => {
      await withWorkspace(options.store, { loadCustomers: false }, async ({ engine }) => {
        const table = new Table({ head: ['id', 'type', 'status', 'stage', 'priority', 'name'], style: { head: [], border: [] } });
        for (const item of await engine.list(options.status)) table.push([item.id, item.type, item.status, item.stage, item.priority, item.name['zh-CN']]);
        output.write(`${table.toString()}\n`);
      });
    });

  campaign
    .command('create')
    .description('create a draft campaign from a type, described in a JSON or YAML file')
    .requiredOption('--file <path>', 'the campaign: { id, type, name, parameters, priority?, experiment?, costs? }')
    .requiredOption('--by <actor>', 'who creates it, e.g. user:zhang.wei')
    .option(...storeOption)
    .action(async (options: { file: string; by: string; store?: string }) => {
      const input = await readCampaignFile(options.file);
      await withWorkspace(options.store, { loadCustomers: false }, async ({ engine }) => {
        const created = await engine.create(input as Parameters<CampaignEngine['create']>[0], { actor: options.by });
        output.write(`created ${created.id} (${created.type}) as draft; journey: ${created.plan.journey.map((step) => `${step.id}:${step.type}`).join(' → ')}\n`);
      });
    });

  const actions: Array<{ name: CampaignAction; description: string; loadCustomers: boolean }> = [
    { name: 'submit', description: 'submit a draft for approval', loadCustomers: false },
    { name: 'approve', description: 'approve a campaign (not by whoever created it)', loadCustomers: false },
    { name: 'reject', description: 'send a campaign back to draft', loadCustomers: false },
    { name: 'start', description: 'start an approved campaign (enrols its audience)', loadCustomers: true },
    { name: 'pause', description: 'pause a running campaign', loadCustomers: false },
    { name: 'resume', description: 'resume a paused campaign', loadCustomers: false },
    { name: 'complete', description: 'complete a campaign', loadCustomers: false },
    { name: 'cancel', description: 'cancel a campaign', loadCustomers: false },
  ];
  for (const action of actions) {
    campaign
      .command(`${action.name} <id>`)
      .description(action.description)
      .requiredOption('--by <actor>', 'who acts, e.g. user:li.na')
      .option('--note <text>', 'recorded with the status change')
      .option('--now <instant>', 'the instant to act at (default: now)', instant)
      .option(...storeOption)
      .action(async (id: string, options: { by: string; note?: string; now?: string; store?: string }) => {
        await withWorkspace(options.store, { loadCustomers: action.loadCustomers, ...(options.now === undefined ? {} : { now: options.now }) }, async ({ engine }) => {
          const updated = await engine.act(id, action.name, { actor: options.by, ...(options.note === undefined ? {} : { note: options.note }) });
          output.write(`${updated.id}: ${updated.lifecycle.at(-1)?.from ?? '—'} → ${updated.status} by ${options.by}\n`);
        });
      });
  }

  campaign
    .command('run')
    .description('run every due journey step of running campaigns (one pass, or through --until)')
    .option('--now <instant>', 'the instant to run at (default: now)', instant)
    .option('--until <instant>', 'keep running as simulated time passes, up to this instant', instant)
    .option(...storeOption)
    .action(async (options: { now?: string; until?: string; store?: string }) => {
      await withWorkspace(options.store, { loadCustomers: true, ...(options.now === undefined ? {} : { now: options.now }) }, async ({ engine }) => {
        const result = options.until === undefined ? await engine.runDue() : await engine.runUntil(options.until);
        output.write(`ran ${result.enrolments} enrolment steps in ${result.batches} batches: ${result.sent} sent or tasked, ${result.suppressed} suppressed, ${result.deferred} deferred\n`);
      });
    });

  campaign
    .command('enrol <id>')
    .description('enrol customers by id (the API trigger)')
    .requiredOption('--customers <ids>', 'comma-separated customer ids')
    .option(...storeOption)
    .action(async (id: string, options: { customers: string; store?: string }) => {
      await withWorkspace(options.store, { loadCustomers: true }, async ({ engine }) => {
        const result = await engine.enrol(id, options.customers.split(',').map((value) => value.trim()).filter((value) => value !== ''), { source: 'api' });
        output.write(`${id}: ${result.enrolled} enrolled (${result.holdout} held out)\n`);
      });
    });

  campaign
    .command('status <id>')
    .description('status, approvals and where the enrolled customers are')
    .option(...storeOption)
    .action(async (id: string, options: { store?: string }) => {
      await withWorkspace(options.store, { loadCustomers: false }, async ({ engine }) => {
        const item = await engine.get(id);
        output.write(`${item.id} (${item.type}) — ${item.status}, 5×5 stage: ${item.stage}, priority ${item.priority}\n`);
        for (const entry of item.lifecycle) output.write(`  ${entry.at}  ${entry.from ?? '—'} → ${entry.to}  by ${entry.actor}${entry.note === undefined ? '' : `: ${entry.note}`}\n`);
        const table = new Table({ head: ['cohort', 'variant', 'state', 'customers'], style: { head: [], border: [] } });
        for (const count of await engine.campaigns.enrolmentCounts(id)) table.push([count.cohort, count.variant, count.state, count.count]);
        output.write(`${table.toString()}\n`);
      });
    });

  campaign
    .command('report <id>')
    .description('funnel, conversions against the holdout, uplift with a 95% interval, AUM uplift and cost')
    .option('--as-of <instant>', 'judge the goal at this instant (default: now)', instant)
    .option('--json', 'print the report as JSON')
    .option(...storeOption)
    .action(async (id: string, options: { asOf?: string; json?: boolean; store?: string }) => {
      await withWorkspace(options.store, { loadCustomers: false }, async ({ engine, store }) => {
        const report = await campaignReport(store, await engine.get(id), options.asOf === undefined ? {} : { asOf: options.asOf });
        if (options.json === true) {
          output.write(`${JSON.stringify(report, null, 2)}\n`);
          return;
        }
        const funnel = new Table({ head: ['step', 'type', 'reached', 'sent', 'tasks', 'suppressed', 'suppressed by', 'deferred by'], style: { head: [], border: [] } });
        for (const step of report.funnel)
          funnel.push([step.stepId, step.type, step.reached, step.sent, step.tasks, step.suppressed, JSON.stringify(step.suppressedBy), JSON.stringify(step.deferredBy)]);
        const cohorts = new Table({ head: ['cohort', 'variant', 'customers', 'conversions', 'rate', 'mean AUM change (CNY)'], style: { head: [], border: [] } });
        for (const cohort of report.cohorts) cohorts.push([cohort.cohort, cohort.variant, cohort.customers, cohort.conversions, (cohort.conversionRate * 100).toFixed(2) + '%', cohort.meanAumChange.toFixed(0)]);
        output.write(`${funnel.toString()}\n${cohorts.toString()}\n`);
        if (report.uplift !== null)
          output.write(`uplift ${(report.uplift.estimate * 100).toFixed(2)} pt (95% CI ${(report.uplift.low * 100).toFixed(2)} to ${(report.uplift.high * 100).toFixed(2)})\n`);
        if (report.aumUpliftTotal !== null) output.write(`AUM uplift CNY ${Math.round(report.aumUpliftTotal).toLocaleString('en')}\n`);
        output.write(`cost CNY ${report.cost.total.toFixed(2)}; per conversion ${report.cost.perConversion?.toFixed(2) ?? '—'}; per incremental conversion ${report.cost.perIncrementalConversion?.toFixed(2) ?? '—'}\n`);
      });
    });
}
