import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ChannelKind, Consent, ContactPurpose } from '@kequn/core';
import {
  createContactPolicy,
  type ContactPolicySettingsInput,
  type ContactRecord,
} from '../src/index.js';
import { customerWith, grant, ordinaryMorning } from './fixtures.js';

const channels: ChannelKind[] = ['sms', 'wecom', 'email', 'app_push', 'phone', 'branch'];
const purposes: ContactPurpose[] = ['marketing', 'service', 'transactional'];
const start = Date.parse('2026-01-01T00:00:00+08:00');
const span = 365 * 86_400_000;

const instant = fc
  .integer({ min: 0, max: span })
  .map((offset) => new Date(start + offset).toISOString());

const consent: fc.Arbitrary<Consent> = fc.record(
  {
    channel: fc.constantFrom(...channels),
    purpose: fc.constantFrom(...purposes),
    granted: fc.boolean(),
    recordedAt: instant,
    expiresAt: instant,
  },
  { requiredKeys: ['channel', 'purpose', 'granted', 'recordedAt'] },
);

const contact: fc.Arbitrary<ContactRecord> = fc.record(
  {
    channel: fc.constantFrom(...channels),
    purpose: fc.constantFrom(...purposes),
    campaignId: fc.constantFrom('A', 'B', 'C'),
    priority: fc.integer({ min: 0, max: 5 }),
    at: instant,
  },
  { requiredKeys: ['channel', 'purpose', 'at'] },
);

const settings = fc.record({
  quietHours: fc.record({ byChannel: fc.constant({ sms: false as const, phone: false as const }) }),
  holidays: fc.record({
    marketingPausedOn: fc.constantFrom('public_holidays', 'non_workdays', 'never' as const),
  }),
  frequencyCaps: fc.constantFrom<ContactPolicySettingsInput['frequencyCaps']>(
    [],
    [{ limit: 100, windowDays: 1 }],
  ),
});

/** The oracle, written independently: the latest marketing record for the channel, as of `at`. */
function hasLiveMarketingConsent(
  consents: readonly Consent[],
  channel: ChannelKind,
  at: string,
): boolean {
  const atMs = Date.parse(at);
  const records = consents
    .map((record, index) => ({ record, index }))
    .filter(({ record }) => record.channel === channel && record.purpose === 'marketing')
    .filter(({ record }) => Date.parse(record.recordedAt) <= atMs)
    .sort(
      (a, b) =>
        Date.parse(a.record.recordedAt) - Date.parse(b.record.recordedAt) || a.index - b.index,
    );
  const latest = records.at(-1)?.record;
  if (latest === undefined || !latest.granted) return false;
  return latest.expiresAt === undefined || Date.parse(latest.expiresAt) > atMs;
}

describe('consent and do-not-contact', () => {
  it('never allow a marketing send without a live marketing grant for the channel, or to a do-not-contact customer', () => {
    fc.assert(
      fc.property(
        settings,
        fc.array(consent, { maxLength: 12 }),
        fc.boolean(),
        fc.constantFrom(...channels),
        instant,
        fc.array(contact, { maxLength: 6 }),
        fc.option(fc.constantFrom('A', 'B', 'C'), { nil: undefined }),
        fc.integer({ min: -3, max: 8 }),
        (policySettings, consents, doNotContact, channel, at, history, campaignId, priority) => {
          const policy = createContactPolicy(policySettings);
          const customer = customerWith(consents, doNotContact);
          const decision = policy.decide({
            customer,
            channel,
            purpose: 'marketing',
            at,
            history,
            priority,
            ...(campaignId === undefined ? {} : { campaignId }),
          });
          if (doNotContact || !hasLiveMarketingConsent(consents, channel, at)) {
            expect(decision.allowed).toBe(false);
            if (!decision.allowed) {
              const codes = decision.reasons.map((reason) => reason.code);
              expect(
                codes.some((code) =>
                  ['do_not_contact', 'consent_missing', 'consent_expired'].includes(code),
                ),
              ).toBe(true);
              expect(decision.retryAt).toBeUndefined();
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('allows marketing with a live grant, and explains an expired one', () => {
    const policy = createContactPolicy();
    const live = customerWith([
      grant('sms', 'marketing', { expiresAt: '2026-03-11T00:00:00+08:00' }),
    ]);
    expect(
      policy.decide({ customer: live, channel: 'sms', purpose: 'marketing', at: ordinaryMorning }),
    ).toEqual({
      allowed: true,
    });
    const later = policy.decide({
      customer: live,
      channel: 'sms',
      purpose: 'marketing',
      at: '2026-03-12T10:00:00+08:00',
    });
    expect(later).toMatchObject({
      allowed: false,
      reasons: [
        {
          code: 'consent_expired',
          detail: { grantPurpose: 'marketing', expiredAt: '2026-03-11T00:00:00+08:00' },
        },
      ],
    });
    expect(later.allowed ? undefined : later.retryAt).toBeUndefined();
  });

  it('needs a grant per channel: SMS consent does not cover WeCom', () => {
    const policy = createContactPolicy();
    const customer = customerWith([grant('sms', 'marketing')]);
    const decision = policy.decide({
      customer,
      channel: 'wecom',
      purpose: 'marketing',
      at: ordinaryMorning,
    });
    expect(decision).toMatchObject({
      allowed: false,
      reasons: [{ code: 'consent_missing', detail: { channel: 'wecom', accepted: ['marketing'] } }],
    });
  });

  it('honours a withdrawal recorded after the grant', () => {
    const policy = createContactPolicy();
    const customer = customerWith([
      grant('sms', 'marketing'),
      grant('sms', 'marketing', { granted: false, recordedAt: '2026-02-01T09:00:00+08:00' }),
    ]);
    const decision = policy.decide({
      customer,
      channel: 'sms',
      purpose: 'marketing',
      at: ordinaryMorning,
    });
    expect(decision).toMatchObject({
      allowed: false,
      reasons: [{ code: 'consent_missing', detail: { withdrawnAt: '2026-02-01T09:00:00+08:00' } }],
    });
    if (!decision.allowed) expect(decision.reasons[0]?.message['zh-CN']).toContain('撤回');
  });

  it('lets a marketing grant cover service, unless service was explicitly withdrawn', () => {
    const policy = createContactPolicy();
    const marketingOnly = customerWith([grant('sms', 'marketing')]);
    expect(
      policy.decide({
        customer: marketingOnly,
        channel: 'sms',
        purpose: 'service',
        at: ordinaryMorning,
      }).allowed,
    ).toBe(true);
    const serviceOptOut = customerWith([
      grant('sms', 'marketing'),
      grant('sms', 'service', { granted: false }),
    ]);
    expect(
      policy.decide({
        customer: serviceOptOut,
        channel: 'sms',
        purpose: 'service',
        at: ordinaryMorning,
      }),
    ).toMatchObject({
      allowed: false,
      reasons: [{ code: 'consent_missing', detail: { accepted: ['service', 'marketing'] } }],
    });
  });

  it('sends transactional messages without consent, despite do-not-contact, but honours a channel opt-out', () => {
    const policy = createContactPolicy();
    const nothing = customerWith([], true);
    expect(
      policy.decide({
        customer: nothing,
        channel: 'sms',
        purpose: 'transactional',
        at: '2026-10-01T23:30:00+08:00',
      }),
    ).toEqual({
      allowed: true,
    });
    const optedOut = customerWith([grant('sms', 'transactional', { granted: false })]);
    expect(
      policy.decide({
        customer: optedOut,
        channel: 'sms',
        purpose: 'transactional',
        at: ordinaryMorning,
      }),
    ).toMatchObject({
      allowed: false,
      reasons: [{ code: 'consent_missing', detail: { purpose: 'transactional' } }],
    });
    expect(
      policy.decide({
        customer: optedOut,
        channel: 'app_push',
        purpose: 'transactional',
        at: ordinaryMorning,
      }).allowed,
    ).toBe(true);
  });

  it('blocks service contact to a do-not-contact customer', () => {
    const policy = createContactPolicy();
    const customer = customerWith([grant('phone', 'service')], true);
    expect(
      policy.decide({ customer, channel: 'phone', purpose: 'service', at: ordinaryMorning }),
    ).toMatchObject({
      allowed: false,
      reasons: [{ code: 'do_not_contact', detail: { purpose: 'service' } }],
    });
  });
});
