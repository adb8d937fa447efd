import { describe, expect, it } from 'vitest';
import { createContactPolicy, type ContactRequestInput } from '../src/index.js';
import { consentingCustomer, customerWith, grant } from './fixtures.js';

const policy = createContactPolicy();
const at = '2026-03-10T10:00:00+08:00';
const request = (
  campaignId: string,
  priority: number,
  extra: Partial<ContactRequestInput> = {},
): ContactRequestInput => ({
  customer: consentingCustomer,
  channel: 'sms',
  purpose: 'marketing',
  campaignId,
  priority,
  at,
  ...extra,
});

describe('arbitration between campaigns', () => {
  it('lets the higher priority win and explains the others, in request order', () => {
    const decisions = policy.arbitrate([
      request('maturity', 1),
      request('threshold-reward', 5),
      request('salon', 3),
    ]);
    expect(decisions[1]).toEqual({ allowed: true });
    for (const loser of [decisions[0], decisions[2]]) {
      expect(loser).toMatchObject({
        allowed: false,
        reasons: [
          {
            code: 'higher_priority_campaign',
            detail: {
              winningCampaignId: 'threshold-reward',
              winningPriority: 5,
              decidedBy: 'batch',
              windowHours: 24,
            },
          },
        ],
        retryAt: '2026-03-11T10:00:00+08:00',
      });
    }
    expect(decisions[0]).toMatchObject({
      reasons: [{ detail: { campaignId: 'maturity', priority: 1 } }],
    });
  });

  it('gives the next campaign its turn when the stronger one is itself suppressed', () => {
    const smsOnly = customerWith([grant('sms', 'marketing')]);
    const decisions = policy.arbitrate([
      request('threshold-reward', 5, { customer: smsOnly, channel: 'wecom' }),
      request('maturity', 1, { customer: smsOnly }),
    ]);
    expect(decisions[0]).toMatchObject({ allowed: false, reasons: [{ code: 'consent_missing' }] });
    expect(decisions[1]).toEqual({ allowed: true });
  });

  it('arbitrates per customer, and leaves transactional and non-campaign contacts alone', () => {
    const other = customerWith(consentingCustomer.consents, false, 'C2');
    const decisions = policy.arbitrate([
      request('a', 5),
      request('b', 1, { customer: other }),
      request('b', 1, { purpose: 'transactional' }),
      { customer: consentingCustomer, channel: 'wecom', purpose: 'marketing', at },
    ]);
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, true]);
  });

  it('breaks a tie by the earlier request, then by batch order', () => {
    const decisions = policy.arbitrate([
      request('late', 2, { at: '2026-03-10T11:00:00+08:00' }),
      request('early', 2),
    ]);
    expect(decisions[1]).toEqual({ allowed: true });
    expect(decisions[0]).toMatchObject({ reasons: [{ detail: { winningCampaignId: 'early' } }] });
    const tied = policy.arbitrate([request('first', 2), request('second', 2)]);
    expect(tied[0]).toEqual({ allowed: true });
    expect(tied[1]).toMatchObject({ allowed: false });
    // A tie is explained as one, not as a higher priority.
    const [lost] = tied[1]?.allowed === false ? tied[1].reasons : [];
    expect(lost?.message.en).toMatch(/^Campaign first has the same priority \(2\) as second and came first/);
    expect(lost?.message['zh-CN']).toContain('优先级相同');
    const [later] = decisions[0]?.allowed === false ? decisions[0].reasons : [];
    expect(later?.message.en).toMatch(/^Campaign early has the same priority \(2\) as late/);
    const [outranked] = policy.arbitrate([request('low', 1), request('high', 5)]).flatMap((decision) => (decision.allowed ? [] : decision.reasons));
    expect(outranked?.message.en).toMatch(/^Campaign high \(priority 5\) .* takes precedence over low \(priority 1\)/);
  });

  it('counts contacts granted in the batch towards caps', () => {
    const decisions = policy.arbitrate([
      request('a', 1, { at: '2026-03-09T10:00:00+08:00' }),
      {
        customer: consentingCustomer,
        channel: 'sms',
        purpose: 'marketing',
        at: '2026-03-09T12:00:00+08:00',
      },
      {
        customer: consentingCustomer,
        channel: 'sms',
        purpose: 'marketing',
        at: '2026-03-10T12:00:00+08:00',
      },
    ]);
    expect(decisions[0]).toEqual({ allowed: true });
    expect(decisions[1]).toEqual({ allowed: true });
    expect(decisions[2]).toMatchObject({
      allowed: false,
      reasons: [{ code: 'frequency_cap', detail: { count: 2 } }],
    });
  });

  it('suppresses a lower-priority campaign when a higher one already contacted the customer within the window', () => {
    const history = [
      {
        channel: 'wecom' as const,
        purpose: 'marketing' as const,
        campaignId: 'vip',
        priority: 9,
        at: '2026-03-10T08:30:00+08:00',
      },
    ];
    expect(policy.decide(request('salon', 3, { history }))).toMatchObject({
      allowed: false,
      reasons: [
        {
          code: 'higher_priority_campaign',
          detail: { winningCampaignId: 'vip', decidedBy: 'history' },
        },
      ],
      retryAt: '2026-03-11T08:30:00+08:00',
    });
    expect(policy.decide(request('vip-2', 9, { history })).allowed).toBe(true);
  });
});
