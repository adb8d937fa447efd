// The contact policy as the journey engine applies it: quiet hours and holidays (调休 included) put
// sends off to the next allowed instant, frequency caps count across campaigns, the higher-priority
// campaign wins a customer, and every suppression says why — in the step run when it is final, in
// a deferral when waiting lifts it.
import { createContactPolicy, type ContactPolicySettingsInput } from '@kequn/contact-policy';
import type { ChannelKind, ContactPurpose, Customer } from '@kequn/core';
import { openSqliteStore } from '@kequn/store-sqlite';
import type { TestKernel } from '@kequn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPTED_TYPE, launch, openBank, outboxRows, reasonCodes, stepRunRows, syntheticCustomers, testKernelWith, withMarketingConsent, type Bank } from './fixtures.js';

const ms = (instant: string) => Date.parse(instant);

interface CampaignSetup {
  id: string;
  at: string;
  customers: readonly Customer[];
  priority?: number;
  endsOn?: string;
  purpose?: ContactPurpose;
  channel?: ChannelKind;
}

function offerPlan(channel: ChannelKind, purpose: ContactPurpose) {
  return {
    audience: { rule: { attribute: 'assets.currentAum', op: 'gte', value: 0 } },
    journey: [{ id: 'offer', type: 'send', channel, template: { id: 'offer', text: { 'zh-CN': '您好，{{name}}。', en: 'Hello {{name}}.' } } }],
    goal: { label: { 'zh-CN': '回复', en: 'Replied' }, windowDays: 14, criterion: { response: 'replied' } },
    triggers: [{ type: 'api' }],
    purpose,
  };
}

/** Launches a campaign with one send step and enrols the customers at `at`. */
async function campaign(bank: Bank, setup: CampaignSetup): Promise<void> {
  bank.clock.now = setup.at;
  await launch(bank.engine, {
    id: setup.id,
    type: SCRIPTED_TYPE,
    name: { 'zh-CN': setup.id, en: setup.id },
    parameters: offerPlan(setup.channel ?? 'sms', setup.purpose ?? 'marketing'),
    priority: setup.priority ?? 10,
    experiment: { holdout: 0 },
    ...(setup.endsOn === undefined ? {} : { endsOn: setup.endsOn }),
  });
  await bank.engine.enrol(setup.id, setup.customers.map((customer) => customer.id), { source: 'api' });
}

interface DeferralRow {
  campaignId: string;
  customerId: string;
  atMs: number;
  retryMs: number;
  reasons: string[];
}

async function deferrals(bank: Bank, campaignId: string): Promise<DeferralRow[]> {
  const rows = await bank.store.sql.query('SELECT * FROM campaign_deferrals WHERE campaign_id = $1 ORDER BY customer_id, at_ms', [campaignId]);
  return rows.map((row) => ({
    campaignId: String(row['campaign_id']),
    customerId: String(row['customer_id']),
    atMs: Number(row['at_ms']),
    retryMs: Number(row['retry_ms']),
    reasons: (JSON.parse(String(row['reasons'])) as unknown[]).map(String),
  }));
}

async function sentAt(bank: Bank, campaignId: string): Promise<Map<string, number>> {
  return new Map((await outboxRows(bank.store)).filter((row) => row.campaignId === campaignId).map((row) => [row.customerId, row.createdMs]));
}

describe('the contact policy in the journey engine', () => {
  const base = syntheticCustomers(41, 300);
  // Consenting customers with a marketing grant on SMS and phone, and a service grant on SMS.
  const consenting = base.slice(0, 40).map((customer) => {
    const granted = withMarketingConsent(customer, ['sms', 'phone']);
    return { ...granted, consents: [...granted.consents.filter((consent) => consent.purpose !== 'service'), { channel: 'sms' as const, purpose: 'service' as const, granted: true, recordedAt: '2026-01-05T09:00:00+08:00' }] };
  });
  const pick = (from: number, count: number) => consenting.slice(from, from + count);
  let kernel: TestKernel;
  const opened: Bank[] = [];
  const newBank = async (policy?: ContactPolicySettingsInput): Promise<Bank> => {
    const bank = await openBank({
      customers: [...consenting, ...base.slice(40)],
      kernel,
      store: await openSqliteStore({ path: ':memory:' }),
      ...(policy === undefined ? {} : { engine: { policy: createContactPolicy(policy) } }),
    });
    opened.push(bank);
    return bank;
  };
  beforeAll(async () => {
    kernel = await testKernelWith([...consenting, ...base.slice(40)]);
  });
  afterAll(async () => {
    for (const bank of opened) await bank.dispose();
    await kernel.dispose();
  });

  describe('quiet hours and holidays', () => {
    it('defers a send at 22:00 with quiet_hours and sends it at 08:00 the next morning', async () => {
      const bank = await newBank();
      const customers = pick(0, 3);
      await campaign(bank, { id: 'evening', at: '2026-11-02T22:00:00+08:00', customers });
      const first = await bank.engine.runDue({ now: '2026-11-02T22:00:00+08:00' });
      expect(first).toMatchObject({ sent: 0, deferred: 3, suppressed: 0 });
      expect(await outboxRows(bank.store)).toEqual([]);
      const morning = ms('2026-11-03T08:00:00+08:00');
      expect(await deferrals(bank, 'evening')).toEqual(customers.map((customer) => ({ campaignId: 'evening', customerId: customer.id, atMs: ms('2026-11-02T22:00:00+08:00'), retryMs: morning, reasons: ['quiet_hours'] })));
      expect((await bank.engine.campaigns.deferralReasons('evening')).map((row) => row.reasons)).toEqual([['quiet_hours'], ['quiet_hours'], ['quiet_hours']]);

      // Still quiet at 07:59: nothing is due, nothing goes.
      expect(await bank.engine.runDue({ now: '2026-11-03T07:59:00+08:00' })).toMatchObject({ enrolments: 0, sent: 0 });
      await bank.engine.runUntil('2026-11-03T12:00:00+08:00', { from: '2026-11-02T22:00:00+08:00' });
      expect([...(await sentAt(bank, 'evening')).values()]).toEqual([morning, morning, morning]);
      const runs = await stepRunRows(bank.store, 'evening');
      expect(runs.map((run) => [run.outcome, run.atMs])).toEqual([
        ['sent', morning],
        ['sent', morning],
        ['sent', morning],
      ]);
    });

    it('defers marketing on National Day (2026-10-01) with holiday until the first working morning after it', async () => {
      const bank = await newBank();
      const customers = pick(3, 2);
      await campaign(bank, { id: 'golden-week', at: '2026-10-01T10:00:00+08:00', customers });
      expect(await bank.engine.runDue({ now: '2026-10-01T10:00:00+08:00' })).toMatchObject({ sent: 0, deferred: 2 });
      const afterHoliday = ms('2026-10-08T08:00:00+08:00');
      const deferred = await deferrals(bank, 'golden-week');
      expect(deferred.map((row) => [row.reasons, row.retryMs])).toEqual([
        [['holiday'], afterHoliday],
        [['holiday'], afterHoliday],
      ]);
      await bank.engine.runUntil('2026-10-09T00:00:00+08:00', { from: '2026-10-01T10:00:00+08:00' });
      expect([...(await sentAt(bank, 'golden-week')).values()]).toEqual([afterHoliday, afterHoliday]);

      // A service notice is not marketing: the holiday does not pause it.
      await campaign(bank, { id: 'holiday-service', at: '2026-10-02T10:00:00+08:00', customers, purpose: 'service' });
      expect(await bank.engine.runDue({ now: '2026-10-02T10:00:00+08:00' })).toMatchObject({ sent: 2, deferred: 0 });
    });

    it('honours make-up workdays (调休) when marketing pauses on every non-working day', async () => {
      const bank = await newBank({ holidays: { marketingPausedOn: 'non_workdays' } });
      // Saturday 2026-10-10 is a make-up workday for National Day: marketing goes out.
      await campaign(bank, { id: 'make-up-saturday', at: '2026-10-10T10:00:00+08:00', customers: pick(5, 1) });
      expect(await bank.engine.runDue({ now: '2026-10-10T10:00:00+08:00' })).toMatchObject({ sent: 1, deferred: 0 });
      // Sunday 2026-10-11 is a weekend day: deferred to Monday morning.
      await campaign(bank, { id: 'plain-sunday', at: '2026-10-11T10:00:00+08:00', customers: pick(6, 1) });
      expect(await bank.engine.runDue({ now: '2026-10-11T10:00:00+08:00' })).toMatchObject({ sent: 0, deferred: 1 });
      expect((await deferrals(bank, 'plain-sunday')).map((row) => [row.reasons, row.retryMs])).toEqual([[['holiday'], ms('2026-10-12T08:00:00+08:00')]]);
    });
  });

  describe('frequency caps and arbitration across campaigns', () => {
    const oneSmsAWeek: ContactPolicySettingsInput = { frequencyCaps: [{ name: 'one-sms-a-week', channel: 'sms', limit: 1, windowDays: 7 }] };

    it('counts another campaign’s sends against the cap: deferred with frequency_cap until the window frees, final when the campaign ends first', async () => {
      const bank = await newBank(oneSmsAWeek);
      const customers = pick(7, 3);
      await campaign(bank, { id: 'first-offer', at: '2026-11-02T10:00:00+08:00', customers });
      expect(await bank.engine.runDue({ now: '2026-11-02T10:00:00+08:00' })).toMatchObject({ sent: 3 });

      await campaign(bank, { id: 'second-offer', at: '2026-11-04T10:00:00+08:00', customers });
      await campaign(bank, { id: 'short-offer', at: '2026-11-04T10:00:00+08:00', customers: customers.slice(0, 1), endsOn: '2026-11-06' });
      // A transactional message is exempt from marketing caps.
      await campaign(bank, { id: 'statement', at: '2026-11-04T10:00:00+08:00', customers: customers.slice(0, 1), purpose: 'transactional' });
      const second = await bank.engine.runDue({ now: '2026-11-04T10:00:00+08:00' });
      expect(second).toMatchObject({ sent: 1, deferred: 3, suppressed: 1 });

      const freesAt = ms('2026-11-09T10:00:00+08:00');
      expect((await deferrals(bank, 'second-offer')).map((row) => [row.reasons, row.retryMs])).toEqual(customers.map(() => [['frequency_cap'], freesAt]));
      const short = await stepRunRows(bank.store, 'short-offer');
      expect(short.map((run) => [run.outcome, reasonCodes(run)])).toEqual([['suppressed', ['frequency_cap']]]);
      expect(short[0]?.detail['reasons']).toEqual([expect.objectContaining({ code: 'frequency_cap', message: expect.objectContaining({ en: expect.stringContaining('cap of 1') }) })]);
      expect((await sentAt(bank, 'statement')).size).toBe(1);

      await bank.engine.runUntil('2026-11-12T00:00:00+08:00', { from: '2026-11-04T10:00:00+08:00' });
      expect([...(await sentAt(bank, 'second-offer')).values()]).toEqual([freesAt, freesAt, freesAt]);
      expect((await sentAt(bank, 'short-offer')).size).toBe(0);
    });

    it('gives the customer to the higher-priority campaign; the lower one is told higher_priority_campaign', async () => {
      const bank = await newBank();
      const customers = pick(10, 4);
      const [latecomer, lastMinute] = pick(14, 2);
      if (latecomer === undefined || lastMinute === undefined) throw new Error('too few customers');
      // Both due at the same instant: decided within one batch.
      await campaign(bank, { id: 'premium-offer', at: '2026-11-02T10:00:00+08:00', customers: [...customers, latecomer, lastMinute], priority: 50 });
      await campaign(bank, { id: 'basic-offer', at: '2026-11-02T10:00:00+08:00', customers, priority: 10 });
      expect(await bank.engine.runDue({ now: '2026-11-02T10:00:00+08:00' })).toMatchObject({ sent: 6, deferred: 4 });
      expect((await sentAt(bank, 'premium-offer')).size).toBe(6);
      expect((await sentAt(bank, 'basic-offer')).size).toBe(0);
      const nextDay = ms('2026-11-03T10:00:00+08:00');
      expect((await deferrals(bank, 'basic-offer')).map((row) => [row.reasons, row.retryMs])).toEqual(customers.map(() => [['higher_priority_campaign'], nextDay]));

      // Later the same day: decided from the history of sends.
      await campaign(bank, { id: 'afternoon-offer', at: '2026-11-02T15:00:00+08:00', customers: [latecomer], priority: 20 });
      await campaign(bank, { id: 'last-minute', at: '2026-11-02T15:00:00+08:00', customers: [lastMinute], priority: 20, endsOn: '2026-11-02' });
      expect(await bank.engine.runDue({ now: '2026-11-02T15:00:00+08:00' })).toMatchObject({ sent: 0, deferred: 1, suppressed: 1 });
      expect((await deferrals(bank, 'afternoon-offer')).map((row) => row.reasons)).toEqual([['higher_priority_campaign']]);
      const lost = await stepRunRows(bank.store, 'last-minute');
      expect(lost.map((run) => reasonCodes(run))).toEqual([['higher_priority_campaign']]);
      expect(lost[0]?.detail['reasons']).toEqual([expect.objectContaining({ code: 'higher_priority_campaign', message: expect.objectContaining({ en: expect.stringContaining('premium-offer') }) })]);

      await bank.engine.runUntil('2026-11-04T00:00:00+08:00', { from: '2026-11-02T15:00:00+08:00' });
      expect([...(await sentAt(bank, 'basic-offer')).values()]).toEqual(customers.map(() => nextDay));
      expect([...(await sentAt(bank, 'afternoon-offer')).values()]).toEqual([nextDay]);
    });
  });

  describe('suppression reasons', () => {
    it('explains every suppression with its code: final ones in the step run, time-bound ones in a deferral', async () => {
      const bank = await newBank({ frequencyCaps: [{ name: 'one-sms-a-week', channel: 'sms', limit: 1, windowDays: 7 }] });
      const [unconsented, blocked, capped, contested, night, holiday] = pick(20, 6);
      if (unconsented === undefined || blocked === undefined || capped === undefined || contested === undefined || night === undefined || holiday === undefined) throw new Error('too few customers');
      await bank.store.customers.upsert([
        { ...unconsented, consents: unconsented.consents.filter((consent) => !(consent.channel === 'sms' && consent.purpose === 'marketing')) },
        { ...blocked, doNotContact: true },
      ]);
      await campaign(bank, { id: 'holiday-offer', at: '2026-10-01T10:00:00+08:00', customers: [holiday] });
      await bank.engine.runDue({ now: '2026-10-01T10:00:00+08:00' });
      await bank.engine.complete('holiday-offer', { actor: 'ops.zhao' });
      await campaign(bank, { id: 'night-offer', at: '2026-10-20T22:30:00+08:00', customers: [night] });
      await bank.engine.runDue({ now: '2026-10-20T22:30:00+08:00' });
      await bank.engine.complete('night-offer', { actor: 'ops.zhao' });
      await campaign(bank, { id: 'warm-up', at: '2026-11-02T09:00:00+08:00', customers: [capped] });
      await campaign(bank, { id: 'top', at: '2026-11-02T10:00:00+08:00', customers: [contested], priority: 90, channel: 'phone' });
      await campaign(bank, { id: 'everyone', at: '2026-11-02T10:00:00+08:00', customers: [unconsented, blocked, capped, contested], priority: 10, endsOn: '2026-11-02' });
      await bank.engine.runDue({ now: '2026-11-02T09:00:00+08:00' });
      await bank.engine.runDue({ now: '2026-11-02T10:00:00+08:00' });

      const final = new Map((await stepRunRows(bank.store, 'everyone')).map((run) => [run.customerId, reasonCodes(run)]));
      expect(Object.fromEntries(final)).toEqual({
        [unconsented.id]: ['consent_missing'],
        [blocked.id]: ['do_not_contact'],
        [capped.id]: ['frequency_cap'],
        [contested.id]: ['higher_priority_campaign'],
      });
      expect((await deferrals(bank, 'holiday-offer')).map((row) => row.reasons)).toEqual([['holiday']]);
      expect((await deferrals(bank, 'night-offer')).map((row) => row.reasons)).toEqual([['quiet_hours']]);
      // Nothing final was deferred, nothing deferred was sent.
      expect(await deferrals(bank, 'everyone')).toEqual([]);
      expect((await outboxRows(bank.store)).map((row) => row.campaignId).sort()).toEqual(['top', 'warm-up']);
    });
  });
});
