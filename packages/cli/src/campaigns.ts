// Campaigns in the CLI: the kernel with the shipped campaign types, the engine on a SQL store, and
// the demo's run of every type against the synthetic bank — including a simulation of how customers
// respond, clearly labelled as such, so that the report has something to measure.
import {
  type Customer,
  type CustomerEvent,
  type CustomerModel,
  type Kernel,
  type KequnStore,
  type SqlStore,
} from '@kequn/core';
import {
  CampaignStore,
  campaignReport,
  createCampaignEngine,
  uniformHash,
  type Campaign,
  type CampaignEngine,
  type CampaignReport,
  type CustomerLookup,
  type Enrolment,
} from '@kequn/campaigns';
import { shippedCampaignTypePlugins } from '@kequn/server';
import { createDispatcher, type DispatchSummary } from '@kequn/channels';
import { consoleChannelPlugin } from '@kequn/plugin-channel-console';
import { createManagerTaskPlugin } from '@kequn/plugin-channel-manager-task';
import { createKernel } from '@kequn/core';

/** The six campaign types Kequn ships (DOMAIN.md §6): the same list `kequn serve` boots. */
export const campaignTypePlugins = shippedCampaignTypePlugins;

const DAY_MS = 86_400_000;

export function isSqlStore(store: KequnStore): store is SqlStore {
  return 'sql' in store;
}

/** The first workday 10:00 (+08:00) after `asOf`: campaigns start in office hours. */
export function campaignStartAfter(asOf: string): string {
  const date = new Date(`${asOf}T10:00:00+08:00`);
  for (;;) {
    date.setTime(date.getTime() + DAY_MS);
    const weekday = new Date(date.getTime() + 8 * 3_600_000).getUTCDay();
    if (weekday !== 0 && weekday !== 6)
      return `${new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)}T10:00:00+08:00`;
  }
}

export function addDays(instant: string, days: number): string {
  return new Date(Date.parse(instant) + days * DAY_MS).toISOString();
}

export interface DemoCampaignSummary {
  id: string;
  type: string;
  name: { 'zh-CN': string; en: string };
  reused: boolean;
  audience: number;
  report: CampaignReport;
  outbox: Record<string, number>;
}

export interface DemoCampaignOptions {
  kernel: Kernel;
  model: CustomerModel;
  store: SqlStore;
  /** The synthetic bank's customer by id, for customers the store does not hold. */
  lookup: (id: string) => Customer | undefined;
  asOf: string;
  seed: number;
  /** A product id for a simulated purchase: one of these ids or types, or any. */
  lookupProduct: (ids?: readonly string[], types?: readonly string[]) => string | undefined;
  /** A customer with at least this AUM for a simulated referral by `referrerId`. */
  refereeFor: (referrerId: string, aumAtLeast: number) => string | undefined;
  /** Where the console channel writes the dispatched messages (JSON lines, values masked). */
  messagesPath: string;
}

export interface DemoDispatch extends DispatchSummary {
  path: string;
  /** Call and visit tasks now on relationship managers' lists. */
  openTasks: number;
}

/** One campaign per shipped type, configured as a bank would for the demo bank. */
function demoCampaigns(
  startsOn: string,
): Array<{
  id: string;
  type: string;
  name: { 'zh-CN': string; en: string };
  parameters: Record<string, unknown>;
  priority: number;
}> {
  return [
    {
      id: 'demo-threshold-reward',
      type: 'threshold-reward',
      name: { 'zh-CN': '达标有礼（5万元）', en: 'Threshold reward (CNY 50k)' },
      parameters: {},
      priority: 20,
    },
    {
      id: 'demo-maturity-remarketing',
      type: 'maturity-remarketing',
      name: { 'zh-CN': '到期再营销', en: 'Maturity re-marketing' },
      parameters: {},
      priority: 30,
    },
    {
      id: 'demo-dormant-activation',
      type: 'dormant-activation',
      name: { 'zh-CN': '休眠客户激活', en: 'Dormant activation' },
      parameters: {},
      priority: 10,
    },
    {
      id: 'demo-referral',
      type: 'referral',
      name: { 'zh-CN': '推荐有礼', en: 'Referral programme' },
      parameters: {},
      priority: 5,
    },
    {
      id: 'demo-event-invitation',
      type: 'event-invitation',
      name: { 'zh-CN': '财富规划沙龙', en: 'Wealth-planning salon' },
      parameters: { eventDate: addDays(`${startsOn}T00:00:00+08:00`, 14).slice(0, 10) },
      priority: 15,
    },
    {
      id: 'demo-upgrade-congratulation',
      type: 'upgrade-congratulation',
      name: { 'zh-CN': '升级祝贺与客户经理介绍', en: 'Upgrade congratulation' },
      parameters: {},
      priority: 40,
    },
  ];
}

/**
 * Runs every shipped campaign type end to end on the store: create, submit, approve (a second
 * person), start, run the journeys through 45 simulated days, simulate responses, report. A store
 * that already holds the demo campaigns is reported again rather than run twice.
 */
export async function runDemoCampaigns(
  options: DemoCampaignOptions,
): Promise<{ campaigns: DemoCampaignSummary[]; dispatch: DemoDispatch | undefined }> {
  const start = campaignStartAfter(options.asOf);
  const end = addDays(start, 45);
  // Customers as they are now: the store's (else the bank's), with the AUM the simulated responses
  // raised. The simulation is kept beside the bank, not in it, so the demo bank itself never changes.
  const simulatedAum = await readSimulatedAum(options.store);
  const lookupMany: CustomerLookup = async (ids) => {
    const stored = new Map(
      (await options.store.customers.getMany(ids)).map((customer) => [customer.id, customer]),
    );
    return ids.flatMap((id) => {
      const customer = stored.get(id) ?? options.lookup(id);
      if (customer === undefined) return [];
      const aum = simulatedAum.get(id);
      return [
        aum === undefined
          ? customer
          : { ...customer, assets: { ...customer.assets, currentAum: aum } },
      ];
    });
  };
  let now = start;
  const engine = await createCampaignEngine({
    kernel: options.kernel,
    store: options.store,
    model: options.model,
    customers: lookupMany,
    now: () => now,
    globalHoldout: 0.02,
  });
  const summaries: DemoCampaignSummary[] = [];
  let dispatch: DemoDispatch | undefined;
  try {
    const fresh: string[] = [];
    for (const definition of demoCampaigns(start.slice(0, 10))) {
      if ((await engine.campaigns.getCampaign(definition.id)) !== undefined) continue;
      now = start;
      await engine.create(
        {
          ...definition,
          experiment: {
            holdout: 0.1,
            variants: [
              { id: 'a', weight: 1 },
              { id: 'b', weight: 1 },
            ],
            stratifyBy: 'tier.current',
          },
          costs: {
            perContact: { sms: 0.05, wecom: 0, email: 0.01, app_push: 0, phone: 8, branch: 20 },
            perConversion: 50,
          },
        },
        { actor: 'demo:marketing-planner' },
      );
      await engine.submit(definition.id, { actor: 'demo:marketing-planner' });
      await engine.approve(definition.id, {
        actor: 'demo:branch-head',
        note: 'approved for the demo bank',
      });
      await engine.start(definition.id, { actor: 'demo:marketing-planner' });
      fresh.push(definition.id);
    }
    if (fresh.length > 0) {
      // Event triggers: maturities in the next month, and the customers the tiering upgraded.
      await engine.trigger('maturity', maturingCustomers(options.model, options.asOf));
      await engine.trigger('tier_upgrade', await upgradedCustomers(options));
      await engine.runUntil(end, { from: start });
      dispatch = await dispatchOutbox(options, lookupMany);
      for (const id of fresh)
        await simulateOutcomes(
          engine,
          options,
          await engine.get(id),
          end,
          lookupMany,
          simulatedAum,
        );
      now = end;
      for (const id of fresh)
        await engine.complete(id, { actor: 'demo:marketing-planner', note: 'demo window ended' });
    }
    for (const definition of demoCampaigns(start.slice(0, 10))) {
      const campaign = await engine.get(definition.id);
      const report = await campaignReport(options.store, campaign, {
        asOf: end,
        customers: lookupMany,
      });
      summaries.push({
        id: campaign.id,
        type: campaign.type,
        name: campaign.name,
        reused: !fresh.includes(campaign.id),
        audience: report.enrolled,
        report,
        outbox: await engine.campaigns.contactsByChannel(campaign.id),
      });
    }
  } finally {
    await engine.dispose();
  }
  return { campaigns: summaries, dispatch };
}

/**
 * Reach: the outbox drained through the console channel (SMS, e-mail, WeCom, app push written to a
 * JSON-lines file, values masked) and the manager-task channel (calls and visits on managers' lists).
 */
async function dispatchOutbox(
  options: DemoCampaignOptions,
  lookupMany: CustomerLookup,
): Promise<DemoDispatch> {
  // The dispatcher renders from the store's customers; a throwaway store gets the ones it needs.
  const pending = await options.store.sql.query(
    `SELECT DISTINCT customer_id FROM outbox WHERE status = 'pending'`,
  );
  const ids = pending.map((row) => String(row['customer_id']));
  for (let start = 0; start < ids.length; start += 2_000) {
    const chunk = ids.slice(start, start + 2_000);
    const stored = new Set(
      (await options.store.customers.getMany(chunk)).map((customer) => customer.id),
    );
    await options.store.customers.upsert(await lookupMany(chunk.filter((id) => !stored.has(id))));
  }
  const tasks = createManagerTaskPlugin({ store: options.store });
  const kernel = createKernel({
    plugins: [consoleChannelPlugin, tasks],
    settings: { 'channel-console': { path: options.messagesPath } },
  });
  await kernel.start();
  const dispatcher = createDispatcher({
    store: options.store,
    channels: kernel,
    retry: { maxAttempts: 3, baseMs: 10, maxMs: 100 },
  });
  try {
    const summary = await dispatcher.runUntilIdle();
    const open = await options.store.sql.query(
      `SELECT COUNT(*) AS n FROM manager_tasks WHERE status = 'open'`,
    );
    return { ...summary, path: options.messagesPath, openTasks: Number(open[0]?.['n'] ?? 0) };
  } finally {
    await dispatcher.close();
    await kernel.dispose();
  }
}

function maturingCustomers(model: CustomerModel, asOf: string): string[] {
  const table = model.table;
  const until = addDays(`${asOf}T00:00:00+08:00`, 30).slice(0, 10);
  const ids: string[] = [];
  if (!table.hasColumn('holdings.nextMaturityDate')) return ids;
  for (let row = 0; row < table.size; row++) {
    const date = table.value(row, 'holdings.nextMaturityDate');
    if (table.isLive(row) && typeof date === 'string' && date > asOf && date <= until)
      ids.push(table.idAt(row));
  }
  return ids;
}

/** Customers whose tier is above the one they held six months earlier, by the tiering plugin's rank. */
async function upgradedCustomers(options: DemoCampaignOptions): Promise<string[]> {
  const memberships = await options.model.evaluate('tiering');
  const upper = ['mid', 'high_end', 'private'];
  const ids: string[] = [];
  for (const tier of upper)
    for (const row of memberships.get(tier) ?? []) ids.push(options.model.table.idAt(row));
  // Of those in the upper tiers, the demo treats one in twelve as newly upgraded this month.
  return ids.filter((id) => uniformHash(`upgrade|${options.seed}|${id}`) < 1 / 12);
}

/**
 * SIMULATION for the demo only: how the synthetic bank's customers respond. Treated customers
 * convert more often than the holdout (a base rate and a lift per campaign type); converters get the
 * events a real conversion would leave (an inflow, a purchase, transactions, a registration…).
 */
const SIMULATED_AUM_KEY = 'demo/simulated-aum';

async function readSimulatedAum(store: SqlStore): Promise<Map<string, number>> {
  const saved = await store.pluginState.get(SIMULATED_AUM_KEY);
  const entries = typeof saved === 'object' && saved !== null ? Object.entries(saved) : [];
  return new Map(
    entries.flatMap(([id, aum]) => (typeof aum === 'number' ? [[id, aum] as const] : [])),
  );
}

async function simulateOutcomes(
  engine: CampaignEngine,
  options: DemoCampaignOptions,
  campaign: Campaign,
  end: string,
  lookupMany: CustomerLookup,
  simulatedAum: Map<string, number>,
): Promise<void> {
  const store = new CampaignStore(options.store.sql);
  const events: CustomerEvent[] = [];
  const updated: Customer[] = [];
  let after = '';
  for (;;) {
    const page = await store.enrolmentPage(campaign.id, after, 2_000);
    if (page.length === 0) break;
    after = page.at(-1)?.customerId ?? after;
    const customers = new Map(
      (await lookupMany(page.map((enrolment) => enrolment.customerId))).map((customer) => [
        customer.id,
        customer,
      ]),
    );
    for (const enrolment of page) {
      const customer = customers.get(enrolment.customerId);
      if (customer === undefined) continue;
      const u = uniformHash(`simulate|${campaign.id}|${enrolment.customerId}`);
      const converts = u < (enrolment.cohort === 'treatment' ? 0.06 + 0.08 : 0.06);
      const day = 1 + Math.floor(uniformHash(`day|${campaign.id}|${enrolment.customerId}`) * 7);
      const at = new Date(enrolment.enrolledMs + day * DAY_MS + 3 * 3_600_000).toISOString();
      if (!converts) continue;
      await respond(
        engine,
        options,
        { campaign, enrolment, customer, at, end },
        { events, updated },
      );
    }
  }
  for (const customer of updated) simulatedAum.set(customer.id, customer.assets.currentAum);
  await options.store.transaction(async (tx) => {
    await tx.events.upsert(events);
    await tx.pluginState.set(SIMULATED_AUM_KEY, Object.fromEntries(simulatedAum));
  });
}

interface Conversion {
  campaign: Campaign;
  enrolment: Enrolment;
  customer: Customer;
  at: string;
  end: string;
}

async function respond(
  engine: CampaignEngine,
  options: DemoCampaignOptions,
  conversion: Conversion,
  out: { events: CustomerEvent[]; updated: Customer[] },
): Promise<void> {
  const { campaign, enrolment, customer, at, end } = conversion;
  const events = out.events;
  const criterion = campaign.plan.goal.criterion;
  const eventId = (suffix: string) => `${customer.id}-${campaign.id}-${suffix}`;
  if ('aumAtLeast' in criterion) {
    const amount = Math.max(
      1_000,
      Math.ceil(criterion.aumAtLeast - enrolment.aumAtEnrolment + 1_000),
    );
    events.push({
      id: eventId('inflow'),
      customerId: customer.id,
      occurredAt: at,
      type: 'transaction',
      amount,
      direction: 'in',
      channel: 'mobile',
      category: 'transfer',
    });
    out.updated.push({
      ...customer,
      assets: { ...customer.assets, currentAum: customer.assets.currentAum + amount },
    });
    return;
  }
  if ('purchase' in criterion) {
    const product = options.lookupProduct(
      criterion.purchase.productIds,
      criterion.purchase.productTypes,
    );
    if (product === undefined) return;
    const amount = Math.max(criterion.purchase.minAmount ?? 0, 50_000);
    events.push({
      id: eventId('purchase'),
      customerId: customer.id,
      occurredAt: at,
      type: 'purchase',
      productId: product,
      amount,
    });
    return;
  }
  if ('activity' in criterion) {
    for (let index = 0; index < criterion.activity.minTransactions; index++)
      events.push({
        id: eventId(`activity-${index}`),
        customerId: customer.id,
        occurredAt: new Date(Date.parse(at) + index * 3_600_000).toISOString(),
        type: 'transaction',
        amount: 200,
        direction: 'out',
        channel: 'mobile',
        category: 'consumption',
      });
    return;
  }
  if ('response' in criterion) {
    for (let index = 0; index < criterion.atLeast; index++)
      await engine.recordResponse({
        campaignId: campaign.id,
        customerId: customer.id,
        kind: criterion.response,
        reference: `simulated-${index}`,
        at: at < end ? at : end,
      });
    return;
  }
  if ('referral' in criterion) {
    const referee = options.refereeFor(customer.id, criterion.referral.refereeAumAtLeast);
    if (referee !== undefined)
      await engine.recordReferral({
        campaignId: campaign.id,
        referrerId: customer.id,
        refereeId: referee,
        at,
      });
  }
}
