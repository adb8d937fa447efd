// A loopback SMS gateway for tests and demos, shaped like a bank's SMS platform: its own field
// names, HMAC or bearer auth, idempotency on the request serial number, business error codes, and
// receipts and replies posted back signed. It can be told to fail, stall, go down and come back.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signPayload, signatureMatches } from '../signing.js';
import type { SmsCallbackInput, SmsSettingsInput } from '../settings.js';

/** The field mapping that makes the adapter speak this gateway's dialect. */
export const loopbackGatewayMapping: Required<Pick<SmsSettingsInput, 'request' | 'response'>> = {
  request: {
    phone: 'mobile',
    text: 'content',
    idempotencyKey: 'serialNo',
    signName: 'sign',
    constants: { appId: 'kequn' },
  },
  response: {
    acceptedField: 'retCode',
    acceptedValues: ['0000'],
    messageIdField: 'data.msgId',
    errorMessageField: 'retMsg',
    permanentErrorCodes: ['1001', '1002'],
  },
};

/** How this gateway takes batches, for the adapter's `batch` setting; add `url: gateway.batchUrl`. */
export const loopbackBatchMapping = { itemsField: 'items', resultsField: 'results' } as const;

/** The callback mapping for this gateway's receipts (`report`) and replies (`mo`); add the secret. */
export const loopbackCallbackMapping: Omit<SmsCallbackInput, 'secret'> = {
  receiptTypes: ['report'],
  replyTypes: ['mo'],
  receipt: {
    messageIdField: 'msgId',
    idempotencyKeyField: 'serialNo',
    statusField: 'stat',
    atField: 'doneTime',
  },
  reply: { phoneField: 'mobile', textField: 'content', atField: 'recvTime' },
};

export interface LoopbackSmsGatewayOptions {
  /** What the gateway demands of senders; absent: no authentication. */
  auth?: { type: 'hmac'; secret: string } | { type: 'bearer'; token: string };
  /** Where to post receipts and replies, signed with `secret`. */
  callback?: { url: string; secret: string };
  /** Receipt status for new messages; "DELIVRD" unless told otherwise. */
  receiptStatus?: (mobile: string) => string;
}

export interface DeliveredSms {
  msgId: string;
  serialNo: string;
  mobile: string;
  content: string;
  sign: string | undefined;
}

export interface LoopbackSmsGateway {
  /** The send endpoint. */
  readonly url: string;
  /**
   * The batch endpoint: `{ appId, sign, items: [{ mobile, content, serialNo }] }` in, `{ retCode,
   * results: [...] }` out, one result per item as the send endpoint would answer it
   * (`loopbackBatchMapping` tells the adapter so).
   */
  readonly batchUrl: string;
  readonly healthUrl: string;
  /** Every message handed to the (pretend) operators, once per serial number. */
  readonly delivered: readonly DeliveredSms[];
  /** Requests that repeated a serial number already delivered: acknowledged, not sent again. */
  readonly duplicates: number;
  /** Send and batch requests received, including refused ones. */
  readonly requests: number;
  /** Answer the next `count` send requests with an HTTP error, without processing them. */
  failNext(count: number, options?: { status?: number; retryAfterSec?: number }): void;
  /** Answer the next `count` send requests HTTP 200 with retCode 9999 (system busy). */
  busyNext(count: number): void;
  /** Process the next `count` send requests but answer only after `delayMs` (a lost answer). */
  stallNext(count: number, delayMs: number): void;
  /** Stop listening and drop open connections: the gateway is unreachable. */
  down(): Promise<void>;
  /** Listen again on the same port. */
  up(): Promise<void>;
  /** Post a reply (上行短信) from a handset to the callback URL; resolves to the HTTP status. */
  postReply(mobile: string, content: string): Promise<number>;
  /** Wait until every receipt posted so far has been answered. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const mainlandMobile = /^1[3-9]\d{9}$/;

export async function startLoopbackSmsGateway(
  options: LoopbackSmsGatewayOptions = {},
): Promise<LoopbackSmsGateway> {
  const delivered: DeliveredSms[] = [];
  const bySerial = new Map<string, string>();
  const pending = new Set<Promise<unknown>>();
  let duplicates = 0;
  let requests = 0;
  let failures: { count: number; status: number; retryAfterSec: number | undefined } = {
    count: 0,
    status: 503,
    retryAfterSec: undefined,
  };
  let busy = 0;
  let stall = { count: 0, delayMs: 0 };
  let port = 0;

  function answer(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  }

  function authorized(request: IncomingMessage, body: string): boolean {
    const auth = options.auth;
    if (auth === undefined) return true;
    if (auth.type === 'bearer') return request.headers.authorization === `Bearer ${auth.token}`;
    const timestamp = request.headers['x-timestamp'];
    const signature = request.headers['x-signature'];
    if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
    return signatureMatches(signPayload(auth.secret, timestamp, body, 'hex'), signature);
  }

  function postSigned(payload: unknown): Promise<number> {
    const callback = options.callback;
    if (callback === undefined) return Promise.resolve(0);
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const posting = fetch(callback.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-timestamp': timestamp,
        'x-signature': signPayload(callback.secret, timestamp, body, 'hex'),
      },
      body,
    }).then(async (response) => {
      await response.body?.cancel();
      return response.status;
    });
    const tracked = posting.catch(() => 0);
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
    return posting;
  }

  function accept(fields: Record<string, unknown>): { duplicate: boolean; msgId: string } {
    const serialNo = String(fields.serialNo);
    const known = bySerial.get(serialNo);
    if (known !== undefined) {
      duplicates += 1;
      return { duplicate: true, msgId: known };
    }
    const msgId = `M${String(delivered.length + 1).padStart(8, '0')}`;
    const mobile = String(fields.mobile);
    bySerial.set(serialNo, msgId);
    delivered.push({
      msgId,
      serialNo,
      mobile,
      content: String(fields.content),
      sign: typeof fields.sign === 'string' ? fields.sign : undefined,
    });
    const stat = options.receiptStatus?.(mobile) ?? 'DELIVRD';
    void postSigned({
      type: 'report',
      msgId,
      serialNo,
      mobile,
      stat,
      doneTime: new Date().toISOString(),
    }).catch(() => 0);
    return { duplicate: false, msgId };
  }

  /**
   * What every request goes through before its messages are looked at: an outage set by
   * `failNext`, the signature, the JSON. Answers and returns undefined when the request stops here.
   */
  function admit(
    request: IncomingMessage,
    response: ServerResponse,
    body: string,
  ): Record<string, unknown> | undefined {
    requests += 1;
    if (failures.count > 0) {
      failures.count -= 1;
      const headers: Record<string, string> =
        failures.retryAfterSec === undefined
          ? {}
          : { 'retry-after': String(failures.retryAfterSec) };
      answer(response, failures.status, { retCode: '9998', retMsg: 'unavailable' }, headers);
      return undefined;
    }
    if (!authorized(request, body)) {
      answer(response, 401, { retCode: '4010', retMsg: 'signature mismatch' });
      return undefined;
    }
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      answer(response, 400, { retCode: '4000', retMsg: 'body is not JSON' });
      return undefined;
    }
  }

  function hasMessageFields(fields: Record<string, unknown>): boolean {
    return typeof fields.serialNo === 'string' && typeof fields.content === 'string' && typeof fields.mobile === 'string';
  }

  /** One message's answer: accepted once per serial number, or refused for its number. */
  function judge(fields: Record<string, unknown>): Record<string, unknown> {
    if (!mainlandMobile.test(String(fields.mobile))) return { retCode: '1001', retMsg: 'invalid mobile number' };
    const { duplicate, msgId } = accept(fields);
    return { retCode: '0000', retMsg: duplicate ? 'duplicate serialNo, already accepted' : 'success', data: { msgId } };
  }

  function takeBusy(response: ServerResponse): boolean {
    if (busy === 0) return false;
    busy -= 1;
    answer(response, 200, { retCode: '9999', retMsg: 'system busy' });
    return true;
  }

  async function takeStall(): Promise<void> {
    if (stall.count === 0) return;
    stall.count -= 1;
    await new Promise((resolve) => setTimeout(resolve, stall.delayMs));
  }

  async function handleSend(request: IncomingMessage, response: ServerResponse, body: string): Promise<void> {
    const fields = admit(request, response, body);
    if (fields === undefined) return;
    if (!hasMessageFields(fields)) {
      return answer(response, 400, {
        retCode: '4001',
        retMsg: 'serialNo, mobile and content are required',
      });
    }
    if (takeBusy(response)) return;
    const judged = judge(fields);
    if (judged.retCode === '0000') await takeStall();
    answer(response, 200, judged);
  }

  async function handleBatch(request: IncomingMessage, response: ServerResponse, body: string): Promise<void> {
    const fields = admit(request, response, body);
    if (fields === undefined) return;
    const items = fields.items;
    if (!Array.isArray(items) || items.length === 0 || items.length > 1000) {
      return answer(response, 400, { retCode: '4002', retMsg: 'items must hold 1 to 1000 messages' });
    }
    if (takeBusy(response)) return;
    const results = items.map((item: unknown) => {
      const message = typeof item === 'object' && item !== null ? { ...(item as Record<string, unknown>), sign: fields.sign } : {};
      return hasMessageFields(message) ? judge(message) : { retCode: '1002', retMsg: 'serialNo, mobile and content are required' };
    });
    await takeStall();
    answer(response, 200, { retCode: '0000', retMsg: 'success', results });
  }

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (request.method === 'GET' && request.url === '/health')
        return answer(response, 200, { status: 'UP' });
      if (request.method === 'POST' && (request.url === '/sms/send' || request.url === '/sms/batch')) {
        const handle = request.url === '/sms/send' ? handleSend : handleBatch;
        void handle(request, response, body).catch(() => answer(response, 500, { retCode: '5000' }));
        return;
      }
      answer(response, 404, { retCode: '4040', retMsg: 'not found' });
    });
  });

  function listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  function stop(): Promise<void> {
    return new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  await listen();
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}/sms/send`,
    batchUrl: `${base}/sms/batch`,
    healthUrl: `${base}/health`,
    delivered,
    get duplicates() {
      return duplicates;
    },
    get requests() {
      return requests;
    },
    failNext(count, failure = {}) {
      failures = { count, status: failure.status ?? 503, retryAfterSec: failure.retryAfterSec };
    },
    busyNext(count) {
      busy = count;
    },
    stallNext(count, delayMs) {
      stall = { count, delayMs };
    },
    down: stop,
    up: listen,
    postReply: (mobile, content) =>
      postSigned({ type: 'mo', mobile, content, recvTime: new Date().toISOString() }),
    async settled() {
      await Promise.all([...pending]);
    },
    async close() {
      await Promise.all([...pending]);
      await stop();
    },
  };
}
