import { describe, expect, it } from 'vitest';
import {
  ContactPolicySettingsError,
  createContactPolicy,
  type ContactLedger,
  type ContactRecord,
} from '../src/index.js';
import { consentingCustomer } from './fixtures.js';

const policy = createContactPolicy();
const at = '2026-03-10T10:00:00+08:00';
const sent = (
  channel: ContactRecord['channel'],
  when: string,
  purpose: ContactRecord['purpose'] = 'marketing',
): ContactRecord => ({
  channel,
  purpose,
  at: when,
  campaignId: 'X',
});

describe('frequency caps over rolling windows', () => {
  it('caps marketing SMS at 2 per 7 days and says when the next one fits', () => {
    const history = [
      sent('sms', '2026-03-04T11:00:00+08:00'),
      sent('sms', '2026-03-09T10:00:00+08:00'),
    ];
    const decision = policy.decide({
      customer: consentingCustomer,
      channel: 'sms',
      purpose: 'marketing',
      at,
      history,
    });
    expect(decision).toMatchObject({
      allowed: false,
      reasons: [
        {
          code: 'frequency_cap',
          detail: {
            cap: 'marketing-sms',
            channel: 'sms',
            limit: 2,
            windowDays: 7,
            count: 2,
            freesAt: '2026-03-11T11:00:00+08:00',
          },
        },
      ],
      retryAt: '2026-03-11T11:00:00+08:00',
    });
    expect(
      policy.decide({
        customer: consentingCustomer,
        channel: 'wecom',
        purpose: 'marketing',
        at,
        history,
      }).allowed,
    ).toBe(true);
  });

  it('forgets a contact once it is a full window old', () => {
    const history = [
      sent('sms', '2026-03-03T10:00:00+08:00'),
      sent('sms', '2026-03-09T10:00:00+08:00'),
    ];
    expect(
      policy.decide({
        customer: consentingCustomer,
        channel: 'sms',
        purpose: 'marketing',
        at,
        history,
      }).allowed,
    ).toBe(true);
  });

  it('caps marketing at 4 per 7 days across all channels and campaigns', () => {
    const history = [
      sent('wecom', '2026-03-05T10:00:00+08:00'),
      sent('email', '2026-03-06T10:00:00+08:00'),
      sent('app_push', '2026-03-07T10:00:00+08:00'),
      sent('sms', '2026-03-08T10:00:00+08:00'),
    ];
    const decision = policy.decide({
      customer: consentingCustomer,
      channel: 'wecom',
      purpose: 'marketing',
      at,
      history,
    });
    expect(decision).toMatchObject({
      allowed: false,
      reasons: [
        { code: 'frequency_cap', detail: { cap: 'marketing-all-channels', count: 4, limit: 4 } },
      ],
      retryAt: '2026-03-12T10:00:00+08:00',
    });
    if (!decision.allowed) expect(decision.reasons[0]?.message.en).toContain('cap of 4');
  });

  it('exempts transactional messages and does not count them, nor service messages, against marketing caps', () => {
    const history = [
      ...Array.from({ length: 6 }, (_, day) =>
        sent('sms', `2026-03-0${day + 3}T10:00:00+08:00`, 'transactional'),
      ),
      sent('sms', '2026-03-09T11:00:00+08:00', 'service'),
    ];
    expect(
      policy.decide({
        customer: consentingCustomer,
        channel: 'sms',
        purpose: 'marketing',
        at,
        history,
      }).allowed,
    ).toBe(true);
    const full = [
      sent('sms', '2026-03-08T10:00:00+08:00'),
      sent('sms', '2026-03-09T10:00:00+08:00'),
    ];
    expect(
      policy.decide({
        customer: consentingCustomer,
        channel: 'sms',
        purpose: 'transactional',
        at,
        history: full,
      }).allowed,
    ).toBe(true);
  });

  it('refuses to cap transactional messages in settings', () => {
    expect(() =>
      createContactPolicy({
        frequencyCaps: [{ purposes: ['transactional' as 'marketing'], limit: 1, windowDays: 1 }],
      }),
    ).toThrow(/frequencyCaps\.0\.purposes\.0/);
    expect(() => createContactPolicy({ frequencyCaps: [{ limit: 0, windowDays: 7 }] })).toThrow(
      ContactPolicySettingsError,
    );
  });

  it('reads a ledger the caller supplies, asking only for the windows it needs', () => {
    const asked: string[] = [];
    const ledger: ContactLedger = {
      contactsOf(customerId, range) {
        asked.push(`${customerId} ${range.after} ${range.until}`);
        return [sent('sms', '2026-03-08T10:00:00+08:00'), sent('sms', '2026-03-09T10:00:00+08:00')];
      },
    };
    const decision = policy.decide({
      customer: consentingCustomer,
      channel: 'sms',
      purpose: 'marketing',
      at,
      history: ledger,
    });
    expect(decision).toMatchObject({ allowed: false, reasons: [{ code: 'frequency_cap' }] });
    expect(asked[0]).toBe('C1 2026-03-03T10:00:00+08:00 2026-03-10T10:00:00+08:00');
  });

  it('rejects a malformed ledger record instead of miscounting', () => {
    const ledger: ContactLedger = {
      contactsOf: () => [{ channel: 'sms', purpose: 'marketing', at: 'yesterday' }],
    };
    expect(() =>
      policy.decide({
        customer: consentingCustomer,
        channel: 'sms',
        purpose: 'marketing',
        at,
        history: ledger,
      }),
    ).toThrow(/KQ|contact ledger/);
  });
});
