import { describe, expect, it } from 'vitest';
import { createContactPolicy } from '../src/index.js';
import { consentingCustomer } from './fixtures.js';

const policy = createContactPolicy();
const decideAt = (at: string, channel: 'sms' | 'phone' | 'app_push' = 'sms') =>
  policy.decide({ customer: consentingCustomer, channel, purpose: 'marketing', at });

describe('quiet hours (21:00–08:00 in the bank time zone)', () => {
  it('allows 20:59, suppresses 21:00 and allows 08:00, in +08:00', () => {
    expect(decideAt('2026-03-10T20:59:00+08:00').allowed).toBe(true);
    expect(decideAt('2026-03-10T20:59:59.999+08:00').allowed).toBe(true);
    expect(decideAt('2026-03-10T21:00:00+08:00')).toMatchObject({
      allowed: false,
      reasons: [
        { code: 'quiet_hours', detail: { localTime: '21:00', start: '21:00', end: '08:00' } },
      ],
      retryAt: '2026-03-11T08:00:00+08:00',
    });
    expect(decideAt('2026-03-11T07:59:59+08:00')).toMatchObject({
      allowed: false,
      retryAt: '2026-03-11T08:00:00+08:00',
    });
    expect(decideAt('2026-03-11T08:00:00+08:00').allowed).toBe(true);
  });

  it('judges an instant given in UTC on the bank wall clock', () => {
    expect(decideAt('2026-03-10T12:59:00Z').allowed).toBe(true);
    expect(decideAt('2026-03-10T13:00:00Z')).toMatchObject({
      allowed: false,
      reasons: [{ code: 'quiet_hours', detail: { localTime: '21:00' } }],
      retryAt: '2026-03-11T08:00:00+08:00',
    });
    expect(decideAt('2026-03-11T00:00:00Z').allowed).toBe(true);
    expect(decideAt('2026-03-10T23:59:00Z').allowed).toBe(false);
  });

  it('applies to phone call tasks and to service messages, not to transactional ones', () => {
    expect(decideAt('2026-03-10T22:00:00+08:00', 'phone').allowed).toBe(false);
    const service = policy.decide({
      customer: consentingCustomer,
      channel: 'sms',
      purpose: 'service',
      at: '2026-03-10T22:00:00+08:00',
    });
    expect(service).toMatchObject({ allowed: false, reasons: [{ code: 'quiet_hours' }] });
    const alert = policy.decide({
      customer: consentingCustomer,
      channel: 'sms',
      purpose: 'transactional',
      at: '2026-03-10T22:00:00+08:00',
    });
    expect(alert.allowed).toBe(true);
  });

  it('takes a channel override, and false switches a channel off', () => {
    const custom = createContactPolicy({
      quietHours: { byChannel: { phone: { start: '20:00', end: '09:00' }, app_push: false } },
    });
    const at = (time: string, channel: 'phone' | 'app_push' | 'sms') =>
      custom.decide({
        customer: consentingCustomer,
        channel,
        purpose: 'marketing',
        at: `2026-03-10T${time}:00+08:00`,
      });
    expect(at('20:00', 'phone')).toMatchObject({
      allowed: false,
      retryAt: '2026-03-11T09:00:00+08:00',
    });
    expect(at('20:00', 'sms').allowed).toBe(true);
    expect(at('23:00', 'app_push').allowed).toBe(true);
  });

  it('handles a window inside one day', () => {
    const lunch = createContactPolicy({ quietHours: { window: { start: '12:00', end: '13:30' } } });
    const decide = (time: string) =>
      lunch.decide({
        customer: consentingCustomer,
        channel: 'sms',
        purpose: 'marketing',
        at: `2026-03-10T${time}+08:00`,
      });
    expect(decide('11:59:59').allowed).toBe(true);
    expect(decide('12:00:00')).toMatchObject({
      allowed: false,
      retryAt: '2026-03-10T13:30:00+08:00',
    });
    expect(decide('13:30:00').allowed).toBe(true);
    expect(decide('22:00:00').allowed).toBe(true);
  });
});
