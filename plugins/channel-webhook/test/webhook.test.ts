import { afterEach, describe, expect, it } from 'vitest';
import { createTestKernel } from '@kequn/testing';
import type { ChannelAdapter, OutboundMessage } from '@kequn/core';
import {
  createWebhookAdapter,
  webhookChannelPlugin,
  webhookSettingsSchema,
  type WebhookSettingsInput,
} from '../src/index.js';
import { startPushReceiver, type PushReceiver } from './receiver.js';

const secret = 'push-signing-secret-0123456789abcdef';
const message: OutboundMessage = {
  kind: 'rich',
  templateId: 'salon-invitation',
  locale: 'zh-CN',
  text: '周六理财沙龙，欢迎莅临。',
  subject: '沙龙邀请',
  data: { link: 'https://bank.example/salon' },
};
const recipient = { customerId: 'C0001', address: 'app-user-77' };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(): Promise<PushReceiver> {
  const started = await startPushReceiver(secret);
  cleanups.push(() => started.close());
  return started;
}

function adapterFor(
  target: PushReceiver,
  overrides: Partial<WebhookSettingsInput> = {},
): ChannelAdapter {
  return createWebhookAdapter(
    webhookSettingsSchema.parse({ url: target.url, secret, timeoutMs: 2000, ...overrides }),
  );
}

describe('webhook channel against a verifying receiver', () => {
  it('is contributed as app push and delivers a signed, verifiable message', async () => {
    const target = await receiver();
    const t = await createTestKernel({
      plugins: [webhookChannelPlugin],
      settings: { 'channel-webhook': { url: target.url, secret } },
    });
    cleanups.push(() => t.dispose());
    expect(t.kernel.channels.declaration('app-push')).toMatchObject({
      kind: 'app_push',
      secure: false,
    });
    const adapter = await t.kernel.channels.get('app-push');
    expect(
      await adapter.send(message, recipient, { idempotencyKey: 'campaign-3:C0001:1' }),
    ).toEqual({ status: 'accepted' });
    expect(target.delivered).toEqual([
      {
        id: 'campaign-3:C0001:1',
        customerId: 'C0001',
        address: 'app-user-77',
        message,
        sentAt: expect.any(String),
      },
    ]);
    expect(target.refusals).toEqual([]);
  });

  it('is acted on once when the same idempotency key is sent twice', async () => {
    const target = await receiver();
    const adapter = adapterFor(target);
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toEqual({
      status: 'accepted',
    });
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toEqual({
      status: 'accepted',
    });
    expect(target.delivered).toHaveLength(1);
    expect(target.replays).toBe(1);
  });

  it('reports failures as retryable, honours Retry-After, and is accepted after recovery', async () => {
    const target = await receiver();
    const adapter = adapterFor(target);
    target.failNext(1, 503, 7);
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toEqual({
      status: 'failed',
      reason: 'the webhook receiver answered HTTP 503',
      retryAfterMs: 7000,
    });
    target.failNext(1, 404);
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toMatchObject({
      status: 'failed',
    });
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toEqual({
      status: 'accepted',
    });
    expect(target.delivered).toHaveLength(1);
  });

  it('rejects permanently on 410, 400 and 422', async () => {
    const target = await receiver();
    const adapter = adapterFor(target);
    expect(
      await adapter.send(
        message,
        { customerId: 'C0002', address: 'uninstalled' },
        { idempotencyKey: 'k-1' },
      ),
    ).toEqual({
      status: 'rejected',
      reason: 'the webhook receiver answered HTTP 410',
    });
    for (const status of [400, 422]) {
      target.failNext(1, status);
      expect(
        await adapter.send(message, recipient, { idempotencyKey: `k-${status}` }),
      ).toMatchObject({ status: 'rejected' });
    }
    const forged = adapterFor(target, { secret: 'a-different-secret-0123456789abcdef' });
    expect(await forged.send(message, recipient, { idempotencyKey: 'k-forged' })).toMatchObject({
      status: 'failed',
      reason: 'the webhook receiver answered HTTP 401',
    });
    expect(target.refusals).toEqual(['bad_signature']);
    expect(target.delivered).toEqual([]);
  });

  it('shows the receiver down while unreachable and healthy once back', async () => {
    const target = await receiver();
    const probed = adapterFor(target, { healthUrl: target.healthUrl });
    const passive = adapterFor(target, { timeoutMs: 500 });
    expect((await probed.health()).state).toBe('healthy');
    await target.down();
    expect((await probed.health()).state).toBe('down');
    for (const attempt of [1, 2, 3]) {
      expect(
        await passive.send(message, recipient, { idempotencyKey: `k-${attempt}` }),
      ).toMatchObject({ status: 'failed' });
    }
    expect(await passive.health()).toMatchObject({
      state: 'down',
      detail: expect.stringContaining('could not reach the webhook receiver'),
    });
    await target.up();
    expect((await probed.health()).state).toBe('healthy');
    expect(await passive.send(message, recipient, { idempotencyKey: 'k-1' })).toEqual({
      status: 'accepted',
    });
    expect((await passive.health()).state).toBe('healthy');
  });

  it('gives up a send cancelled by the caller as retryable', async () => {
    const target = await receiver();
    const controller = new AbortController();
    controller.abort();
    expect(
      await adapterFor(target).send(message, recipient, {
        idempotencyKey: 'k',
        signal: controller.signal,
      }),
    ).toMatchObject({
      status: 'failed',
      reason: 'the send to the webhook receiver was cancelled',
    });
  });
});
