// Journeys that listen: a wait until the customer responds (woken by the response it waits for,
// not by any other), branches on the response, an exit as soon as the goal is met, and referrals
// whose reward waits on the referee's qualification.
import type { Customer } from '@kequn/core';
import { openSqliteStore } from '@kequn/store-sqlite';
import type { TestKernel } from '@kequn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignError } from '../src/index.js';
import { MONDAY_10, REMINDER_TYPE, SCRIPTED_TYPE, launch, openBank, outboxRows, stepRunRows, syntheticCustomers, testKernelWith, withMarketingConsent, type Bank } from './fixtures.js';

const ms = (instant: string) => Date.parse(instant);
const DAY_MS = 86_400_000;
const text = (words: string) => ({ 'zh-CN': words, en: words });

function sendStep(id: string) {
  return { id, type: 'send', channel: 'sms', template: { id, text: text(id) } };
}

describe('journeys that wait for the customer', () => {
  const customers: Customer[] = syntheticCustomers(81, 300, (customer) => withMarketingConsent(customer, ['sms', 'phone']));
  let kernel: TestKernel;
  const opened: Bank[] = [];
  const newBank = async (): Promise<Bank> => {
    const bank = await openBank({ customers, kernel, store: await openSqliteStore({ path: ':memory:' }) });
    opened.push(bank);
    return bank;
  };
  beforeAll(async () => {
    kernel = await testKernelWith(customers);
  });
  afterAll(async () => {
    for (const bank of opened) await bank.dispose();
    await kernel.dispose();
  });

  /** Launches a scripted campaign at MONDAY_10 and enrols these customers (all treated). */
  async function scripted(bank: Bank, id: string, plan: Record<string, unknown>, enrolled: readonly Customer[]): Promise<void> {
    bank.clock.now = MONDAY_10;
    await launch(bank.engine, { id, type: SCRIPTED_TYPE, name: text(id), parameters: { audience: { rule: { attribute: 'assets.currentAum', op: 'gte', value: 0 } }, triggers: [{ type: 'api' }], ...plan }, experiment: { holdout: 0 } });
    await bank.engine.enrol(id, enrolled.map((customer) => customer.id), { source: 'api' });
  }

  const messagesOf = async (bank: Bank, campaignId: string) => {
    const rows = (await outboxRows(bank.store)).filter((row) => row.campaignId === campaignId);
    const byCustomer = new Map<string, Record<string, number>>();
    for (const row of rows) byCustomer.set(row.customerId, { ...byCustomer.get(row.customerId), [row.stepId]: row.createdMs });
    return byCustomer;
  };

  it('wakes a wait-until-response on the awaited response and branches on it; others wait for the timeout', async () => {
    const bank = await newBank();
    const [registers, silent, clicks] = customers;
    if (registers === undefined || silent === undefined || clicks === undefined) throw new Error('too few customers');
    await scripted(
      bank,
      'salon',
      {
        journey: [
          sendStep('invite'),
          { id: 'wait-reply', type: 'wait', until: { responses: ['registered'], timeout: { days: 5 } } },
          { id: 'registered', type: 'branch', if: { responded: ['registered'] }, then: 'confirm', else: 'nudge' },
          sendStep('nudge'),
          { id: 'stop', type: 'exit' },
          sendStep('confirm'),
        ],
        goal: { label: text('attended'), windowDays: 30, criterion: { response: 'attended' } },
      },
      [registers, silent, clicks],
    );
    await bank.engine.runDue({ now: MONDAY_10 });
    const tuesday = '2026-11-03T11:00:00+08:00';
    await bank.engine.recordResponse({ campaignId: 'salon', customerId: registers.id, kind: 'registered', stepId: 'invite', at: tuesday });
    // A click is a response, but not the one the wait is for: the customer keeps waiting.
    await bank.engine.recordResponse({ campaignId: 'salon', customerId: clicks.id, kind: 'clicked', at: tuesday });
    expect((await bank.engine.campaigns.getEnrolment('salon', registers.id))?.nextRunMs).toBe(ms(tuesday));
    expect((await bank.engine.campaigns.getEnrolment('salon', clicks.id))?.nextRunMs).toBe(ms(MONDAY_10) + 5 * DAY_MS);

    await bank.engine.runUntil('2026-11-10T00:00:00+08:00', { from: tuesday });
    const timeout = ms(MONDAY_10) + 5 * DAY_MS;
    const messages = await messagesOf(bank, 'salon');
    expect(messages.get(registers.id)).toEqual({ invite: ms(MONDAY_10), confirm: ms(tuesday) });
    expect(messages.get(silent.id)).toEqual({ invite: ms(MONDAY_10), nudge: timeout });
    expect(messages.get(clicks.id)).toEqual({ invite: ms(MONDAY_10), nudge: timeout });

    const runs = await stepRunRows(bank.store, 'salon');
    const taken = (customerId: string) => runs.find((run) => run.customerId === customerId && run.stepId === 'registered')?.detail['taken'];
    expect(taken(registers.id)).toBe('confirm');
    expect(taken(silent.id)).toBe('nudge');
    expect(runs.some((run) => run.customerId === registers.id && run.stepId === 'stop')).toBe(false);
    expect(runs.some((run) => run.customerId === silent.id && run.stepId === 'stop' && run.outcome === 'exited')).toBe(true);
    for (const customer of [registers, silent, clicks]) expect((await bank.engine.campaigns.getEnrolment('salon', customer.id))?.state).toBe('done');
  });

  it('does not cut a fixed wait short when a response arrives', async () => {
    const bank = await newBank();
    const [clicker] = customers;
    if (clicker === undefined) throw new Error('too few customers');
    await scripted(
      bank,
      'fixed-wait',
      { journey: [sendStep('invite'), { id: 'pause', type: 'wait', duration: { days: 2 } }, sendStep('reminder')], goal: { label: text('registered'), windowDays: 30, criterion: { response: 'registered' } } },
      [clicker],
    );
    await bank.engine.runDue({ now: MONDAY_10 });
    await bank.engine.recordResponse({ campaignId: 'fixed-wait', customerId: clicker.id, kind: 'clicked', at: '2026-11-02T12:00:00+08:00' });
    await bank.engine.runUntil('2026-11-06T00:00:00+08:00', { from: '2026-11-02T12:00:00+08:00' });
    expect((await messagesOf(bank, 'fixed-wait')).get(clicker.id)).toEqual({ invite: ms(MONDAY_10), reminder: ms(MONDAY_10) + 2 * DAY_MS });
  });

  it('leaves the journey when the goal is met (exitOnGoal): no reminder to someone who converted', async () => {
    const bank = await newBank();
    bank.clock.now = MONDAY_10;
    await launch(bank.engine, { id: 'register-now', type: REMINDER_TYPE, name: text('register'), parameters: { trigger: 'api', waitDays: 3 }, experiment: { holdout: 0 } });
    const enrolled = customers.slice(0, 6);
    await bank.engine.enrol('register-now', enrolled.map((customer) => customer.id), { source: 'api' });
    await bank.engine.runDue({ now: MONDAY_10 });
    const converted = enrolled.slice(0, 2);
    for (const customer of converted) await bank.engine.recordResponse({ campaignId: 'register-now', customerId: customer.id, kind: 'registered', at: '2026-11-03T09:30:00+08:00' });
    // Recording the same response twice keeps it once.
    await bank.engine.recordResponse({ campaignId: 'register-now', customerId: enrolled[0]?.id ?? '', kind: 'registered', at: '2026-11-03T09:30:00+08:00' });
    expect((await bank.engine.campaigns.responsesOf('register-now')).length).toBe(2);

    await bank.engine.runUntil('2026-11-10T00:00:00+08:00', { from: '2026-11-03T09:30:00+08:00' });
    const messages = await messagesOf(bank, 'register-now');
    for (const customer of enrolled) {
      const enrolment = await bank.engine.campaigns.getEnrolment('register-now', customer.id);
      const didConvert = converted.includes(customer);
      expect(enrolment?.exitReason).toBe(didConvert ? 'goal' : 'completed');
      expect(Object.keys(messages.get(customer.id) ?? {}).sort()).toEqual(didConvert ? ['invite'] : ['invite', 'reminder']);
    }
  });

  it('rewards a referrer once the referee qualifies (recordReferral + referral goal)', async () => {
    const bank = await newBank();
    const rich = customers.filter((customer) => customer.assets.currentAum >= 80_000);
    const poor = customers.filter((customer) => customer.assets.currentAum < 20_000);
    const [qualifiedReferee, referrerA, referrerB, referrerC] = [rich[0], rich[1], rich[2], rich[3]];
    const [unqualifiedReferee] = poor;
    if (qualifiedReferee === undefined || referrerA === undefined || referrerB === undefined || referrerC === undefined || unqualifiedReferee === undefined) throw new Error('too few customers');
    await scripted(
      bank,
      'bring-a-friend',
      {
        journey: [
          sendStep('invite'),
          { id: 'give-time', type: 'wait', duration: { days: 3 } },
          { id: 'qualified', type: 'branch', if: { goalMet: true }, then: null, else: 'call' },
          { id: 'call', type: 'task', task: 'call', toolkit: { script: text('请问您身边是否有朋友需要理财服务？') } },
        ],
        goal: { label: text('referee qualified'), windowDays: 60, criterion: { referral: { refereeAumAtLeast: 50_000 } } },
      },
      [referrerA, referrerB, referrerC],
    );
    await bank.engine.runDue({ now: MONDAY_10 });
    await bank.engine.recordReferral({ campaignId: 'bring-a-friend', referrerId: referrerA.id, refereeId: qualifiedReferee.id, at: '2026-11-03T10:00:00+08:00' });
    await bank.engine.recordReferral({ campaignId: 'bring-a-friend', referrerId: referrerA.id, refereeId: qualifiedReferee.id, at: '2026-11-04T10:00:00+08:00' });
    await bank.engine.recordReferral({ campaignId: 'bring-a-friend', referrerId: referrerB.id, refereeId: unqualifiedReferee.id, at: '2026-11-03T10:00:00+08:00' });
    const referrals = await bank.engine.campaigns.responsesOf('bring-a-friend');
    expect(referrals.map((row) => [row.customerId, row.kind, row.reference])).toEqual([
      [referrerA.id, 'referred', qualifiedReferee.id],
      [referrerB.id, 'referred', unqualifiedReferee.id],
    ]);
    // Only enrolled customers' responses count.
    await expect(bank.engine.recordReferral({ campaignId: 'bring-a-friend', referrerId: qualifiedReferee.id, refereeId: referrerA.id })).rejects.toBeInstanceOf(CampaignError);

    await bank.engine.runUntil('2026-11-10T00:00:00+08:00', { from: '2026-11-03T10:00:00+08:00' });
    const reasons = new Map<string, string | null>();
    for (const customer of [referrerA, referrerB, referrerC]) reasons.set(customer.id, (await bank.engine.campaigns.getEnrolment('bring-a-friend', customer.id))?.exitReason ?? null);
    expect(Object.fromEntries(reasons)).toEqual({ [referrerA.id]: 'goal', [referrerB.id]: 'completed', [referrerC.id]: 'completed' });

    const messages = await outboxRows(bank.store);
    const calls = messages.filter((row) => row.stepId === 'call');
    expect(calls.map((row) => [row.customerId, row.channel]).sort()).toEqual([
      [referrerB.id, 'phone'],
      [referrerC.id, 'phone'],
    ].sort());
    const task = await bank.store.outbox.get(calls[0]?.id ?? '');
    expect(task?.payload).toMatchObject({ kind: 'task', data: { task: 'call' } });
  });
});
