// Shared set-up for the campaign engine's tests: a synthetic bank loaded into a test kernel and a
// SQLite (or PostgreSQL) store, campaign types contributed by a test plugin, and readers for the
// outbox and the campaign tables that look at every row rather than trusting the engine's counts.
import { channelKindSchema, definePlugin, type ChannelKind, type Customer, type SqlStore } from '@kequn/core';
import { tieringPlugin } from '@kequn/plugin-tiering';
import { openSqliteStore } from '@kequn/store-sqlite';
import { createSyntheticBank, createTestKernel, type TestKernel } from '@kequn/testing';
import { z } from 'zod';
import {
  campaignPlanSchema,
  createCampaignEngine,
  defineCampaignType,
  type CampaignEngine,
  type CampaignEngineOptions,
  type CampaignInput,
  type CampaignPlanInput,
  type Enrolment,
  type StepOutcome,
} from '../src/index.js';

/** A Monday (not a holiday), 10:00 in Beijing: no quiet hours, no holiday pause. */
export const MONDAY_10 = '2026-11-02T10:00:00+08:00';
export const MAKER = { actor: 'maker.li' };
export const CHECKER = { actor: 'checker.wang' };

/** 提醒活动: invite, wait, remind — the three-step journey most tests run. */
export const reminderParametersSchema = z.strictObject({
  /** Segment references; the audience is these tiers unless `minAum` is given. */
  segments: z.array(z.string().min(1)).default(['tiering:potential', 'tiering:effective', 'tiering:mid', 'tiering:high_end']),
  /** Target customers with current AUM at or above this instead of segments. */
  minAum: z.number().nonnegative().optional(),
  channel: channelKindSchema.default('sms'),
  waitDays: z.number().int().min(1).max(30).default(2),
  trigger: z.enum(['start', 'api']).default('start'),
});

export const REMINDER_TYPE = 'test-reminder';
export const SCRIPTED_TYPE = 'test-scripted';

export const reminderCampaignType = defineCampaignType({
  parameters: reminderParametersSchema,
  plan: (parameters): CampaignPlanInput => ({
    audience: parameters.minAum === undefined ? { segments: parameters.segments } : { rule: { attribute: 'assets.currentAum', op: 'gte', value: parameters.minAum } },
    journey: [
      { id: 'invite', type: 'send', channel: parameters.channel, template: { id: 'reminder.invite', text: { 'zh-CN': '尊敬的{{name}}，诚邀您参加活动。', en: 'Dear {{name}}, you are invited.' } } },
      { id: 'pause', type: 'wait', duration: { days: parameters.waitDays } },
      { id: 'reminder', type: 'send', channel: parameters.channel, template: { id: 'reminder.again', text: { 'zh-CN': '活动即将结束。', en: 'The campaign ends soon.' } } },
    ],
    goal: { label: { 'zh-CN': '报名', en: 'Registered' }, windowDays: 30, criterion: { response: 'registered' } },
    triggers: [{ type: parameters.trigger }],
    purpose: 'marketing',
  }),
});

/** A type whose parameters are the plan itself, for scenario tests that need a particular journey. */
export const scriptedCampaignType = defineCampaignType({ parameters: campaignPlanSchema, plan: (plan): CampaignPlanInput => plan });

export const testCampaignsPlugin = definePlugin({
  id: 'test-campaigns',
  version: '0.1.0',
  displayName: { 'zh-CN': '测试活动', en: 'Test campaigns' },
  description: { 'zh-CN': '引擎测试用的活动类型。', en: 'Campaign types for the engine tests.' },
  engines: { kequn: '^1' },
  contributes: {
    campaignTypes: [
      { id: REMINDER_TYPE, label: { 'zh-CN': '邀请与提醒', en: 'Invite and remind' }, description: { 'zh-CN': '邀请、等待、提醒。', en: 'Invite, wait, remind.' } },
      { id: SCRIPTED_TYPE, label: { 'zh-CN': '脚本旅程', en: 'Scripted journey' }, description: { 'zh-CN': '参数即计划。', en: 'The parameters are the plan.' } },
    ],
  },
  activate(context) {
    context.campaignTypes.register(REMINDER_TYPE, reminderCampaignType);
    context.campaignTypes.register(SCRIPTED_TYPE, scriptedCampaignType);
  },
});

/** A marketing grant on each channel, replacing whatever marketing consents the customer had. */
export function withMarketingConsent(customer: Customer, channels: readonly ChannelKind[], recordedAt = '2026-01-05T09:00:00+08:00'): Customer {
  return {
    ...customer,
    doNotContact: false,
    consents: [...customer.consents.filter((consent) => consent.purpose !== 'marketing'), ...channels.map((channel) => ({ channel, purpose: 'marketing' as const, granted: true, recordedAt }))],
  };
}

/** The synthetic bank's customers, as the child process of the kill test rebuilds them too. */
export function syntheticCustomers(seed: number, size: number, adjust: (customer: Customer, index: number) => Customer = (customer) => customer): Customer[] {
  return [...createSyntheticBank({ seed, customers: size }).customers()].map(adjust);
}

/** A kernel with tiering and the test campaign types, its customer model loaded with `customers`. */
export function testKernelWith(customers: readonly Customer[]): Promise<TestKernel> {
  return createTestKernel({ plugins: [tieringPlugin, testCampaignsPlugin], customers });
}

export interface Bank {
  readonly customers: readonly Customer[];
  readonly test: TestKernel;
  readonly store: SqlStore;
  readonly engine: CampaignEngine;
  /** The engine's clock; set `clock.now` to move it. */
  readonly clock: { now: string };
  byId(customerId: string): Customer;
  dispose(): Promise<void>;
}

export interface BankOptions {
  customers: readonly Customer[];
  /** An open store; a fresh in-memory SQLite store when absent. */
  store?: SqlStore;
  /** Leave the store's customer table alone (it already holds them). */
  skipUpsert?: boolean;
  now?: string;
  /** A test kernel already loaded with these customers, shared between banks and not disposed. */
  kernel?: TestKernel;
  engine?: Omit<Partial<CampaignEngineOptions>, 'kernel' | 'store' | 'model' | 'now'>;
}

export async function openBank(options: BankOptions): Promise<Bank> {
  const test = options.kernel ?? (await testKernelWith(options.customers));
  const store = options.store ?? (await openSqliteStore({ path: ':memory:' }));
  if (options.skipUpsert !== true) await store.customers.upsert(options.customers);
  const clock = { now: options.now ?? MONDAY_10 };
  const engine = await createCampaignEngine({ ...options.engine, kernel: test.kernel, store, model: test.model, now: () => clock.now });
  const index = new Map(options.customers.map((customer) => [customer.id, customer]));
  return {
    customers: options.customers,
    test,
    store,
    engine,
    clock,
    byId(customerId) {
      const customer = index.get(customerId);
      if (customer === undefined) throw new Error(`no customer ${customerId} in this test bank`);
      return customer;
    },
    async dispose() {
      await engine.dispose();
      await store.close();
      if (options.kernel === undefined) await test.dispose();
    },
  };
}

/** Creates, submits, approves and starts a campaign (maker and checker differ). */
export async function launch(engine: CampaignEngine, input: CampaignInput): Promise<void> {
  await engine.create(input, MAKER);
  await engine.submit(input.id, MAKER);
  await engine.approve(input.id, CHECKER);
  await engine.start(input.id, CHECKER);
}

export interface OutboxRow {
  id: string;
  campaignId: string;
  customerId: string;
  stepId: string;
  channel: string;
  createdMs: number;
}

/** Every outbox message, read straight from the table. */
export async function outboxRows(store: SqlStore): Promise<OutboxRow[]> {
  const rows = await store.sql.query('SELECT id, customer_id, channel, created_ms FROM outbox ORDER BY id');
  return rows.map((row) => {
    const id = String(row['id']);
    const [campaignId = '', , stepId = ''] = id.split(':');
    return { id, campaignId, customerId: String(row['customer_id']), stepId, channel: String(row['channel']), createdMs: Number(row['created_ms']) };
  });
}

export interface StepRunRow {
  campaignId: string;
  customerId: string;
  stepId: string;
  outcome: StepOutcome;
  channel: string | null;
  atMs: number;
  detail: Record<string, unknown>;
}

export async function stepRunRows(store: SqlStore, campaignId?: string): Promise<StepRunRow[]> {
  const rows =
    campaignId === undefined
      ? await store.sql.query('SELECT * FROM campaign_step_runs ORDER BY campaign_id, customer_id, step_id')
      : await store.sql.query('SELECT * FROM campaign_step_runs WHERE campaign_id = $1 ORDER BY customer_id, step_id', [campaignId]);
  return rows.map((row) => {
    const detail: unknown = typeof row['detail'] === 'string' ? JSON.parse(row['detail']) : row['detail'];
    return {
      campaignId: String(row['campaign_id']),
      customerId: String(row['customer_id']),
      stepId: String(row['step_id']),
      outcome: String(row['outcome']) as StepOutcome,
      channel: row['channel'] === null ? null : String(row['channel']),
      atMs: Number(row['at_ms']),
      detail: typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {},
    };
  });
}

/** The reason codes of a suppressed step run. */
export function reasonCodes(run: StepRunRow): string[] {
  const reasons = run.detail['reasons'];
  return Array.isArray(reasons) ? reasons.map((reason: unknown) => (typeof reason === 'object' && reason !== null ? String((reason as { code?: unknown }).code) : '')) : [];
}

export async function enrolmentsOf(engine: CampaignEngine, campaignId: string): Promise<Enrolment[]> {
  const all: Enrolment[] = [];
  let after = '';
  for (;;) {
    const page = await engine.campaigns.enrolmentPage(campaignId, after, 1_000);
    all.push(...page);
    const last = page.at(-1);
    if (last === undefined || page.length < 1_000) return all;
    after = last.customerId;
  }
}

/** The world of the kill-and-restart test, shared by the test and its child process. */
export const KILL_TEST = {
  seed: 23,
  customers: 1_000,
  batchSize: 20,
  campaignId: 'exactly-once',
  from: MONDAY_10,
  until: '2026-11-10T10:00:00+08:00',
} as const;
