// The SMS channel adapter: one POST per message to the bank's SMS gateway (or one per batch, where
// the gateway takes batches), its answer mapped to accepted / rejected / failed, and receipts and
// replies turned into inbound events.
import {
  Emitter,
  type BatchSendItem,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ChannelHealth,
  type ChannelRecipient,
  type Disposable,
  type InboundEvent,
  type OutboundMessage,
  type SendOptions,
  type SendResult,
} from '@kequn/core';
import {
  HealthTracker,
  parseRetryAfter,
  probeHealth,
  rejectUnsupportedKind,
  requestWithTimeout,
  type PeerResponse,
} from '@kequn/channels';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readPath, readScalar, writePath, type JsonObject } from './json-path.js';
import { signPayload } from './signing.js';
import { receiveSmsCallback, type CallbackAnswer, type CallbackRequest } from './callback.js';
import { SmsCallbackNotConfiguredError } from './errors.js';
import type { SmsBatchSettings, SmsSettings } from './settings.js';

export interface SmsAdapterOptions {
  /** The channel id events are labelled with. */
  channelId?: string;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now?: () => number;
}

export type NodeCallbackHandler = (
  request: IncomingMessage,
  response: ServerResponse,
) => Promise<void>;

export interface SmsChannelAdapter extends ChannelAdapter {
  readonly onInbound: (listener: (event: InboundEvent) => void) => Disposable;
  /** The framework-neutral core of the callback: verify, parse, emit; returns what to answer. */
  receiveCallback(request: CallbackRequest): CallbackAnswer;
  /** A Node `(req, res)` handler for the gateway's receipt and reply callbacks. */
  createCallbackHandler(): NodeCallbackHandler;
  dispose(): void;
}

const peer = 'the SMS gateway';
const maxCallbackBytes = 1024 * 1024;

export function createSmsAdapter(
  settings: SmsSettings,
  options: SmsAdapterOptions = {},
): SmsChannelAdapter {
  const channelId = options.channelId ?? 'sms';
  const now = options.now ?? Date.now;
  const inbound = new Emitter<InboundEvent>(`${channelId}.inbound`);
  const health = new HealthTracker(now);
  const capabilities = Object.freeze<ChannelCapabilities>({
    kinds: ['text'],
    maxLength: settings.maxLength,
    ratePerSecond: settings.ratePerSecond,
    deliveryReceipts: true,
    replies: true,
    ...(settings.batch === undefined ? {} : { maxBatchSize: settings.batch.maxSize }),
  });

  /** The gateway's constants and the signature, in a body (once per request). */
  function writeCommon(body: JsonObject): void {
    for (const [path, value] of Object.entries(settings.request.constants)) writePath(body, path, value);
    if (settings.signName !== undefined) writePath(body, settings.request.signName, settings.signName);
  }

  /** One message's own fields: number, text and idempotency key. */
  function writeMessage(target: JsonObject, message: OutboundMessage, recipient: ChannelRecipient, idempotencyKey: string): void {
    writePath(target, settings.request.phone, recipient.address);
    writePath(target, settings.request.text, message.text);
    writePath(target, settings.request.idempotencyKey, idempotencyKey);
  }

  /** Refusals decided before anything is sent: a kind it does not carry, too long, no number. */
  function refusedUpFront(message: OutboundMessage, recipient: ChannelRecipient): SendResult | undefined {
    const unsupported = rejectUnsupportedKind('the SMS channel', capabilities, message.kind);
    if (unsupported !== undefined) return unsupported;
    const length = [...message.text].length;
    if (length > settings.maxLength) {
      return {
        status: 'rejected',
        reason: `the text has ${length} characters; the SMS channel takes at most ${settings.maxLength}`,
      };
    }
    if (recipient.address.trim() === '') return { status: 'rejected', reason: 'the recipient has no phone number' };
    return undefined;
  }

  function requestBody(
    message: OutboundMessage,
    recipient: ChannelRecipient,
    idempotencyKey: string,
  ): string {
    const body: JsonObject = {};
    writeCommon(body);
    writeMessage(body, message, recipient, idempotencyKey);
    return JSON.stringify(body);
  }

  function authHeaders(body: string): Record<string, string> {
    const auth = settings.auth;
    if (auth.type === 'bearer') return { authorization: `Bearer ${auth.token}` };
    if (auth.type === 'none') return {};
    const timestamp = String(Math.floor(now() / 1000));
    return {
      [auth.timestampHeader]: timestamp,
      [auth.signatureHeader]: signPayload(auth.secret, timestamp, body, auth.encoding),
    };
  }

  /** The gateway answered 2xx: its body says whether it took the message. */
  function interpretAnswer(answer: unknown): SendResult {
    const mapping = settings.response;
    const messageId = readScalar(answer, mapping.messageIdField);
    if (mapping.acceptedField === undefined) return accepted(messageId);
    const verdict = readScalar(answer, mapping.acceptedField);
    if (verdict !== undefined && mapping.acceptedValues.includes(verdict))
      return accepted(messageId);
    const code = readScalar(answer, mapping.errorCodeField ?? mapping.acceptedField) ?? 'unknown';
    const text = readScalar(answer, mapping.errorMessageField);
    const reason = `${peer} refused the message with code ${code}${text === undefined ? '' : ` (${text})`}`;
    if (mapping.permanentErrorCodes.includes(code)) return { status: 'rejected', reason };
    return { status: 'failed', reason };
  }

  /** The error code and message of a 4xx body, when mapped; never the raw body, which may echo the number. */
  function refusal(raw: string): string {
    let answer: unknown;
    try {
      answer = JSON.parse(raw);
    } catch {
      return '';
    }
    const code = readScalar(
      answer,
      settings.response.errorCodeField ?? settings.response.acceptedField,
    );
    const text = readScalar(answer, settings.response.errorMessageField);
    if (code === undefined && text === undefined) return '';
    return ` (${[code, text].filter((part) => part !== undefined).join(': ')})`;
  }

  /**
   * What the HTTP answer says for every message of the request: a failure or refusal of them all,
   * or the body to read each message's result from.
   */
  async function readAnswer(response: PeerResponse): Promise<{ all: SendResult } | { answer: unknown }> {
    const raw = await response.text();
    if (response.status === 429 || response.status === 408 || response.status >= 500) {
      health.failed(`${peer} answered HTTP ${response.status}`);
      const wait = parseRetryAfter(response.header('retry-after'), now());
      return {
        all: {
          status: 'failed',
          reason: `${peer} answered HTTP ${response.status}`,
          ...(wait === undefined ? {} : { retryAfterMs: wait }),
        },
      };
    }
    if (response.status === 401 || response.status === 403) {
      // A refused login is the bank's configuration or a rotated secret, not this message: it
      // fails every message alike, so it is retryable and trips the circuit breaker, which pauses
      // the channel and reports it, instead of rejecting the whole queue for good.
      const reason = `${peer} refused the credentials with HTTP ${response.status}${refusal(raw)}`;
      health.failed(reason);
      return { all: { status: 'failed', reason } };
    }
    health.succeeded();
    if (response.status >= 400) {
      return {
        all: {
          status: 'rejected',
          reason: `${peer} refused the request with HTTP ${response.status}${refusal(raw)}`,
        },
      };
    }
    let answer: unknown;
    try {
      answer = raw === '' ? {} : JSON.parse(raw);
    } catch {
      // A 2xx we cannot read may or may not have been sent: retry, the gateway drops duplicates by key.
      return { all: { status: 'failed', reason: `${peer} answered HTTP ${response.status} with a body that is not JSON` } };
    }
    return { answer };
  }

  async function interpretResponse(response: PeerResponse): Promise<SendResult> {
    const read = await readAnswer(response);
    return 'all' in read ? read.all : interpretAnswer(read.answer);
  }

  async function send(
    message: OutboundMessage,
    recipient: ChannelRecipient,
    sendOptions: SendOptions,
  ): Promise<SendResult> {
    const refused = refusedUpFront(message, recipient);
    if (refused !== undefined) return refused;
    const body = requestBody(message, recipient, sendOptions.idempotencyKey);
    const exchange = await requestWithTimeout(settings.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [settings.request.idempotencyHeader]: sendOptions.idempotencyKey,
        ...authHeaders(body),
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
    return interpretResponse(exchange.response);
  }

  /**
   * One request for many messages: those refused up front are answered without it; a failure of
   * the request (no answer, 5xx, refused credentials, a body it cannot read, a result list of the
   * wrong length) fails every message in it — retryable, since the gateway drops repeats by key.
   */
  async function sendBatchTo(batch: SmsBatchSettings, items: readonly BatchSendItem[], batchOptions: { signal?: AbortSignal } = {}): Promise<SendResult[]> {
    const results = items.map((item) => refusedUpFront(item.message, item.recipient));
    const sending = items.flatMap((item, index) => (results[index] === undefined ? [item] : []));
    if (sending.length > 0) {
      const body: JsonObject = {};
      writeCommon(body);
      writePath(
        body,
        batch.itemsField,
        sending.map((item) => {
          const entry: JsonObject = {};
          writeMessage(entry, item.message, item.recipient, item.idempotencyKey);
          return entry;
        }),
      );
      const text = JSON.stringify(body);
      const exchange = await requestWithTimeout(batch.url ?? settings.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders(text) },
        body: text,
        timeoutMs: settings.timeoutMs,
        signal: batchOptions.signal,
        peer,
      });
      let answers: SendResult[];
      if (exchange.answered) answers = await batchAnswers(batch, exchange.response, sending.length);
      else {
        health.failed(exchange.reason);
        answers = sending.map(() => ({ status: 'failed', reason: exchange.reason }));
      }
      let next = 0;
      results.forEach((result, index) => {
        if (result === undefined) results[index] = answers[next++];
      });
    }
    return results as SendResult[];
  }

  /** A batch's answer, one result per message sent. */
  async function batchAnswers(batch: SmsBatchSettings, response: PeerResponse, count: number): Promise<SendResult[]> {
    const read = await readAnswer(response);
    if ('all' in read) return Array.from({ length: count }, () => read.all);
    const list = readPath(read.answer, batch.resultsField);
    if (Array.isArray(list) && list.length === count) return list.map(interpretAnswer);
    const reason = `${peer} answered ${Array.isArray(list) ? list.length : 'no'} results for a batch of ${count}`;
    return Array.from({ length: count }, () => ({ status: 'failed', reason }));
  }

  function receiveCallback(request: CallbackRequest): CallbackAnswer {
    if (settings.callback === undefined) throw new SmsCallbackNotConfiguredError(channelId);
    return receiveSmsCallback(request, {
      callback: settings.callback,
      optOutKeywords: settings.optOutKeywords,
      channelId,
      now,
      emit: (event) => inbound.fire(event),
    });
  }

  function createCallbackHandler(): NodeCallbackHandler {
    if (settings.callback === undefined) throw new SmsCallbackNotConfiguredError(channelId);
    return async (request, response) => {
      const answer = await readBody(request).then(
        (body) =>
          receiveCallback({ method: request.method ?? 'GET', headers: request.headers, body }),
        (): CallbackAnswer => ({
          status: 413,
          body: { ok: false, error: 'callback body too large' },
        }),
      );
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    };
  }

  const batchSettings = settings.batch;
  return {
    capabilities,
    send,
    ...(batchSettings === undefined ? {} : { sendBatch: (items: readonly BatchSendItem[], batchOptions?: { signal?: AbortSignal }) => sendBatchTo(batchSettings, items, batchOptions) }),
    async health(): Promise<ChannelHealth> {
      if (settings.healthUrl === undefined) return health.current();
      return probeHealth(settings.healthUrl, Math.min(settings.timeoutMs, 2000), now);
    },
    onInbound: (listener) => inbound.event(listener),
    receiveCallback,
    createCallbackHandler,
    dispose: () => inbound.dispose(),
  };
}

function accepted(providerMessageId: string | undefined): SendResult {
  return providerMessageId === undefined
    ? { status: 'accepted' }
    : { status: 'accepted', providerMessageId };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxCallbackBytes) {
        request.destroy();
        reject(new RangeError('callback body too large'));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
