// The console channel through the kernel and the dispatcher: one JSON line per message, masked.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher } from '@kequn/channels';
import { createKernel, createMemoryStore } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleChannelPlugin, createConsoleChannel, type ConsoleLine } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'kequn-console-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('console channel', () => {
  it('writes each message once as a JSON line with the address masked', async () => {
    const lines: string[] = [];
    const adapter = createConsoleChannel({ channel: 'sms', write: (line) => lines.push(line), clock: () => Date.parse('2026-05-06T02:00:00Z') });
    const message = { kind: 'text' as const, templateId: 't', locale: 'zh-CN' as const, text: '张*明您好' };
    await adapter.send(message, { customerId: 'C1', address: '13812345678' }, { idempotencyKey: 'k1' });
    expect(await adapter.send(message, { customerId: 'C1', address: '13812345678' }, { idempotencyKey: 'k1' })).toEqual({ status: 'accepted', providerMessageId: 'console:k1' });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}') as ConsoleLine;
    expect(line).toMatchObject({ channel: 'sms', address: '138****5678', idempotencyKey: 'k1', text: '张*明您好', at: '2026-05-06T02:00:00.000Z' });
  });

  it('serves the dispatcher through the kernel as an insecure channel', async () => {
    const path = join(folder, 'messages.jsonl');
    const kernel = createKernel({ plugins: [consoleChannelPlugin], settings: { 'channel-console': { path } }, logSink: () => undefined });
    await kernel.start();
    const store = createMemoryStore();
    const customer = { ...createSyntheticBank({ seed: 3, customers: 1 }).customerAt(0), doNotContact: false };
    await store.customers.upsert([
      { ...customer, profile: { ...customer.profile, name: '张三明', phone: '13900001111' }, consents: [{ channel: 'sms', purpose: 'service', granted: true, recordedAt: '2026-01-01T00:00:00Z' }] },
    ]);
    await store.outbox.enqueue([
      { id: 'notice-1', customerId: customer.id, channel: 'sms', purpose: 'service', createdAt: '2026-05-06T02:00:00Z', payload: { template: { id: 'notice', text: { 'zh-CN': '{{name}}，您的{{card}}账单已出', en: '{{name}}: statement for {{card}}' } }, variables: { card: '6222021234567890123' } } },
    ]);
    const dispatcher = createDispatcher({ store, channels: kernel, logger: kernel.logger });
    expect(await dispatcher.runUntilIdle()).toMatchObject({ sent: 1 });
    const [line] = readFileSync(path, 'utf8').trim().split('\n').map((text) => JSON.parse(text) as ConsoleLine);
    expect(line).toMatchObject({ channel: 'sms', address: '139****1111', text: '张*明，您的6222***********0123账单已出' });
    await dispatcher.close();
    await kernel.dispose();
  });
});
