// @kequn/plugin-channel-wecom — WeCom (企业微信) external-contact messages: each message is a
// mass-send task (企业群发) for one customer, sent by the customer's relationship manager.
import { definePlugin, type ChannelAdapter } from '@kequn/core';
import { createWecomAdapter } from './adapter.js';
import { wecomSettingsSchema, type WecomSettings } from './settings.js';

export { createWecomAdapter, type WecomAdapterOptions } from './adapter.js';
export { wecomSettingsSchema, type WecomSettings, type WecomSettingsInput } from './settings.js';
export { WecomApiError } from './token.js';
export { permanentErrcodes, retryableErrcodes, tokenErrcodes } from './errcodes.js';

/** The channel id this plugin contributes. */
export const WECOM_CHANNEL = 'wecom';

export const wecomChannelPlugin = definePlugin<WecomSettings, { adapter: ChannelAdapter }>({
  id: 'channel-wecom',
  version: '0.1.0',
  displayName: { 'zh-CN': '企业微信渠道', en: 'WeCom channel' },
  description: {
    'zh-CN': '通过企业微信客户联系接口，由客户经理向外部联系人发送消息(成员确认后发出)。',
    en: "Messages to WeCom external contacts through the customer-contact API, sent by the customer's manager once they confirm.",
  },
  engines: { kequn: '^1' },
  settings: wecomSettingsSchema,
  contributes: {
    // Secure by default: WeCom is the bank's own enterprise channel under its data agreement with
    // Tencent. A bank whose policy says otherwise declares its own plugin around createWecomAdapter
    // with secure: false (see the README).
    channels: [
      {
        id: WECOM_CHANNEL,
        kind: 'wecom',
        label: { 'zh-CN': '企业微信', en: 'WeCom' },
        secure: true,
      },
    ],
    settings: [
      { id: 'corpId', label: { 'zh-CN': '企业ID', en: 'Corp id' } },
      { id: 'corpSecret', label: { 'zh-CN': '客户联系Secret', en: 'Customer-contact secret' } },
      { id: 'baseUrl', label: { 'zh-CN': '接口地址', en: 'API base URL' } },
      { id: 'ratePerSecond', label: { 'zh-CN': '每秒调用上限', en: 'Calls per second' } },
    ],
  },
  activate(context) {
    const adapter = createWecomAdapter(context.settings);
    context.channels.register(WECOM_CHANNEL, adapter);
    return { adapter };
  },
});

export default wecomChannelPlugin;
