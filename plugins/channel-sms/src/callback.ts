// The gateway's callbacks: delivery receipts (状态报告) and replies (上行短信). Each is verified
// (HMAC over `${timestamp}.${body}`, timestamp within the tolerance) before anything is emitted;
// a reply that is an unsubscribe word ("TD", "退订") becomes an opt-out.
import type { InboundEvent } from '@kequn/core';
import { readScalar } from './json-path.js';
import { signPayload, signatureMatches } from './signing.js';
import type { SmsCallbackSettings } from './settings.js';

export interface CallbackRequest {
  method: string;
  /** Header names in any case; Node's lower-cased `IncomingHttpHeaders` fit as they are. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  body: string;
}

export interface CallbackAnswer {
  status: number;
  body: { ok: boolean; events?: number; error?: string };
}

export interface CallbackContext {
  callback: SmsCallbackSettings;
  optOutKeywords: readonly string[];
  channelId: string;
  now: () => number;
  emit: (event: InboundEvent) => void;
}

function header(headers: CallbackRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

function refuse(status: number, error: string): CallbackAnswer {
  return { status, body: { ok: false, error } };
}

/** Full-width letters and spaces are common in handset replies: "ＴＤ" is "TD". */
function normalizeReply(text: string): string {
  return text.normalize('NFKC').trim().toUpperCase();
}

function isoTime(value: string | undefined, now: () => number): string {
  const parsed = value === undefined ? Number.NaN : Date.parse(value);
  return new Date(Number.isNaN(parsed) ? now() : parsed).toISOString();
}

function toEvent(item: unknown, context: CallbackContext): InboundEvent | undefined {
  const { callback, channelId, now } = context;
  const type = readScalar(item, callback.typeField);
  if (type !== undefined && callback.receiptTypes.includes(type)) {
    const status = readScalar(item, callback.receipt.statusField) ?? 'unknown';
    const idempotencyKey = readScalar(item, callback.receipt.idempotencyKeyField);
    const providerMessageId = readScalar(item, callback.receipt.messageIdField);
    const delivered = callback.receipt.deliveredValues.includes(status);
    return {
      type: 'receipt',
      channel: channelId,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(providerMessageId === undefined ? {} : { providerMessageId }),
      status: delivered ? 'delivered' : 'failed',
      at: isoTime(readScalar(item, callback.receipt.atField), now),
      ...(delivered ? {} : { detail: `gateway status ${status}` }),
    };
  }
  if (type !== undefined && callback.replyTypes.includes(type)) {
    const address = readScalar(item, callback.reply.phoneField);
    const text = readScalar(item, callback.reply.textField) ?? '';
    const at = isoTime(readScalar(item, callback.reply.atField), now);
    const keyword = normalizeReply(text);
    const optOut = context.optOutKeywords.some((word) => normalizeReply(word) === keyword);
    const who = address === undefined ? {} : { address };
    if (optOut)
      return { type: 'opt_out', channel: channelId, ...who, at, detail: `SMS reply "${keyword}"` };
    return { type: 'reply', channel: channelId, ...who, text, at };
  }
  // Other notifications (balance alerts, template reviews…) are not ours: acknowledged, ignored.
  return undefined;
}

export function receiveSmsCallback(
  request: CallbackRequest,
  context: CallbackContext,
): CallbackAnswer {
  const { callback, now } = context;
  if (request.method.toUpperCase() !== 'POST') return refuse(405, 'callbacks are POST requests');
  const timestamp = header(request.headers, callback.timestampHeader);
  const signature = header(request.headers, callback.signatureHeader);
  if (timestamp === undefined || signature === undefined)
    return refuse(401, 'missing signature or timestamp header');
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds) || Math.abs(now() / 1000 - seconds) > callback.toleranceSec) {
    return refuse(401, 'timestamp outside the accepted window');
  }
  const expected = signPayload(callback.secret, timestamp, request.body, callback.encoding);
  if (!signatureMatches(expected, signature)) return refuse(401, 'bad signature');
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    return refuse(400, 'the body is not JSON');
  }
  const items: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  const events = items.map((item) => toEvent(item, context)).filter((event) => event !== undefined);
  for (const event of events) context.emit(event);
  return { status: 200, body: { ok: true, events: events.length } };
}
