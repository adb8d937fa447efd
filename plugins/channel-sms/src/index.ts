// @kequn/plugin-channel-sms — the SMS channel (短信) through the bank's own HTTP SMS gateway:
// configurable URL, auth and body mapping; delivery receipts and "TD" unsubscribe replies come
// back through a callback handler the bank mounts on its HTTP server.
import { definePlugin } from '@kequn/core';
import { createSmsAdapter, type SmsChannelAdapter } from './adapter.js';
import { smsSettingsSchema, type SmsSettings } from './settings.js';

export {
  createSmsAdapter,
  type SmsAdapterOptions,
  type SmsChannelAdapter,
  type NodeCallbackHandler,
} from './adapter.js';
export type { CallbackAnswer, CallbackRequest } from './callback.js';
export { SmsCallbackNotConfiguredError } from './errors.js';
export {
  smsSettingsSchema,
  smsAuthSchema,
  smsBatchSchema,
  smsCallbackSchema,
  smsRequestMappingSchema,
  smsResponseMappingSchema,
  type SmsAuth,
  type SmsBatchSettings,
  type SmsCallbackInput,
  type SmsCallbackSettings,
  type SmsSettings,
  type SmsSettingsInput,
} from './settings.js';

/** The channel id this plugin contributes. */
export const SMS_CHANNEL = 'sms';

export const smsChannelPlugin = definePlugin<SmsSettings, { adapter: SmsChannelAdapter }>({
  id: 'channel-sms',
  version: '0.1.0',
  displayName: { 'zh-CN': '短信渠道', en: 'SMS channel' },
  description: {
    'zh-CN': '通过银行自有短信平台(HTTP接口)发送短信，接收状态报告与上行回复，回复"TD"即退订。',
    en: 'Sends SMS through the bank\'s own HTTP SMS gateway; receives delivery receipts and replies, a "TD" reply unsubscribes.',
  },
  engines: { kequn: '^1' },
  settings: smsSettingsSchema,
  contributes: {
    // Not secure: SMS content passes through operators and sits on the handset unprotected.
    channels: [
      { id: SMS_CHANNEL, kind: 'sms', label: { 'zh-CN': '短信', en: 'SMS' }, secure: false },
    ],
    settings: [
      { id: 'url', label: { 'zh-CN': '短信平台发送地址', en: 'Gateway send URL' } },
      { id: 'auth', label: { 'zh-CN': '鉴权方式', en: 'Authentication' } },
      { id: 'signName', label: { 'zh-CN': '短信签名', en: 'SMS signature' } },
      { id: 'request', label: { 'zh-CN': '请求字段映射', en: 'Request field mapping' } },
      { id: 'response', label: { 'zh-CN': '应答字段映射', en: 'Response field mapping' } },
      {
        id: 'callback',
        label: { 'zh-CN': '状态报告与上行回调', en: 'Receipt and reply callbacks' },
      },
      { id: 'ratePerSecond', label: { 'zh-CN': '每秒发送上限', en: 'Messages per second' } },
    ],
  },
  activate(context) {
    const adapter = createSmsAdapter(context.settings, { channelId: SMS_CHANNEL });
    context.subscriptions.add({ dispose: () => adapter.dispose() });
    context.channels.register(SMS_CHANNEL, adapter);
    return { adapter };
  },
});

export default smsChannelPlugin;
