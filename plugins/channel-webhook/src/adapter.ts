// The webhook channel adapter: one signed POST per message; 2xx accepted, 400/410/422 refused for
// good, anything else (and no answer) retried.
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelHealth,
  ChannelRecipient,
  OutboundMessage,
  SendOptions,
  SendResult,
} from '@kequn/core';
import {
  HealthTracker,
  parseRetryAfter,
  probeHealth,
  rejectUnsupportedKind,
  requestWithTimeout,
} from '@kequn/channels';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './signature.js';
import type { WebhookSettings } from './settings.js';
import type { WebhookDelivery } from './verify.js';

export interface WebhookAdapterOptions {
  now?: () => number;
}

/** Statuses by which a receiver says this message will never be taken (gone, malformed, unprocessable). */
const permanentStatuses = new Set([400, 410, 422]);
const peer = 'the webhook receiver';

export function createWebhookAdapter(
  settings: WebhookSettings,
  options: WebhookAdapterOptions = {},
): ChannelAdapter {
  const now = options.now ?? Date.now;
  const health = new HealthTracker(now);
  const capabilities = Object.freeze<ChannelCapabilities>({
    kinds: ['text', 'rich'],
    ...(settings.maxLength === undefined ? {} : { maxLength: settings.maxLength }),
    ratePerSecond: settings.ratePerSecond,
    deliveryReceipts: false,
    replies: false,
  });

  async function send(
    message: OutboundMessage,
    recipient: ChannelRecipient,
    sendOptions: SendOptions,
  ): Promise<SendResult> {
    const unsupported = rejectUnsupportedKind('the webhook channel', capabilities, message.kind);
    if (unsupported !== undefined) return unsupported;
    if (settings.maxLength !== undefined && [...message.text].length > settings.maxLength) {
      return {
        status: 'rejected',
        reason: `the text is longer than the ${settings.maxLength} characters the receiver takes`,
      };
    }
    const sentAtMs = now();
    const delivery: WebhookDelivery = {
      id: sendOptions.idempotencyKey,
      customerId: recipient.customerId,
      address: recipient.address,
      message: {
        kind: message.kind,
        templateId: message.templateId,
        locale: message.locale,
        text: message.text,
        ...(message.subject === undefined ? {} : { subject: message.subject }),
        ...(message.data === undefined ? {} : { data: { ...message.data } }),
      },
      sentAt: new Date(sentAtMs).toISOString(),
    };
    const body = JSON.stringify(delivery);
    const timestamp = String(Math.floor(sentAtMs / 1000));
    const exchange = await requestWithTimeout(settings.url, {
      method: 'POST',
      headers: {
        ...settings.headers,
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signWebhook(settings.secret, timestamp, body),
      },
      body,
      timeoutMs: settings.timeoutMs,
      signal: sendOptions.signal,
      peer,
    });
    if (!exchange.answered) {
      health.failed(exchange.reason);
      return { status: 'failed', reason: exchange.reason };
    }
    const { response } = exchange;
    await response.discard();
    const reason = `${peer} answered HTTP ${response.status}`;
    if (response.ok) {
      health.succeeded();
      return { status: 'accepted' };
    }
    if (permanentStatuses.has(response.status)) {
      health.succeeded();
      return { status: 'rejected', reason };
    }
    health.failed(reason);
    const wait = parseRetryAfter(response.header('retry-after'), now());
    return { status: 'failed', reason, ...(wait === undefined ? {} : { retryAfterMs: wait }) };
  }

  return {
    capabilities,
    send,
    async health(): Promise<ChannelHealth> {
      if (settings.healthUrl === undefined) return health.current();
      return probeHealth(settings.healthUrl, Math.min(settings.timeoutMs, 2000), now);
    },
  };
}
