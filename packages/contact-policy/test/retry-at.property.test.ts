import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ChannelKind, ContactPurpose } from '@kequn/core';
import {
  createContactPolicy,
  type ContactPolicySettingsInput,
  timeBoundReasonCodes,
  type ContactRecord,
} from '../src/index.js';
import { consentingCustomer } from './fixtures.js';

const channels: ChannelKind[] = ['sms', 'wecom', 'phone', 'app_push'];
const start = Date.parse('2026-01-01T00:00:00+08:00');
const instant = (days: number) =>
  fc
    .integer({ min: 0, max: days * 86_400_000 })
    .map((offset) => new Date(start + offset).toISOString());

const contact: fc.Arbitrary<ContactRecord> = fc.record(
  {
    channel: fc.constantFrom(...channels),
    purpose: fc.constantFrom<ContactPurpose>('marketing', 'service', 'transactional'),
    campaignId: fc.constantFrom('A', 'B', 'C'),
    priority: fc.integer({ min: 0, max: 5 }),
    at: instant(365),
  },
  { requiredKeys: ['channel', 'purpose', 'at'] },
);

const settings = fc.record({
  quietHours: fc.record({
    window: fc.constantFrom(
      { start: '21:00', end: '08:00' },
      { start: '12:00', end: '14:00' },
      { start: '18:30', end: '09:15' },
    ),
  }),
  holidays: fc.record({
    marketingPausedOn: fc.constantFrom('public_holidays' as const, 'non_workdays' as const),
  }),
  frequencyCaps: fc.constantFrom<ContactPolicySettingsInput['frequencyCaps']>(
    undefined,
    [{ limit: 1, windowDays: 2 }],
    [
      { limit: 2, windowDays: 7, channel: 'sms' as const },
      { limit: 3, windowDays: 0.5, purposes: ['marketing' as const, 'service' as const] },
    ],
  ),
});

describe('retryAt', () => {
  it('is the earliest instant without a time-bound reason: deciding then is not suppressed for one, and a millisecond earlier is', () => {
    fc.assert(
      fc.property(
        settings,
        fc.constantFrom(...channels),
        fc.constantFrom<ContactPurpose>('marketing', 'service'),
        instant(365),
        fc.array(contact, { maxLength: 12 }),
        fc.constantFrom('A', 'B', 'D'),
        fc.integer({ min: 0, max: 5 }),
        (policySettings, channel, purpose, at, history, campaignId, priority) => {
          const policy = createContactPolicy(policySettings);
          const base = {
            customer: consentingCustomer,
            channel,
            purpose,
            history,
            campaignId,
            priority,
          };
          const decision = policy.decide({ ...base, at });
          if (decision.allowed) {
            expect(Date.parse(policy.nextAllowedInstant({ ...base, at }) ?? '')).toBe(
              Date.parse(at),
            );
            return;
          }
          const retryAt = decision.retryAt;
          expect(retryAt).toBeDefined();
          if (retryAt === undefined) return;
          expect(Date.parse(retryAt)).toBeGreaterThan(Date.parse(at));
          const later = policy.decide({ ...base, at: retryAt });
          const laterTimeBound = later.allowed
            ? []
            : later.reasons.filter((reason) => timeBoundReasonCodes.includes(reason.code));
          expect(laterTimeBound).toEqual([]);
          const justBefore = new Date(Date.parse(retryAt) - 1).toISOString();
          const before = policy.decide({ ...base, at: justBefore });
          expect(before.allowed).toBe(false);
          expect(policy.nextAllowedInstant({ ...base, at })).toBe(retryAt);
        },
      ),
      { numRuns: 300 },
    );
  });
});
