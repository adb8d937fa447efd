import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createMemoryReplayCache,
  signWebhook,
  verifyWebhook,
  type WebhookDelivery,
} from '../src/index.js';

const secret = 'receiver-secret-0123456789abcdef-xyz';
const now = 1_800_000_000_000;
const clock = (): number => now;

const deliveryArbitrary: fc.Arbitrary<WebhookDelivery> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 40 }),
  customerId: fc.string({ maxLength: 12 }),
  address: fc.string({ maxLength: 20 }),
  message: fc.record({
    kind: fc.constantFrom('text' as const, 'rich' as const),
    templateId: fc.string({ maxLength: 12 }),
    locale: fc.constantFrom('zh-CN' as const, 'en' as const),
    text: fc.string({ maxLength: 80 }),
  }),
  sentAt: fc.constant(new Date(now).toISOString()),
});

function signed(
  delivery: WebhookDelivery,
  timestamp: string,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(delivery);
  return {
    body,
    headers: {
      'x-kequn-timestamp': timestamp,
      'x-kequn-signature': signWebhook(secret, timestamp, body),
    },
  };
}

const timestamp = String(now / 1000);

describe('verifyWebhook', () => {
  it('accepts every genuine delivery once and flags its repetition as a replay', async () => {
    await fc.assert(
      fc.asyncProperty(deliveryArbitrary, async (delivery) => {
        const verify = verifyWebhook({
          secret,
          now: clock,
          seen: createMemoryReplayCache({ now: clock }),
        });
        const request = signed(delivery, timestamp);
        expect(await verify(request)).toEqual({ ok: true, delivery });
        expect(await verify(request)).toEqual({ ok: false, reason: 'replayed', delivery });
      }),
    );
  });

  it('refuses any change to the body', async () => {
    await fc.assert(
      fc.asyncProperty(
        deliveryArbitrary,
        fc.string({ minLength: 1, maxLength: 4 }),
        fc.nat(),
        async (delivery, inserted, at) => {
          const verify = verifyWebhook({ secret, now: clock });
          const { body, headers } = signed(delivery, timestamp);
          const position = at % (body.length + 1);
          const tampered = body.slice(0, position) + inserted + body.slice(position);
          fc.pre(tampered !== body);
          expect(await verify({ headers, body: tampered })).toEqual({
            ok: false,
            reason: 'bad_signature',
          });
        },
      ),
    );
  });

  it('refuses any other timestamp, inside the window or out of it', async () => {
    await fc.assert(
      fc.asyncProperty(
        deliveryArbitrary,
        fc.integer({ min: -100_000, max: 100_000 }).filter((shift) => shift !== 0),
        async (delivery, shift) => {
          const verify = verifyWebhook({ secret, now: clock, toleranceSec: 300 });
          const { body, headers } = signed(delivery, timestamp);
          const moved = { ...headers, 'x-kequn-timestamp': String(now / 1000 + shift) };
          const result = await verify({ headers: moved, body });
          expect(result).toEqual({
            ok: false,
            reason: Math.abs(shift) > 300 ? 'stale_timestamp' : 'bad_signature',
          });
        },
      ),
    );
  });

  it('refuses any other signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        deliveryArbitrary,
        fc.string({ minLength: 0, maxLength: 80 }),
        async (delivery, forged) => {
          const verify = verifyWebhook({ secret, now: clock });
          const { body, headers } = signed(delivery, timestamp);
          fc.pre(forged !== headers['x-kequn-signature']);
          const result = await verify({
            headers: { ...headers, 'x-kequn-signature': forged },
            body,
          });
          expect(result).toEqual({ ok: false, reason: 'bad_signature' });
        },
      ),
    );
  });

  it('refuses a correctly signed delivery that is older than the window', async () => {
    const verify = verifyWebhook({ secret, now: clock, toleranceSec: 60 });
    const delivery: WebhookDelivery = {
      id: 'k',
      customerId: 'C1',
      address: 'a',
      message: { kind: 'text', templateId: 't', locale: 'en', text: 'x' },
      sentAt: new Date(now).toISOString(),
    };
    expect(await verify(signed(delivery, String(now / 1000 - 61)))).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(await verify(signed(delivery, String(now / 1000 - 60)))).toMatchObject({ ok: true });
    expect(await verify({ headers: {}, body: '{}' })).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });

  it('accepts either secret during a rotation', async () => {
    const verify = verifyWebhook({
      secret: ['next-secret-0123456789abcdefghijkl', secret],
      now: clock,
    });
    const delivery: WebhookDelivery = {
      id: 'rot',
      customerId: 'C1',
      address: 'a',
      message: { kind: 'text', templateId: 't', locale: 'en', text: 'x' },
      sentAt: new Date(now).toISOString(),
    };
    expect(await verify(signed(delivery, timestamp))).toMatchObject({ ok: true });
  });
});
