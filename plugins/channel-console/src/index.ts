// @kequn/plugin-channel-console — a channel for demos and the playground: every rendered message is
// written as one JSON line to a file or a stream. It is not secure, so personal values arrive
// masked (张*明, 138****1234), which is what a reader of the demo should see.
import { appendFileSync } from 'node:fs';
import { definePlugin, maskPersonalText, type ChannelAdapter, type ChannelKind, type SendResult } from '@kequn/core';
import { z } from 'zod';

export const consoleChannelSettingsSchema = z.object({
  /** Append the lines to this file; standard output when absent. */
  path: z.string().min(1).optional(),
});
export type ConsoleChannelSettings = z.infer<typeof consoleChannelSettingsSchema>;

/** One line of the console channel's output. */
export interface ConsoleLine {
  at: string;
  channel: ChannelKind;
  idempotencyKey: string;
  customerId: string;
  /** Masked: the console is no place for a whole phone number or e-mail address. */
  address: string;
  managerId?: string;
  kind: string;
  templateId: string;
  locale: string;
  subject?: string;
  text: string;
}

export interface ConsoleChannelOptions {
  /** The channel kind this adapter is registered for; written on each line. */
  channel: ChannelKind;
  /** Where lines go: a function, a writable stream, or a file path. Default: standard output. */
  write?: (line: string) => void;
  stream?: { write(chunk: string): unknown };
  path?: string;
  clock?: () => number;
}

function writerOf(options: ConsoleChannelOptions): (line: string) => void {
  if (options.write !== undefined) return options.write;
  const { stream, path } = options;
  if (stream !== undefined) return (line) => void stream.write(line);
  if (path !== undefined) return (line) => appendFileSync(path, line);
  return (line) => void process.stdout.write(line);
}

/** A console adapter for one channel kind. A repeated idempotency key is acknowledged, not written twice. */
export function createConsoleChannel(options: ConsoleChannelOptions): ChannelAdapter {
  const write = writerOf(options);
  const clock = options.clock ?? Date.now;
  const written = new Set<string>();
  return {
    capabilities: { kinds: ['text', 'rich', 'task'], deliveryReceipts: false, replies: false },
    async send(message, recipient, { idempotencyKey }): Promise<SendResult> {
      const providerMessageId = `console:${idempotencyKey}`;
      if (written.has(idempotencyKey)) return { status: 'accepted', providerMessageId };
      const line: ConsoleLine = {
        at: new Date(clock()).toISOString(),
        channel: options.channel,
        idempotencyKey,
        customerId: recipient.customerId,
        address: maskPersonalText(recipient.address),
        ...(recipient.managerId === undefined ? {} : { managerId: recipient.managerId }),
        kind: message.kind,
        templateId: message.templateId,
        locale: message.locale,
        ...(message.subject === undefined ? {} : { subject: message.subject }),
        text: message.text,
      };
      write(`${JSON.stringify(line)}\n`);
      written.add(idempotencyKey);
      return { status: 'accepted', providerMessageId };
    },
    health: () => ({ state: 'healthy', checkedAt: new Date(clock()).toISOString() }),
  };
}

/** The channels the plugin contributes: the machine channels; calls and visits are manager tasks. */
export const consoleChannelIds = { sms: 'console.sms', email: 'console.email', wecom: 'console.wecom', app_push: 'console.appPush' } as const;

const labels = {
  sms: { 'zh-CN': '控制台（短信）', en: 'Console (SMS)' },
  email: { 'zh-CN': '控制台（邮件）', en: 'Console (e-mail)' },
  wecom: { 'zh-CN': '控制台（企业微信）', en: 'Console (WeCom)' },
  app_push: { 'zh-CN': '控制台（手机银行推送）', en: 'Console (app push)' },
} as const;

const kinds = Object.keys(consoleChannelIds) as Array<keyof typeof consoleChannelIds>;

export const consoleChannelPlugin = definePlugin({
  id: 'channel-console',
  version: '0.1.0',
  displayName: { 'zh-CN': '控制台渠道', en: 'Console channel' },
  description: {
    'zh-CN': '把每条渲染后的消息写成一行JSON（文件或标准输出），用于演示与调试；非安全渠道，个人信息已脱敏。',
    en: 'Writes each rendered message as one JSON line (file or standard output) for demos; not secure, so personal values are masked.',
  },
  engines: { kequn: '^1' },
  settings: consoleChannelSettingsSchema,
  contributes: {
    channels: kinds.map((kind) => ({ id: consoleChannelIds[kind], kind, label: labels[kind], secure: false })),
    settings: [{ id: 'path', label: { 'zh-CN': '输出文件（留空为标准输出）', en: 'Output file (standard output when empty)' } }],
  },
  activate(context) {
    for (const kind of kinds) {
      const adapter = createConsoleChannel({ channel: kind, ...(context.settings.path === undefined ? {} : { path: context.settings.path }) });
      context.channels.register(consoleChannelIds[kind], adapter);
    }
  },
});

export default consoleChannelPlugin;
