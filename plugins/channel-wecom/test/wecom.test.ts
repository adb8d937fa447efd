import { afterEach, describe, expect, it } from 'vitest';
import { createTestKernel } from '@kequn/testing';
import type { ChannelAdapter, OutboundMessage } from '@kequn/core';
import {
  createWecomAdapter,
  wecomChannelPlugin,
  wecomSettingsSchema,
  type WecomAdapterOptions,
  type WecomSettingsInput,
} from '../src/index.js';
import { startWecomServer, type WecomServer } from './wecom-server.js';

const corp = { corpId: 'ww0123456789abcdef', corpSecret: 'contact-secret' };
const message: OutboundMessage = {
  kind: 'text',
  templateId: 'tier-upgrade',
  locale: 'zh-CN',
  text: '恭喜您升级为中端客户，专属经理将与您联系。',
};
const recipient = { customerId: 'C0001', address: 'wmCUSTOMER0001', managerId: 'zhangsan' };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(): Promise<WecomServer> {
  const started = await startWecomServer({
    ...corp,
    contacts: { zhangsan: ['wmCUSTOMER0001', 'wmCUSTOMER0002'], lisi: [] },
  });
  cleanups.push(() => started.close());
  return started;
}

function adapterFor(
  target: WecomServer,
  overrides: Partial<WecomSettingsInput> = {},
  options: WecomAdapterOptions = {},
): ChannelAdapter {
  return createWecomAdapter(
    wecomSettingsSchema.parse({ ...corp, baseUrl: target.baseUrl, timeoutMs: 2000, ...overrides }),
    options,
  );
}

describe('WeCom channel against a server implementing the documented endpoints', () => {
  it('is contributed as a secure channel and creates a single-customer task sent by the manager', async () => {
    const target = await server();
    const t = await createTestKernel({
      plugins: [wecomChannelPlugin],
      settings: { 'channel-wecom': { ...corp, baseUrl: target.baseUrl } },
    });
    cleanups.push(() => t.dispose());
    expect(t.kernel.channels.declaration('wecom')).toMatchObject({ kind: 'wecom', secure: true });
    const adapter = await t.kernel.channels.get('wecom');
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-1' })).toEqual({
      status: 'accepted',
      providerMessageId: 'msg000001',
    });
    expect(
      await adapter.send(
        message,
        { ...recipient, address: 'wmCUSTOMER0002' },
        { idempotencyKey: 'k-2' },
      ),
    ).toMatchObject({ status: 'accepted' });
    expect(target.tasks[0]).toEqual({
      msgid: 'msg000001',
      sender: 'zhangsan',
      externalUserIds: ['wmCUSTOMER0001'],
      content: message.text,
      attachments: undefined,
    });
    expect(target.tokensIssued).toBe(1);
  });

  it('attaches the link card of a rich message', async () => {
    const target = await server();
    const link = { title: '理财沙龙报名', url: 'https://bank.example/salon', desc: '本周六下午' };
    const rich: OutboundMessage = { ...message, kind: 'rich', data: { link } };
    expect(await adapterFor(target).send(rich, recipient, { idempotencyKey: 'k' })).toMatchObject({
      status: 'accepted',
    });
    expect(target.tasks[0]?.attachments).toEqual([{ msgtype: 'link', link }]);
  });

  it('creates one task when the same idempotency key is sent twice, also from two processes', async () => {
    const target = await server();
    const first = adapterFor(target);
    const second = adapterFor(target);
    const results = [
      await first.send(message, recipient, { idempotencyKey: 'k-1' }),
      await first.send(message, recipient, { idempotencyKey: 'k-1' }),
      await second.send(message, recipient, { idempotencyKey: 'k-1' }),
    ];
    expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
    expect(target.tasks).toHaveLength(1);
    expect(target.duplicates).toBe(2);
  });

  it('caches the access token, refreshes it before expiry, and once more when WeCom says it expired', async () => {
    const target = await server();
    let clock = 1_800_000_000_000;
    const adapter = adapterFor(target, {}, { now: () => clock });
    const sends = await Promise.all(
      ['a', 'b', 'c'].map((key) => adapter.send(message, recipient, { idempotencyKey: key })),
    );
    expect(sends.every((result) => result.status === 'accepted')).toBe(true);
    expect(target.tokensIssued).toBe(1);

    clock += (7200 - 299) * 1000;
    await adapter.send(message, recipient, { idempotencyKey: 'd' });
    expect(target.tokensIssued).toBe(2);

    target.expireTokens();
    expect(await adapter.send(message, recipient, { idempotencyKey: 'e' })).toMatchObject({
      status: 'accepted',
    });
    expect(target.tokensIssued).toBe(3);
    expect(target.tasks).toHaveLength(5);
  });

  it('reports system busy and rate limits as retryable, and is accepted after recovery', async () => {
    const target = await server();
    const adapter = adapterFor(target);
    target.errorNext(1, -1, 'system busy');
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k' })).toEqual({
      status: 'failed',
      reason: 'WeCom add_msg_template answered errcode -1 (system busy)',
    });
    target.errorNext(1, 45009, 'api freq out of limit');
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k' })).toMatchObject({
      status: 'failed',
    });
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k' })).toMatchObject({
      status: 'accepted',
    });
    expect(target.tasks).toHaveLength(1);
  });

  it('rejects permanently on invalid userids, forbidden APIs, unreachable customers and missing managers', async () => {
    const target = await server();
    const adapter = adapterFor(target);
    expect(
      await adapter.send(message, { ...recipient, managerId: 'nobody' }, { idempotencyKey: 'k-1' }),
    ).toEqual({
      status: 'rejected',
      reason: 'WeCom add_msg_template answered errcode 40003 (invalid userid)',
    });
    target.errorNext(1, 48002, 'api forbidden');
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k-2' })).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('48002'),
    });
    expect(
      await adapter.send(message, { ...recipient, managerId: 'lisi' }, { idempotencyKey: 'k-3' }),
    ).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('cannot reach this customer'),
    });
    expect(
      await adapter.send(message, { customerId: 'C9', address: 'wmX' }, { idempotencyKey: 'k-4' }),
    ).toMatchObject({ status: 'rejected' });
    expect(
      await adapter.send({ ...message, text: '长'.repeat(1334) }, recipient, {
        idempotencyKey: 'k-5',
      }),
    ).toMatchObject({ status: 'rejected' });
    expect(target.tasks).toEqual([]);
  });

  it('sends as the WeCom userid the bank resolves for a manager', async () => {
    const target = await server();
    const adapter = adapterFor(
      target,
      {},
      { resolveSender: (managerId) => (managerId === 'M-0001' ? 'zhangsan' : undefined) },
    );
    expect(
      await adapter.send(message, { ...recipient, managerId: 'M-0001' }, { idempotencyKey: 'k-1' }),
    ).toMatchObject({ status: 'accepted' });
    expect(
      await adapter.send(message, { ...recipient, managerId: 'M-0002' }, { idempotencyKey: 'k-2' }),
    ).toMatchObject({ status: 'rejected' });
  });

  it('reports wrong credentials as a retryable failure that names what to check', async () => {
    const target = await server();
    const result = await adapterFor(target, { corpSecret: 'wrong' }).send(message, recipient, {
      idempotencyKey: 'k',
    });
    expect(result).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('errcode 40001'),
    });
    expect(await adapterFor(target, { corpSecret: 'wrong' }).health()).toMatchObject({
      state: 'degraded',
    });
  });

  it('shows WeCom down while unreachable and healthy once back', async () => {
    const target = await server();
    const adapter = adapterFor(target);
    expect((await adapter.health()).state).toBe('healthy');
    await target.down();
    expect(await adapter.health()).toMatchObject({
      state: 'down',
      detail: expect.stringContaining('could not reach WeCom'),
    });
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k' })).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('could not reach WeCom'),
    });
    await target.up();
    expect((await adapter.health()).state).toBe('healthy');
    expect(await adapter.send(message, recipient, { idempotencyKey: 'k' })).toMatchObject({
      status: 'accepted',
    });
  });
});
