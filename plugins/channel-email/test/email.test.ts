import { afterEach, describe, expect, it } from 'vitest';
import { createTestKernel } from '@kequn/testing';
import type { OutboundMessage } from '@kequn/core';
import {
  createEmailAdapter,
  emailChannelPlugin,
  emailSettingsSchema,
  messageIdFor,
  type EmailChannelAdapter,
  type EmailSettingsInput,
} from '../src/index.js';
import { headerOf, startSmtpPeer, type SmtpPeer } from './smtp-peer.js';

const message: OutboundMessage = {
  kind: 'rich',
  templateId: 'quarterly-statement',
  locale: 'zh-CN',
  subject: '您的季度资产报告',
  text: '尊敬的客户：\n\n您本季度的资产报告已生成 <详见附件>。',
};
const recipient = { customerId: 'C0001', address: 'li.lei@customer.example' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function peer(): Promise<SmtpPeer> {
  const started = await startSmtpPeer();
  cleanups.push(() => started.close());
  return started;
}

function adapterFor(
  relay: SmtpPeer,
  overrides: Partial<EmailSettingsInput> = {},
): EmailChannelAdapter {
  const adapter = createEmailAdapter(
    emailSettingsSchema.parse({
      host: '127.0.0.1',
      port: relay.port,
      tls: 'none',
      from: { address: 'service@bank.example', name: '客群银行' },
      timeoutMs: 2000,
      ...overrides,
    }),
  );
  cleanups.push(() => adapter.dispose());
  return adapter;
}

describe('e-mail channel against a loopback SMTP relay', () => {
  it('is contributed by the plugin and sends html and text parts with the subject', async () => {
    const relay = await peer();
    const settings = {
      host: '127.0.0.1',
      port: relay.port,
      tls: 'none',
      from: { address: 'service@bank.example' },
    };
    const t = await createTestKernel({
      plugins: [emailChannelPlugin],
      settings: { 'channel-email': settings },
    });
    cleanups.push(() => t.dispose());
    expect(t.kernel.channels.declaration('email')).toMatchObject({ kind: 'email', secure: false });
    const adapter = await t.kernel.channels.get('email');
    const result = await adapter.send(message, recipient, { idempotencyKey: 'campaign-9:C0001:1' });
    const messageId = messageIdFor('campaign-9:C0001:1', 'bank.example');
    expect(result).toEqual({ status: 'accepted', providerMessageId: messageId });
    expect(relay.received).toHaveLength(1);
    const mail = relay.received[0];
    expect(mail).toMatchObject({
      messageId,
      from: 'service@bank.example',
      to: ['li.lei@customer.example'],
    });
    expect(headerOf(mail?.raw ?? '', 'Subject')).toBe(
      '=?UTF-8?B?' + Buffer.from(message.subject ?? '').toString('base64') + '?=',
    );
    expect(headerOf(mail?.raw ?? '', 'Content-Type')).toContain('multipart/alternative');
    expect(mail?.raw).toContain('text/plain');
    expect(mail?.raw).toContain('text/html');
  });

  it('writes the html part from data.html when the template rendered one, escaping plain text otherwise', async () => {
    const relay = await peer();
    const adapter = adapterFor(relay);
    await adapter.send(
      { ...message, text: 'a <b> & c', data: { html: '<h1>Report</h1>' } },
      recipient,
      { idempotencyKey: 'k-1' },
    );
    await adapter.send({ ...message, text: 'a <b> & c' }, recipient, { idempotencyKey: 'k-2' });
    await adapter.send({ ...message, kind: 'text', text: 'plain only' }, recipient, {
      idempotencyKey: 'k-3',
    });
    const [withHtml, escaped, plain] = relay.received.map((mail) => mail.raw);
    expect(withHtml).toContain('<h1>Report</h1>');
    expect(escaped).toContain('<p>a &lt;b&gt; &amp; c</p>');
    expect(plain).not.toContain('text/html');
  });

  it('delivers once when the same idempotency key is sent twice: the Message-ID repeats', async () => {
    const relay = await peer();
    const adapter = adapterFor(relay);
    const first = await adapter.send(message, recipient, { idempotencyKey: 'k-1' });
    const second = await adapter.send(message, recipient, { idempotencyKey: 'k-1' });
    expect(second).toEqual(first);
    expect(relay.received).toHaveLength(1);
    expect(relay.duplicates).toBe(1);
  });

  it('reports 4xx replies as retryable and is accepted after recovery', async () => {
    const relay = await peer();
    const adapter = adapterFor(relay);
    relay.failNext(2);
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('answered 451'),
    });
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toMatchObject({
      status: 'failed',
    });
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toMatchObject({
      status: 'accepted',
    });
    expect(relay.received).toHaveLength(1);
  });

  it('rejects 5xx replies, bad addresses and messages without a subject, without quoting the address', async () => {
    const relay = await peer();
    const adapter = adapterFor(relay);
    const refused = await adapter.send(
      message,
      { customerId: 'C2', address: 'wang@closed.example' },
      { idempotencyKey: 'k-1' },
    );
    expect(refused).toMatchObject({ status: 'rejected', reason: expect.stringContaining('550') });
    expect(JSON.stringify(refused)).not.toContain('wang@');
    expect(
      await adapter.send(
        message,
        { customerId: 'C3', address: 'not-an-address' },
        { idempotencyKey: 'k-2' },
      ),
    ).toMatchObject({ status: 'rejected' });
    expect(
      await adapter.send({ ...message, subject: undefined }, recipient, { idempotencyKey: 'k-3' }),
    ).toMatchObject({ status: 'rejected' });
    expect(relay.received).toEqual([]);
  });

  it('shows the relay down while unreachable and healthy once back', async () => {
    const relay = await peer();
    const adapter = adapterFor(relay, { pool: false });
    expect((await adapter.health()).state).toBe('healthy');
    await relay.down();
    expect(await adapter.health()).toMatchObject({
      state: 'down',
      detail: expect.stringContaining('could not reach the SMTP relay'),
    });
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toMatchObject({
      status: 'failed',
    });
    await relay.up();
    expect((await adapter.health()).state).toBe('healthy');
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toMatchObject({
      status: 'accepted',
    });
  });
});
