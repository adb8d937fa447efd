import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestKernel } from '@kequn/testing';
import type { InboundEvent, OutboundMessage } from '@kequn/core';
import {
  createSmsAdapter,
  smsChannelPlugin,
  smsSettingsSchema,
  SmsCallbackNotConfiguredError,
  type SmsChannelAdapter,
  type SmsSettingsInput,
} from '../src/index.js';
import {
  loopbackBatchMapping,
  loopbackCallbackMapping,
  loopbackGatewayMapping,
  startLoopbackSmsGateway,
  type LoopbackSmsGateway,
} from '../src/testing/index.js';

const secret = 'gateway-shared-secret-0123456789';
const callbackSecret = 'callback-shared-secret-987654321';
const message: OutboundMessage = {
  kind: 'text',
  templateId: 'maturity-reminder',
  locale: 'zh-CN',
  text: '您的理财产品将于下周到期，详询客户经理。',
};
const recipient = { customerId: 'C0001', address: '13800138000' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gateway(
  options: Parameters<typeof startLoopbackSmsGateway>[0] = { auth: { type: 'hmac', secret } },
): Promise<LoopbackSmsGateway> {
  const peer = await startLoopbackSmsGateway(options);
  cleanups.push(() => peer.close());
  return peer;
}

function adapterFor(
  peer: LoopbackSmsGateway,
  overrides: Partial<SmsSettingsInput> = {},
): SmsChannelAdapter {
  const settings = smsSettingsSchema.parse({
    url: peer.url,
    auth: { type: 'hmac', secret },
    signName: '客群银行',
    healthUrl: peer.healthUrl,
    timeoutMs: 2000,
    ...loopbackGatewayMapping,
    ...overrides,
  });
  const adapter = createSmsAdapter(settings);
  cleanups.push(() => adapter.dispose());
  return adapter;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/callback`;
}

describe('SMS channel against a loopback gateway', () => {
  it('is contributed by the plugin and sends through the mapped request body', async () => {
    const peer = await gateway();
    const settings = {
      url: peer.url,
      auth: { type: 'hmac', secret },
      signName: '客群银行',
      ...loopbackGatewayMapping,
    };
    const t = await createTestKernel({
      plugins: [smsChannelPlugin],
      settings: { 'channel-sms': settings },
    });
    cleanups.push(() => t.dispose());
    expect(t.kernel.channels.declaration('sms')).toMatchObject({ kind: 'sms', secure: false });
    const adapter = await t.kernel.channels.get('sms');
    expect(adapter.capabilities).toMatchObject({
      kinds: ['text'],
      maxLength: 500,
      deliveryReceipts: true,
      replies: true,
    });

    const result = await adapter.send(message, recipient, { idempotencyKey: 'campaign-7:C0001:1' });
    expect(result).toEqual({ status: 'accepted', providerMessageId: 'M00000001' });
    expect(peer.delivered).toEqual([
      {
        msgId: 'M00000001',
        serialNo: 'campaign-7:C0001:1',
        mobile: '13800138000',
        content: message.text,
        sign: '客群银行',
      },
    ]);
    expect(t.errors()).toEqual([]);
  });

  it('delivers once when the same idempotency key is sent twice, even after a lost answer', async () => {
    const peer = await gateway();
    const adapter = adapterFor(peer, { timeoutMs: 150 });
    const first = await adapter.send(message, recipient, { idempotencyKey: 'k-1' });
    const again = await adapter.send(message, recipient, { idempotencyKey: 'k-1' });
    expect(again).toEqual(first);

    peer.stallNext(1, 600);
    const lost = await adapter.send(message, recipient, { idempotencyKey: 'k-2' });
    expect(lost).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('did not answer within 150 ms'),
    });
    const retried = await adapter.send(message, recipient, { idempotencyKey: 'k-2' });
    expect(retried.status).toBe('accepted');

    expect(peer.delivered.map((sms) => sms.serialNo)).toEqual(['k-1', 'k-2']);
    expect(peer.duplicates).toBe(2);
  });

  it('reports a failing gateway as retryable, honours Retry-After, and is accepted after recovery', async () => {
    const peer = await gateway();
    const adapter = adapterFor(peer);
    peer.failNext(2, { status: 503, retryAfterSec: 3 });
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toEqual({
      status: 'failed',
      reason: 'the SMS gateway answered HTTP 503',
      retryAfterMs: 3000,
    });
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toMatchObject({
      status: 'failed',
    });
    peer.failNext(1, { status: 429, retryAfterSec: 1 });
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toMatchObject({
      status: 'failed',
      retryAfterMs: 1000,
    });
    peer.busyNext(1);
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toEqual({
      status: 'failed',
      reason: 'the SMS gateway refused the message with code 9999 (system busy)',
    });
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toMatchObject({
      status: 'accepted',
    });
    expect(peer.delivered).toHaveLength(1);
  });

  it('rejects permanently on mapped business codes, 4xx answers and over-long text', async () => {
    const peer = await gateway();
    const adapter = adapterFor(peer);
    expect(
      await adapter.send(
        message,
        { customerId: 'C0002', address: '12345' },
        { idempotencyKey: 'k-1' },
      ),
    ).toEqual({
      status: 'rejected',
      reason: 'the SMS gateway refused the message with code 1001 (invalid mobile number)',
    });
    const wrongSecret = adapterFor(peer, {
      auth: { type: 'hmac', secret: 'not-the-gateway-secret' },
    });
    // A refused login fails every message alike: retryable, so the breaker pauses the channel.
    expect(await wrongSecret.send(message, recipient, { idempotencyKey: 'k-2' })).toEqual({
      status: 'failed',
      reason: 'the SMS gateway refused the credentials with HTTP 401 (4010: signature mismatch)',
    });
    const requests = peer.requests;
    const long = { ...message, text: '长'.repeat(501) };
    expect(await adapter.send(long, recipient, { idempotencyKey: 'k-3' })).toMatchObject({
      status: 'rejected',
    });
    expect(
      await adapter.send({ ...message, kind: 'task' }, recipient, { idempotencyKey: 'k-4' }),
    ).toMatchObject({ status: 'rejected' });
    expect(peer.requests).toBe(requests);
    expect(peer.delivered).toEqual([]);
  });

  it('sends with a bearer token where the gateway asks for one', async () => {
    const peer = await gateway({ auth: { type: 'bearer', token: 'tkn-1' } });
    expect(
      await adapterFor(peer, { auth: { type: 'bearer', token: 'tkn-1' } }).send(
        message,
        recipient,
        { idempotencyKey: 'k' },
      ),
    ).toMatchObject({ status: 'accepted' });
    expect(
      await adapterFor(peer, { auth: { type: 'bearer', token: 'other' } }).send(
        message,
        recipient,
        { idempotencyKey: 'k2' },
      ),
    ).toMatchObject({ status: 'failed', reason: expect.stringContaining('HTTP 401') });
  });

  it('shows the gateway down while it is unreachable and healthy once it is back', async () => {
    const peer = await gateway();
    const probed = adapterFor(peer);
    const passive = adapterFor(peer, { healthUrl: undefined });
    expect((await probed.health()).state).toBe('healthy');

    await peer.down();
    expect(await probed.health()).toMatchObject({
      state: 'down',
      detail: expect.stringContaining('could not reach the health check'),
    });
    expect(await probed.send(message, recipient, { idempotencyKey: 'k-1' })).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('could not reach the SMS gateway'),
    });
    for (const attempt of [1, 2, 3])
      await passive.send(message, recipient, { idempotencyKey: `p-${attempt}` });
    expect((await passive.health()).state).toBe('down');

    await peer.up();
    expect((await probed.health()).state).toBe('healthy');
    expect(await probed.send(message, recipient, { idempotencyKey: 'k-1' })).toMatchObject({
      status: 'accepted',
    });
    expect(await passive.send(message, recipient, { idempotencyKey: 'p-1' })).toMatchObject({
      status: 'accepted',
    });
    expect((await passive.health()).state).toBe('healthy');
  });
});

describe('SMS receipts and replies', () => {
  async function withCallback(): Promise<{
    peer: LoopbackSmsGateway;
    adapter: SmsChannelAdapter;
    events: InboundEvent[];
    url: string;
  }> {
    const server = createServer();
    const url = await listen(server);
    const peer = await gateway({
      auth: { type: 'hmac', secret },
      callback: { url, secret: callbackSecret },
    });
    const adapter = adapterFor(peer, {
      callback: { secret: callbackSecret, ...loopbackCallbackMapping },
    });
    server.on('request', adapter.createCallbackHandler());
    const events: InboundEvent[] = [];
    adapter.onInbound((event) => void events.push(event));
    return { peer, adapter, events, url };
  }

  it('turns the gateway report into a delivery receipt for the sent message', async () => {
    const { peer, adapter, events } = await withCallback();
    const result = await adapter.send(message, recipient, { idempotencyKey: 'k-1' });
    await peer.settled();
    expect(events).toEqual([
      {
        type: 'receipt',
        channel: 'sms',
        idempotencyKey: 'k-1',
        providerMessageId: result.status === 'accepted' ? result.providerMessageId : 'none',
        status: 'delivered',
        at: expect.any(String),
      },
    ]);
  });

  it('reports undelivered messages as failed receipts with the gateway status', async () => {
    const server = createServer();
    const url = await listen(server);
    const peer = await gateway({
      callback: { url, secret: callbackSecret },
      receiptStatus: () => 'UNDELIV',
    });
    const adapter = adapterFor(peer, {
      auth: { type: 'none' },
      callback: { secret: callbackSecret, ...loopbackCallbackMapping },
    });
    server.on('request', adapter.createCallbackHandler());
    const events: InboundEvent[] = [];
    adapter.onInbound((event) => void events.push(event));
    await adapter.send(message, recipient, { idempotencyKey: 'k-1' });
    await peer.settled();
    expect(events).toMatchObject([
      { type: 'receipt', status: 'failed', detail: 'gateway status UNDELIV' },
    ]);
  });

  it('makes "TD", "退订" and full-width "ｔｄ" replies opt-outs and other replies replies', async () => {
    const { peer, events } = await withCallback();
    for (const text of ['TD', ' 退订 ', 'ｔｄ', 't', '好的，请联系我'])
      expect(await peer.postReply('13800138000', text)).toBe(200);
    expect(events.map((event) => event.type)).toEqual([
      'opt_out',
      'opt_out',
      'opt_out',
      'opt_out',
      'reply',
    ]);
    expect(events[0]).toMatchObject({
      type: 'opt_out',
      channel: 'sms',
      address: '13800138000',
      detail: 'SMS reply "TD"',
    });
    expect(events[4]).toMatchObject({
      type: 'reply',
      address: '13800138000',
      text: '好的，请联系我',
    });
  });

  it('refuses callbacks with a bad signature, a stale timestamp or no signature, and emits nothing', async () => {
    const { events, url } = await withCallback();
    const body = JSON.stringify({ type: 'mo', mobile: '13800138000', content: 'TD' });
    const sign = (timestamp: string, key: string): string =>
      createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex');
    const fresh = String(Math.floor(Date.now() / 1000));
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    const attempts: Record<string, string>[] = [
      { 'x-timestamp': fresh, 'x-signature': sign(fresh, 'someone-else-secret-000') },
      { 'x-timestamp': stale, 'x-signature': sign(stale, callbackSecret) },
      {},
    ];
    for (const headers of attempts) {
      const response = await fetch(url, { method: 'POST', headers, body });
      expect(response.status).toBe(401);
    }
    const accepted = await fetch(url, {
      method: 'POST',
      headers: { 'x-timestamp': fresh, 'x-signature': sign(fresh, callbackSecret) },
      body,
    });
    expect(accepted.status).toBe(200);
    expect(events.map((event) => event.type)).toEqual(['opt_out']);
  });

  it('says what is missing when the callback is not configured', async () => {
    const peer = await gateway();
    expect(() => adapterFor(peer).createCallbackHandler()).toThrow(SmsCallbackNotConfiguredError);
  });
});

describe('SMS batches (批量提交) against a loopback gateway', () => {
  const item = (address: string, key: string, text = message.text) => ({ message: { ...message, text }, recipient: { customerId: `C-${key}`, address }, idempotencyKey: key });

  it('sends many messages in one signed request and answers each in order', async () => {
    const peer = await gateway();
    const adapter = adapterFor(peer, { batch: { url: peer.batchUrl, ...loopbackBatchMapping, maxSize: 50 } });
    expect(adapter.capabilities.maxBatchSize).toBe(50);
    const results = await adapter.sendBatch?.([
      item('13800138001', 'k-1'),
      item('12345', 'k-2'),
      item('', 'k-3'),
      item('13800138004', 'k-4', '长'.repeat(501)),
      item('13800138005', 'k-5'),
    ]);
    expect(results?.map((result) => result.status)).toEqual(['accepted', 'rejected', 'rejected', 'rejected', 'accepted']);
    expect(results?.[1]).toMatchObject({ reason: expect.stringContaining('1001') });
    expect(results?.[2]).toEqual({ status: 'rejected', reason: 'the recipient has no phone number' });
    // The empty number and the over-long text never left; the rest went in one request.
    expect(peer.requests).toBe(1);
    expect(peer.delivered.map((sms) => [sms.serialNo, sms.mobile, sms.sign])).toEqual([
      ['k-1', '13800138001', '客群银行'],
      ['k-5', '13800138005', '客群银行'],
    ]);
    expect(results?.[0]).toEqual({ status: 'accepted', providerMessageId: peer.delivered[0]?.msgId });
  });

  it('drops a repeated batch by its keys, and fails every message of a request the gateway did not take', async () => {
    const peer = await gateway();
    const adapter = adapterFor(peer, { batch: { url: peer.batchUrl, ...loopbackBatchMapping } });
    const items = [item('13800138001', 'k-1'), item('13800138002', 'k-2')];
    expect((await adapter.sendBatch?.(items))?.map((result) => result.status)).toEqual(['accepted', 'accepted']);
    expect((await adapter.sendBatch?.(items))?.map((result) => result.status)).toEqual(['accepted', 'accepted']);
    expect(peer.delivered).toHaveLength(2);
    expect(peer.duplicates).toBe(2);

    peer.failNext(1, { status: 503, retryAfterSec: 3 });
    expect(await adapter.sendBatch?.([item('13800138003', 'k-3'), item('13800138004', 'k-4')])).toEqual([
      { status: 'failed', reason: 'the SMS gateway answered HTTP 503', retryAfterMs: 3_000 },
      { status: 'failed', reason: 'the SMS gateway answered HTTP 503', retryAfterMs: 3_000 },
    ]);
    peer.busyNext(1);
    expect((await adapter.sendBatch?.([item('13800138003', 'k-3')]))?.[0]).toEqual({ status: 'failed', reason: 'the SMS gateway answered no results for a batch of 1' });
    expect(peer.delivered).toHaveLength(2);
  });

  it('is offered only with the batch setting, and a signature the gateway refuses fails the batch retryably', async () => {
    const peer = await gateway();
    expect(adapterFor(peer).sendBatch).toBeUndefined();
    expect(adapterFor(peer).capabilities.maxBatchSize).toBeUndefined();
    const wrongSecret = adapterFor(peer, { auth: { type: 'hmac', secret: 'not-the-gateway-secret-000000000' }, batch: { url: peer.batchUrl, ...loopbackBatchMapping } });
    const [result] = (await wrongSecret.sendBatch?.([item('13800138001', 'k-1')])) ?? [];
    expect(result).toMatchObject({ status: 'failed', reason: expect.stringContaining('refused the credentials with HTTP 401') });
    expect(peer.delivered).toHaveLength(0);
  });
});
