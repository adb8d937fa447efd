// @kequn/plugin-channel-webhook — app push (手机银行推送) and generic webhooks: signed
// (HMAC-SHA256 over timestamp and body) JSON POSTs, and `verifyWebhook` for the receiving side.
import { definePlugin, type ChannelAdapter } from '@kequn/core';
import { createWebhookAdapter } from './adapter.js';
import { webhookSettingsSchema, type WebhookSettings } from './settings.js';

export { createWebhookAdapter, type WebhookAdapterOptions } from './adapter.js';
export {
  webhookSettingsSchema,
  type WebhookSettings,
  type WebhookSettingsInput,
} from './settings.js';
export { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './signature.js';
export {
  verifyWebhook,
  createMemoryReplayCache,
  webhookDeliverySchema,
  type VerifyWebhookOptions,
  type WebhookDelivery,
  type WebhookReplayCache,
  type WebhookRequest,
  type WebhookRefusal,
  type WebhookVerification,
} from './verify.js';

/** The channel id this plugin contributes. */
export const APP_PUSH_CHANNEL = 'app-push';

export const webhookChannelPlugin = definePlugin<WebhookSettings, { adapter: ChannelAdapter }>({
  id: 'channel-webhook',
  version: '0.1.0',
  displayName: { 'zh-CN': 'App推送/Webhook渠道', en: 'App push / webhook channel' },
  description: {
    'zh-CN': '以带签名(HMAC-SHA256、时间戳)的JSON请求推送消息，接收方可校验签名并防重放。',
    en: 'Pushes messages as signed (HMAC-SHA256, timestamped) JSON; receivers verify the signature and reject replays.',
  },
  engines: { kequn: '^1' },
  settings: webhookSettingsSchema,
  contributes: {
    // Not secure: push notifications show on lock screens and pass through vendor push services.
    channels: [
      {
        id: APP_PUSH_CHANNEL,
        kind: 'app_push',
        label: { 'zh-CN': 'App推送', en: 'App push' },
        secure: false,
      },
    ],
    settings: [
      { id: 'url', label: { 'zh-CN': '接收地址', en: 'Receiver URL' } },
      { id: 'secret', label: { 'zh-CN': '签名密钥', en: 'Signing secret' } },
      { id: 'ratePerSecond', label: { 'zh-CN': '每秒发送上限', en: 'Messages per second' } },
    ],
  },
  activate(context) {
    const adapter = createWebhookAdapter(context.settings);
    context.channels.register(APP_PUSH_CHANNEL, adapter);
    return { adapter };
  },
});

export default webhookChannelPlugin;
