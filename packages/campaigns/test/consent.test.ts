// No customer without a live marketing grant for a channel is ever sent a marketing message on it,
// whatever their consent history (granted, withdrawn, expired, missing, recorded later) and
// do-not-contact flag — and everyone who has one is sent exactly one, so the check is not vacuous.
import type { ChannelKind, Consent, ContactPurpose, Customer } from '@kequn/core';
import type { TestKernel } from '@kequn/testing';
import fc from 'fast-check';
import { openSqliteStore } from '@kequn/store-sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPTED_TYPE, launch, openBank, outboxRows, reasonCodes, stepRunRows, syntheticCustomers, testKernelWith } from './fixtures.js';

const DAY_MS = 86_400_000;
/** A Tuesday morning: no time rule is in the way, only consent and do-not-contact. */
const NOW = '2026-11-03T10:00:00+08:00';
const NOW_MS = Date.parse(NOW);
const CHANNELS = ['sms', 'wecom'] as const;

/** The rule under test, written from the consent requirements rather than from the policy's code. */
function liveMarketingGrant(consents: readonly Consent[], channel: ChannelKind, atMs: number): boolean {
  let latest: Consent | undefined;
  for (const consent of consents) {
    if (consent.channel !== channel || consent.purpose !== 'marketing') continue;
    if (Date.parse(consent.recordedAt) > atMs) continue;
    if (latest === undefined || Date.parse(consent.recordedAt) >= Date.parse(latest.recordedAt)) latest = consent;
  }
  if (latest?.granted !== true) return false;
  return latest.expiresAt === undefined || Date.parse(latest.expiresAt) > atMs;
}

const instant = (offsetDays: number) => new Date(NOW_MS + offsetDays * DAY_MS).toISOString();

const consentArbitrary: fc.Arbitrary<Consent> = fc
  .record({
    channel: fc.constantFrom<ChannelKind>('sms', 'sms', 'wecom', 'wecom', 'app_push'),
    purpose: fc.constantFrom<ContactPurpose>('marketing', 'marketing', 'marketing', 'service', 'transactional'),
    granted: fc.boolean(),
    // Mostly in the past; now and then recorded after the send (not yet in force).
    recordedDays: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -800, max: -1 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, 30) }),
    expiresDays: fc.option(fc.oneof(fc.integer({ min: -400, max: 400 }), fc.constantFrom(0, 0.0001)), { nil: undefined }),
  })
  .map(({ channel, purpose, granted, recordedDays, expiresDays }) => ({
    channel,
    purpose,
    granted,
    recordedAt: instant(recordedDays),
    ...(expiresDays === undefined ? {} : { expiresAt: instant(expiresDays) }),
  }));

const contactStateArbitrary = fc.record({ consents: fc.array(consentArbitrary, { maxLength: 5 }), doNotContact: fc.integer({ min: 0, max: 99 }).map((draw) => draw < 15) });

const plan = {
  audience: { rule: { attribute: 'assets.currentAum', op: 'gte', value: 0 } },
  journey: [
    { id: 'sms-offer', type: 'send', channel: 'sms', template: { id: 'offer.sms', text: { 'zh-CN': '理财新品。回复TD退订', en: 'New product. Reply TD to unsubscribe.' } } },
    { id: 'wecom-offer', type: 'send', channel: 'wecom', template: { id: 'offer.wecom', text: { 'zh-CN': '理财新品', en: 'New product' } } },
  ],
  goal: { label: { 'zh-CN': '购买', en: 'Purchase' }, windowDays: 30, criterion: { purchase: {} } },
  triggers: [{ type: 'api' }],
  purpose: 'marketing',
};

async function runCampaign(kernel: TestKernel, customers: readonly Customer[]) {
  const bank = await openBank({ customers, kernel, store: await openSqliteStore({ path: ':memory:' }), now: NOW });
  try {
    await launch(bank.engine, { id: 'consent-check', type: SCRIPTED_TYPE, name: { 'zh-CN': '授权', en: 'Consent' }, parameters: plan, experiment: { holdout: 0 } });
    await bank.engine.enrol('consent-check', customers.map((customer) => customer.id), { source: 'api' });
    await bank.engine.runDue({ now: NOW });
    return { messages: await outboxRows(bank.store), runs: await stepRunRows(bank.store, 'consent-check') };
  } finally {
    await bank.dispose();
  }
}

function expectPolicyHeld(customers: readonly Customer[], result: Awaited<ReturnType<typeof runCampaign>>): { sent: number; refused: number } {
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  const sent = new Set(result.messages.map((message) => `${message.customerId}|${message.channel}`));
  expect(sent.size).toBe(result.messages.length);
  for (const message of result.messages) {
    const customer = byId.get(message.customerId);
    expect(customer?.doNotContact, `${message.customerId} is do-not-contact`).toBe(false);
    expect(liveMarketingGrant(customer?.consents ?? [], message.channel as ChannelKind, NOW_MS), `${message.customerId} has no live ${message.channel} marketing grant`).toBe(true);
  }
  let refused = 0;
  for (const customer of customers) {
    for (const channel of CHANNELS) {
      const allowed = !customer.doNotContact && liveMarketingGrant(customer.consents, channel, NOW_MS);
      expect(sent.has(`${customer.id}|${channel}`), `${customer.id} on ${channel}`).toBe(allowed);
      const run = result.runs.find((candidate) => candidate.customerId === customer.id && candidate.channel === channel);
      expect(run?.outcome).toBe(allowed ? 'sent' : 'suppressed');
      if (allowed || run === undefined) continue;
      refused += 1;
      const codes = reasonCodes(run);
      expect(codes.length).toBeGreaterThan(0);
      for (const code of codes) expect(['consent_missing', 'consent_expired', 'do_not_contact']).toContain(code);
      expect(codes.includes('do_not_contact')).toBe(customer.doNotContact);
    }
  }
  return { sent: result.messages.length, refused };
}

describe('consent: no marketing message without a live grant', () => {
  const base = syntheticCustomers(5, 24);
  let kernel: TestKernel;
  beforeAll(async () => {
    kernel = await testKernelWith(base);
  });
  afterAll(() => kernel.dispose());

  it('holds for random consent histories and do-not-contact flags (property)', async () => {
    let sentTotal = 0;
    let refusedTotal = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(contactStateArbitrary, { minLength: base.length, maxLength: base.length }), async (states) => {
        const customers = base.map((customer, index) => ({ ...customer, ...states[index] }));
        const { sent, refused } = expectPolicyHeld(customers, await runCampaign(kernel, customers));
        sentTotal += sent;
        refusedTotal += refused;
      }),
      { numRuns: 30, seed: 20261103 },
    );
    // Both sides of the rule were exercised.
    expect(sentTotal).toBeGreaterThan(50);
    expect(refusedTotal).toBeGreaterThan(50);
  });

  it('holds for the synthetic bank consents as generated', async () => {
    const customers = syntheticCustomers(31, 300);
    const shared = await testKernelWith(customers);
    try {
      const { sent, refused } = expectPolicyHeld(customers, await runCampaign(shared, customers));
      expect(sent).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    } finally {
      await shared.dispose();
    }
  });
});
