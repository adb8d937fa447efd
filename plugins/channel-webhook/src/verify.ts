// For receivers: checks a webhook's signature and timestamp, then its id against a replay cache,
// in that order, so that an unsigned request can neither pass nor poison the cache.
import { z } from 'zod';
import { messageKindSchema } from '@kequn/core';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook, signatureMatches } from './signature.js';

/** The JSON body of every webhook. */
export const webhookDeliverySchema = z.object({
  /** The idempotency key: the same for every attempt of one message. */
  id: z.string().min(1),
  customerId: z.string(),
  address: z.string(),
  message: z.object({
    kind: messageKindSchema,
    templateId: z.string(),
    locale: z.enum(['zh-CN', 'en']),
    text: z.string(),
    subject: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
  sentAt: z.iso.datetime(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** Remembers delivery ids; shared by every instance of the receiver (Redis `SET NX PX` fits). */
export interface WebhookReplayCache {
  /** True when the id is new and is now remembered until `expiresAtMs`; false when seen already. */
  remember(id: string, expiresAtMs: number): boolean | Promise<boolean>;
}

/** An in-process replay cache: enough for a single receiver process. */
export function createMemoryReplayCache(options: { now?: () => number } = {}): WebhookReplayCache {
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();
  return {
    remember(id, expiresAtMs) {
      const at = now();
      // Maps iterate in insertion order, and every entry lives as long as the window: sweep the head.
      for (const [known, expiry] of expiries) {
        if (expiry > at) break;
        expiries.delete(known);
      }
      const existing = expiries.get(id);
      if (existing !== undefined && existing > at) return false;
      expiries.delete(id);
      expiries.set(id, expiresAtMs);
      return true;
    },
  };
}

export interface VerifyWebhookOptions {
  /** The shared secret; several during a rotation (any one may have signed). */
  secret: string | readonly string[];
  /** How far the timestamp may be from now, in seconds; older requests are replays. Default 300. */
  toleranceSec?: number;
  /** Where delivered ids are remembered; default an in-process cache. */
  seen?: WebhookReplayCache;
  now?: () => number;
}

export interface WebhookRequest {
  /** Header names in any case; Node's `IncomingHttpHeaders` fit as they are. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body exactly as received: parse after verifying, never before. */
  body: string;
}

export type WebhookRefusal =
  'missing_signature' | 'stale_timestamp' | 'bad_signature' | 'malformed';

export type WebhookVerification =
  | { ok: true; delivery: WebhookDelivery }
  /** Genuine but already received: answer 2xx so the sender stops, and do not act on it again. */
  | { ok: false; reason: 'replayed'; delivery: WebhookDelivery }
  | { ok: false; reason: WebhookRefusal };

function header(headers: WebhookRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

export function verifyWebhook(
  options: VerifyWebhookOptions,
): (request: WebhookRequest) => Promise<WebhookVerification> {
  const secrets = typeof options.secret === 'string' ? [options.secret] : [...options.secret];
  const toleranceSec = options.toleranceSec ?? 300;
  const seen =
    options.seen ?? createMemoryReplayCache(options.now === undefined ? {} : { now: options.now });
  const now = options.now ?? Date.now;
  return async (request) => {
    const timestamp = header(request.headers, TIMESTAMP_HEADER);
    const signature = header(request.headers, SIGNATURE_HEADER);
    if (timestamp === undefined || signature === undefined)
      return { ok: false, reason: 'missing_signature' };
    if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_signature' };
    const seconds = Number(timestamp);
    if (Math.abs(now() / 1000 - seconds) > toleranceSec)
      return { ok: false, reason: 'stale_timestamp' };
    const genuine = secrets.some((secret) =>
      signatureMatches(signWebhook(secret, timestamp, request.body), signature),
    );
    if (!genuine) return { ok: false, reason: 'bad_signature' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.body);
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const delivery = webhookDeliverySchema.safeParse(parsed);
    if (!delivery.success) return { ok: false, reason: 'malformed' };
    // Past the window a replay fails on its timestamp, so the id need not be kept longer.
    const fresh = await seen.remember(delivery.data.id, (seconds + toleranceSec) * 1000);
    return fresh
      ? { ok: true, delivery: delivery.data }
      : { ok: false, reason: 'replayed', delivery: delivery.data };
  };
}
