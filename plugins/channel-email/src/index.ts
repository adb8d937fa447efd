// @kequn/plugin-channel-email — the e-mail channel: SMTP through the bank's relay via nodemailer,
// html and text parts, Message-IDs derived from idempotency keys.
import { definePlugin } from '@kequn/core';
import { createEmailAdapter, type EmailChannelAdapter } from './adapter.js';
import { emailSettingsSchema, type EmailSettings } from './settings.js';

export {
  createEmailAdapter,
  messageIdFor,
  textToHtml,
  type EmailAdapterOptions,
  type EmailChannelAdapter,
} from './adapter.js';
export { emailSettingsSchema, type EmailSettings, type EmailSettingsInput } from './settings.js';

/** The channel id this plugin contributes. */
export const EMAIL_CHANNEL = 'email';

export const emailChannelPlugin = definePlugin<EmailSettings, { adapter: EmailChannelAdapter }>({
  id: 'channel-email',
  version: '0.1.0',
  displayName: { 'zh-CN': '电子邮件渠道', en: 'E-mail channel' },
  description: {
    'zh-CN': '通过银行SMTP中继发送邮件(HTML与纯文本)，同一消息的重试使用相同Message-ID。',
    en: "Sends e-mail (html and text) through the bank's SMTP relay; retries of one message share a Message-ID.",
  },
  engines: { kequn: '^1' },
  settings: emailSettingsSchema,
  contributes: {
    // Not secure: mail is stored in third-party mailboxes and often forwarded.
    channels: [
      {
        id: EMAIL_CHANNEL,
        kind: 'email',
        label: { 'zh-CN': '电子邮件', en: 'E-mail' },
        secure: false,
      },
    ],
    settings: [
      { id: 'host', label: { 'zh-CN': 'SMTP服务器', en: 'SMTP relay host' } },
      { id: 'port', label: { 'zh-CN': '端口', en: 'Port' } },
      { id: 'tls', label: { 'zh-CN': '加密方式', en: 'TLS mode' } },
      { id: 'from', label: { 'zh-CN': '发件人', en: 'Sender' } },
      { id: 'ratePerSecond', label: { 'zh-CN': '每秒发送上限', en: 'Messages per second' } },
    ],
  },
  activate(context) {
    const adapter = createEmailAdapter(context.settings);
    context.subscriptions.add({ dispose: () => adapter.dispose() });
    context.channels.register(EMAIL_CHANNEL, adapter);
    return { adapter };
  },
});

export default emailChannelPlugin;
