// Templates are checked before anything is sent; backoff stays within its bounds for every attempt.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CircuitBreaker,
  TemplateVariableMissingError,
  TokenBucket,
  backoffDelay,
  campaignMessageId,
  createTemplateRegistry,
  handoffIntroductionTemplate,
  parseOutboxPayload,
  renderTemplate,
  seededRandom,
  templateVariables,
} from '../src/index.js';

describe('templates', () => {
  const reminder = {
    id: 'maturity.reminder',
    text: { 'zh-CN': '{{name}}，您的{{ productName }}将于{{maturityDate}}到期，金额{{amount}}元。', en: '{{name}}, your {{productName}} matures on {{maturityDate}}.' },
    subject: { 'zh-CN': '到期提醒', en: 'Maturity reminder {{maturityDate}}' },
  };

  it('lists the variables of every locale and renders numbers in the locale’s format', () => {
    expect(templateVariables(reminder)).toEqual(['name', 'productName', 'maturityDate', 'amount']);
    const rendered = renderTemplate(reminder, 'zh-CN', { name: '李*', productName: '三个月定期', maturityDate: '2026-06-30', amount: 50_000 });
    expect(rendered).toEqual({ text: '李*，您的三个月定期将于2026-06-30到期，金额50,000元。', subject: '到期提醒' });
  });

  it('names every missing variable, and counts an empty one as missing', () => {
    const error = (() => {
      try {
        renderTemplate(reminder, 'en', { name: 'Li', productName: '' });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TemplateVariableMissingError);
    expect(error).toMatchObject({ code: 'KQ_TEMPLATE_MISSING_VARIABLE', missing: ['productName', 'maturityDate'] });
    expect(String((error as Error).message)).toContain('{{productName}}, {{maturityDate}}');
  });

  it('ships the hand-off introduction in both locales with the same variables', () => {
    const registry = createTemplateRegistry();
    expect(registry.require('handoff.introduction')).toEqual(handoffIntroductionTemplate);
    const variables = { name: 'Wang', tierLabel: 'high-end', senderName: 'Chen', receiverName: 'Zhou' };
    expect(renderTemplate(handoffIntroductionTemplate, 'en', variables).text).toContain('your relationship manager is now Zhou (previously Chen)');
    expect(renderTemplate(handoffIntroductionTemplate, 'zh-CN', variables).text).toContain('已由Chen变更为Zhou');
  });

  it('refuses invalid, duplicate and unknown templates with codes', () => {
    const registry = createTemplateRegistry();
    expect(() => registry.register({ id: 'x', text: { 'zh-CN': '', en: 'x' } })).toThrow(expect.objectContaining({ code: 'KQ_TEMPLATE_INVALID' }));
    expect(() => registry.register(handoffIntroductionTemplate)).toThrow(expect.objectContaining({ code: 'KQ_TEMPLATE_DUPLICATE' }));
    expect(() => registry.require('nope')).toThrow(/registered: handoff\.introduction/);
    const registration = registry.register(reminder);
    registration.dispose();
    expect(registry.has('maturity.reminder')).toBe(false);
  });

  it('validates payloads at the edge, keeping a producer’s own fields', () => {
    const payload = parseOutboxPayload({ template: 'handoff.introduction', caseId: 'H1', toTier: 'high_end' });
    expect(payload).toMatchObject({ template: 'handoff.introduction', caseId: 'H1' });
    expect(() => parseOutboxPayload({ template: 'x', kind: 'fax' }, 'campaign step s1')).toThrow(/campaign step s1.*kind/);
    expect(campaignMessageId('reward-2026q4', 'C0001', 'sms-1')).toBe('reward-2026q4:C0001:sms-1');
  });
});

describe('backoff, rate limit and breaker', () => {
  it('waits between 0 and min(maxMs, baseMs·2^(attempt−1)) for any attempt and any random source', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 3_600_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, baseMs, maxMs, draw) => {
          const delay = backoffDelay(attempt, { baseMs, maxMs }, () => draw);
          const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(Math.max(1, ceiling));
        },
      ),
    );
  });

  it('spreads retries of messages that failed together (full jitter)', () => {
    const random = seededRandom(42);
    const delays = Array.from({ length: 200 }, () => backoffDelay(4, { baseMs: 1_000, maxMs: 60_000 }, random));
    expect(new Set(delays).size).toBeGreaterThan(150);
    expect(Math.max(...delays)).toBeLessThan(8_000);
    expect(Math.min(...delays)).toBeLessThan(2_000);
  });

  it('never lets more through than one second’s burst plus the rate', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 200, noNaN: true }), fc.array(fc.integer({ min: 0, max: 2_000 }), { maxLength: 50 }), (rate, gaps) => {
        const bucket = new TokenBucket(rate, 0);
        let now = 0;
        let taken = 0;
        for (const gap of gaps) {
          now += gap;
          taken += bucket.take(now, 1_000);
          expect(taken).toBeLessThanOrEqual(Math.max(1, rate) + (now / 1_000) * rate + 1e-9);
        }
      }),
    );
  });

  it('opens after consecutive failures, admits one probe after the cool-down, and closes on success', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 1_000 });
    expect(breaker.recordFailure(0)).toBeUndefined();
    expect(breaker.recordSuccess()).toBeUndefined();
    breaker.recordFailure(1);
    breaker.recordFailure(2);
    expect(breaker.recordFailure(3)).toEqual({ to: 'open', failures: 3, reopened: false });
    expect(breaker.admits(500)).toBe('none');
    expect(breaker.admits(1_003)).toBe('probe');
    breaker.startProbe();
    expect(breaker.admits(1_004)).toBe('none');
    expect(breaker.recordFailure(1_005)).toEqual({ to: 'open', failures: 4, reopened: true });
    expect(breaker.outageSince()).toBe(3);
    expect(breaker.admits(2_005)).toBe('probe');
    expect(breaker.recordSuccess()).toEqual({ to: 'closed' });
    expect(breaker.admits(2_006)).toBe('all');
    expect(breaker.outageSince()).toBeUndefined();
  });
});
