// Triggers: segment entry and tier upgrades enrol through kernel events once `engine.listen()` is
// on; bank events through `engine.trigger`; schedule dates once each; a failing trigger is reported,
// never thrown into the emitter.
import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignPlanInput } from '../src/index.js';
import { launch, openBank, SCRIPTED_TYPE, syntheticCustomers, withMarketingConsent, type Bank } from './fixtures.js';

const journey: CampaignPlanInput['journey'] = [
  { id: 'hello', type: 'send', channel: 'sms', template: { id: 'hello', text: { 'zh-CN': '您好', en: 'Hello' } } },
];
const goal: CampaignPlanInput['goal'] = { label: { 'zh-CN': '到访', en: 'Reached' }, windowDays: 30, criterion: { response: 'reached' } };

function plan(triggers: CampaignPlanInput['triggers'], segments: string[] = ['tiering:potential', 'tiering:effective', 'tiering:mid']): CampaignPlanInput {
  return { audience: { segments }, journey, goal, triggers, purpose: 'marketing' };
}

async function settle(): Promise<void> {
  for (let round = 0; round < 20; round++) await new Promise((resolve) => setTimeout(resolve, 5));
}

let bank: Bank | undefined;
afterEach(async () => {
  await bank?.dispose();
  bank = undefined;
});

async function openTestBank(): Promise<Bank> {
  bank = await openBank({ customers: syntheticCustomers(11, 400, (customer) => withMarketingConsent(customer, ['sms'])) });
  return bank;
}

async function enrolledIds(bank: Bank, campaignId: string): Promise<string[]> {
  const rows = await bank.store.sql.query('SELECT customer_id FROM campaign_enrolments WHERE campaign_id = $1 ORDER BY customer_id', [campaignId]);
  return rows.map((row) => String(row['customer_id']));
}

describe('campaign triggers', () => {
  it('enrols customers entering an audience segment, and only those in the audience', async () => {
    const { engine, test } = await openTestBank();
    await launch(engine, { id: 'on-entry', type: SCRIPTED_TYPE, name: { 'zh-CN': '入群', en: 'On entry' }, parameters: plan([{ type: 'segment_entry', segments: ['tiering:mid'] }]), experiment: { holdout: 0 } });
    expect(await enrolledIds(bank as Bank, 'on-entry')).toEqual([]);
    const listening = engine.listen();
    const mid = [...(await test.model.evaluate('tiering')).get('mid') ?? []].slice(0, 3).map((row) => test.model.table.idAt(row));
    const privateTier = [...(await test.model.evaluate('tiering')).get('private') ?? []].slice(0, 1).map((row) => test.model.table.idAt(row));
    expect(mid.length).toBe(3);
    test.kernel.events.emit('segment.membershipChanged', { strategyId: 'tiering', segmentId: 'mid', entered: [...mid, ...privateTier], exited: [] });
    // A segment no trigger names enrols nobody.
    test.kernel.events.emit('segment.membershipChanged', { strategyId: 'tiering', segmentId: 'effective', entered: ['C000000001'], exited: [] });
    await settle();
    expect(await enrolledIds(bank as Bank, 'on-entry')).toEqual([...mid].sort());
    await listening.dispose();
    test.kernel.events.emit('segment.membershipChanged', { strategyId: 'tiering', segmentId: 'mid', entered: ['C000000002'], exited: [] });
    await settle();
    expect(await enrolledIds(bank as Bank, 'on-entry')).toEqual([...mid].sort());
  });

  it('enrols on tier upgrades, not on downgrades', async () => {
    const { engine, test } = await openTestBank();
    await launch(engine, { id: 'on-upgrade', type: SCRIPTED_TYPE, name: { 'zh-CN': '升级', en: 'Upgrade' }, parameters: plan([{ type: 'event', event: 'tier_upgrade' }], ['tiering:mid', 'tiering:high_end', 'tiering:private', 'tiering:effective']), experiment: { holdout: 0 } });
    engine.listen();
    const members = [...(await test.model.evaluate('tiering')).get('mid') ?? []].slice(0, 2).map((row) => test.model.table.idAt(row));
    const [up, down] = members as [string, string];
    test.kernel.events.emit('tier.changed', { customerId: up, from: 'effective', to: 'mid', direction: 'upgrade', basis: 60_000, asOf: '2026-10-31' });
    test.kernel.events.emit('tier.changed', { customerId: down, from: 'high_end', to: 'mid', direction: 'downgrade', basis: 60_000, asOf: '2026-10-31' });
    await settle();
    expect(await enrolledIds(bank as Bank, 'on-upgrade')).toEqual([up]);
  });

  it('enrols bank events through trigger(), schedule dates once each', async () => {
    const { engine, clock } = await openTestBank();
    await launch(engine, { id: 'on-maturity', type: SCRIPTED_TYPE, name: { 'zh-CN': '到期', en: 'Maturity' }, parameters: plan([{ type: 'event', event: 'maturity' }]), experiment: { holdout: 0 } });
    const audience = await engine.audience('on-maturity');
    expect(await engine.trigger('maturity', [audience[0] as string, 'C999999999'])).toBe(1);
    expect(await engine.trigger('purchase', [audience[1] as string])).toBe(0);

    await launch(engine, { id: 'seasonal', type: SCRIPTED_TYPE, name: { 'zh-CN': '季度', en: 'Seasonal' }, parameters: plan([{ type: 'schedule', dates: ['2026-11-03', '2026-11-10'] }]), experiment: { holdout: 0 } });
    expect((await engine.runDue({ now: '2026-11-02T10:00:00+08:00' })).enrolled).toBe(0);
    clock.now = '2026-11-03T10:00:00+08:00';
    expect((await engine.runDue({ now: clock.now })).enrolled).toBe(audience.length);
    expect((await engine.runDue({ now: clock.now })).enrolled).toBe(0);
    expect((await engine.get('seasonal')).scheduledDatesDone).toEqual(['2026-11-03']);
  });

  it('sees a customer who has just changed: the audience is worked out again after an upsert', async () => {
    const { engine, test } = await openTestBank();
    await launch(engine, { id: 'after-change', type: SCRIPTED_TYPE, name: { 'zh-CN': '变化', en: 'Changed' }, parameters: plan([{ type: 'event', event: 'maturity' }], ['tiering:mid']), experiment: { holdout: 0 } });
    const tiers = await test.model.evaluate('tiering');
    const [outsiderRow] = [...(tiers.get('potential') ?? [])];
    const [midRow] = [...(tiers.get('mid') ?? [])];
    if (outsiderRow === undefined || midRow === undefined) throw new Error('fixture: a potential and a mid customer');
    const outsider = test.model.table.idAt(outsiderRow);
    const midCustomer = bank?.customers.find((customer) => customer.id === test.model.table.idAt(midRow));
    const before = bank?.customers.find((customer) => customer.id === outsider);
    if (midCustomer === undefined || before === undefined) throw new Error('fixture: the customers behind the rows');
    // Not in the audience yet: the trigger enrols nobody (and the engine remembers the audience).
    expect(await engine.trigger('maturity', [outsider])).toBe(0);
    // The customer's balances grow to a mid customer's: the model says so, and the next trigger sees it.
    test.model.upsert({ ...before, assets: midCustomer.assets });
    expect(await engine.trigger('maturity', [outsider])).toBe(1);
    expect(await enrolledIds(bank as Bank, 'after-change')).toEqual([outsider]);
  });

  it('reports a trigger that cannot enrol as campaign.triggerFailed instead of throwing', async () => {
    const { engine, test } = await openTestBank();
    await launch(engine, { id: 'broken', type: SCRIPTED_TYPE, name: { 'zh-CN': '坏', en: 'Broken' }, parameters: plan([{ type: 'segment_entry', segments: ['tiering:mid'] }], ['tiering:mid']), experiment: { holdout: 0 } });
    const failures: string[] = [];
    test.kernel.events.on('campaign.triggerFailed', (failure) => void failures.push(`${failure.source}: ${failure.error.message}`));
    engine.listen();
    // The store goes away under the listener: the enrolment fails and is reported.
    await (bank as Bank).store.close();
    test.kernel.events.emit('segment.membershipChanged', { strategyId: 'tiering', segmentId: 'mid', entered: ['C000000003'], exited: [] });
    await settle();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^segment_entry: /);
  });
});

describe('campaign scope', () => {
  it('limits a branch campaign to its branch, and runDue({ campaignIds }) to the named campaigns', async () => {
    const { engine, store } = await openTestBank();
    const all = await (async () => {
      await launch(engine, { id: 'bank-wide', type: SCRIPTED_TYPE, name: { 'zh-CN': '全行', en: 'Bank-wide' }, parameters: plan([{ type: 'start' }]), experiment: { holdout: 0 } });
      return enrolledIds(bank as Bank, 'bank-wide');
    })();
    const branchOf = new Map((bank as Bank).customers.map((customer) => [customer.id, customer.branchId]));
    const branchId = branchOf.get(all[0] as string) as string;
    await launch(engine, { id: 'one-branch', type: SCRIPTED_TYPE, name: { 'zh-CN': '支行', en: 'Branch' }, parameters: plan([{ type: 'start' }]), experiment: { holdout: 0 }, branchId });
    const branchOnly = await enrolledIds(bank as Bank, 'one-branch');
    expect(branchOnly.length).toBeGreaterThan(0);
    expect(branchOnly.length).toBeLessThan(all.length);
    expect(branchOnly.every((id) => branchOf.get(id) === branchId)).toBe(true);
    expect(branchOnly).toEqual(all.filter((id) => branchOf.get(id) === branchId));

    await engine.runDue({ campaignIds: ['one-branch'] });
    const runs = async (campaignId: string) => Number((await store.sql.query('SELECT COUNT(*) AS n FROM campaign_step_runs WHERE campaign_id = $1', [campaignId]))[0]?.['n']);
    expect(await runs('one-branch')).toBe(branchOnly.length);
    expect(await runs('bank-wide')).toBe(0);
  });
});
