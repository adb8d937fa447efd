// Template: a channel adapter — SMS-like text messages appended as JSON lines to a file, with the
// capabilities the dispatcher needs, idempotent sends and a health check that tells why it is down.
import type { PluginName } from '../names.js';
import type { PluginTemplate } from './template.js';

function source(name: PluginName): string {
  const { identifier, typeName, pluginId, packageName, constant } = name;
  return `// ${packageName} — a Kequn channel adapter that appends each text message as one JSON line to a
// file: a stand-in for an SMS gateway while the bank's own is being connected, and a pattern for it.
// A file is not a secure channel, so phone, identity and account numbers are masked before they are
// written (138****5678); the dispatcher already masks names for channels declared not secure.
import { access, appendFile, constants } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { definePlugin, maskPersonalText, type ChannelAdapter, type ChannelHealth, type SendResult } from '@kequn/core';
import { z } from 'zod';

export const ${identifier}SettingsSchema = z.strictObject({
  /** The file messages are appended to. */
  path: z.string().min(1).default('kequn-messages.jsonl'),
  /** Longest text accepted, in characters (a long SMS is 500 at most gateways). */
  maxLength: z.number().int().min(1).max(5000).default(500),
});
export type ${typeName}Settings = z.infer<typeof ${identifier}SettingsSchema>;

export const ${constant}_CHANNEL = '${pluginId}.sms';

/** One line of the file. */
export interface ${typeName}Line {
  at: string;
  idempotencyKey: string;
  customerId: string;
  /** Masked: a file is no place for a whole phone number. */
  address: string;
  templateId: string;
  locale: string;
  text: string;
}

export interface ${typeName}ChannelOptions {
  path: string;
  maxLength: number;
  clock?: () => number;
}

export function create${typeName}Channel(options: ${typeName}ChannelOptions): ChannelAdapter {
  const path = resolve(options.path);
  const clock = options.clock ?? Date.now;
  // Keys already written: a retried send is acknowledged again, never written twice.
  const written = new Set<string>();
  return {
    capabilities: { kinds: ['text'], maxLength: options.maxLength, deliveryReceipts: false, replies: false },
    async send(message, recipient, { idempotencyKey }): Promise<SendResult> {
      const providerMessageId = '${pluginId}:' + idempotencyKey;
      if (message.kind !== 'text') return { status: 'rejected', reason: 'this channel carries text messages only, not ' + message.kind };
      if (message.text.length > options.maxLength) {
        return { status: 'rejected', reason: 'the text has ' + String(message.text.length) + ' characters; this channel takes at most ' + String(options.maxLength) };
      }
      if (written.has(idempotencyKey)) return { status: 'accepted', providerMessageId };
      const line: ${typeName}Line = {
        at: new Date(clock()).toISOString(),
        idempotencyKey,
        customerId: recipient.customerId,
        address: maskPersonalText(recipient.address),
        templateId: message.templateId,
        locale: message.locale,
        text: maskPersonalText(message.text),
      };
      try {
        await appendFile(path, JSON.stringify(line) + '\\n');
      } catch (error) {
        // Retryable: the folder may be remounted or the disk freed; the dispatcher backs off.
        return { status: 'failed', reason: 'could not append to ' + path + ': ' + (error instanceof Error ? error.message : String(error)) };
      }
      written.add(idempotencyKey);
      return { status: 'accepted', providerMessageId };
    },
    async health(): Promise<ChannelHealth> {
      const checkedAt = new Date(clock()).toISOString();
      try {
        await access(dirname(path), constants.W_OK);
        return { state: 'healthy', checkedAt };
      } catch {
        return { state: 'down', detail: 'cannot write to the folder ' + dirname(path), checkedAt };
      }
    },
  };
}

export const ${identifier}Plugin = definePlugin({
  id: '${pluginId}',
  version: '0.1.0',
  displayName: { 'zh-CN': '文件短信渠道', en: 'File SMS channel' },
  description: {
    'zh-CN': '把每条短信写成文件中的一行JSON，用于对接短信网关之前的联调；非安全渠道，个人信息已脱敏。',
    en: 'Writes each SMS as one JSON line to a file, for testing before the gateway is connected; not secure, so personal values are masked.',
  },
  engines: { kequn: '^1' },
  settings: ${identifier}SettingsSchema,
  contributes: {
    channels: [{ id: ${constant}_CHANNEL, kind: 'sms', label: { 'zh-CN': '文件短信', en: 'File SMS' }, secure: false }],
    settings: [
      { id: 'path', label: { 'zh-CN': '输出文件', en: 'Output file' } },
      { id: 'maxLength', label: { 'zh-CN': '最长字数', en: 'Longest text' } },
    ],
  },
  activate(context) {
    context.channels.register(${constant}_CHANNEL, create${typeName}Channel(context.settings));
  },
});

export default ${identifier}Plugin;
`;
}

function test(name: PluginName): string {
  const { identifier, typeName, pluginId, constant } = name;
  const channel = `${constant}_CHANNEL`;
  return `import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestKernel } from '@kequn/testing';
import { ${channel}, ${identifier}Plugin, type ${typeName}Line } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), '${name.baseName}-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const message = { kind: 'text' as const, templateId: 'welcome', locale: 'zh-CN' as const, text: '您好，欢迎使用我行代发服务' };
const recipient = { customerId: 'C000001', address: '13812345678' };

describe('file SMS channel', () => {
  it('appends each message once, with the phone number masked', async () => {
    const path = join(folder, 'messages.jsonl');
    const t = await createTestKernel({ plugins: [${identifier}Plugin], settings: { '${pluginId}': { path } } });
    const channel = await t.kernel.channels.get(${channel});
    const first = await channel.send(message, recipient, { idempotencyKey: 'welcome-C000001' });
    const again = await channel.send(message, recipient, { idempotencyKey: 'welcome-C000001' });
    expect(first).toEqual({ status: 'accepted', providerMessageId: '${pluginId}:welcome-C000001' });
    expect(again).toEqual(first);
    const lines = readFileSync(path, 'utf8').trim().split('\\n').map((text) => JSON.parse(text) as ${typeName}Line);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ customerId: 'C000001', address: '138****5678', text: message.text });
    expect(await channel.health()).toMatchObject({ state: 'healthy' });
    await t.dispose();
  });

  it('refuses what it cannot carry and reports a folder it cannot write to', async () => {
    const path = join(folder, 'missing', 'messages.jsonl');
    const t = await createTestKernel({ plugins: [${identifier}Plugin], settings: { '${pluginId}': { path, maxLength: 10 } } });
    const channel = await t.kernel.channels.get(${channel});
    expect(channel.capabilities).toMatchObject({ kinds: ['text'], maxLength: 10 });
    expect(await channel.send({ ...message, kind: 'rich' }, recipient, { idempotencyKey: 'a' })).toMatchObject({ status: 'rejected' });
    expect(await channel.send({ ...message, text: '这条消息超过了十个字的长度' }, recipient, { idempotencyKey: 'b' })).toMatchObject({ status: 'rejected' });
    expect(await channel.send({ ...message, text: '短消息' }, recipient, { idempotencyKey: 'c' })).toMatchObject({ status: 'failed' });
    expect(await channel.health()).toMatchObject({ state: 'down' });
    await t.dispose();
  });
});
`;
}

function readme(name: PluginName): string {
  const { identifier, pluginId } = name;
  return `A channel adapter: each text message is appended as one JSON line to a file — a stand-in for an SMS
gateway, and the pattern for the bank's own adapter. It declares its capabilities (text only, a
longest text), acknowledges a repeated idempotency key without writing twice, returns \`failed\`
(retryable) when the file cannot be written, and its health check says why it is down. A file is not
a secure channel, so phone, identity and account numbers are masked before they are written.

\`\`\`ts
import { createKernel } from '@kequn/core';
import { ${identifier}Plugin } from '${name.packageName}';

const kernel = createKernel({ plugins: [${identifier}Plugin], settings: { '${pluginId}': { path: 'sms.jsonl' } } });
await kernel.start();
const channel = await kernel.channels.get('${pluginId}.sms');
await channel.send(
  { kind: 'text', templateId: 'welcome', locale: 'zh-CN', text: '您好' },
  { customerId: 'C000001', address: '13812345678' },
  { idempotencyKey: 'welcome-C000001' },
);
\`\`\`

Replace the \`appendFile\` in \`create${name.typeName}Channel\` (\`src/index.ts\`) with the call to your
gateway; keep the result statuses: \`rejected\` for what a retry cannot fix, \`failed\` for what it can.`;
}

export const channelTemplate: PluginTemplate = {
  summary: 'A Kequn channel adapter: text messages appended as masked JSON lines to a file',
  uses: [],
  testUses: [],
  source,
  test,
  readme,
};
