// A loopback server implementing the documented WeCom endpoints the channel uses: gettoken,
// externalcontact/add_msg_template and get_api_domain_ip, with token expiry, busy errors and
// de-duplication on the X-Kequn-Idempotency-Key header (real WeCom has no such key).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from '@kequn/channels/testing';

export interface WecomTask {
  msgid: string;
  sender: string;
  externalUserIds: string[];
  content: string;
  attachments: unknown;
}

export interface WecomServer {
  baseUrl: string;
  tasks: WecomTask[];
  tokensIssued: number;
  duplicates: number;
  /** Every token issued so far stops working (WeCom answers 42001). */
  expireTokens(): void;
  /** The next `count` add_msg_template calls answer this errcode. */
  errorNext(count: number, errcode: number, errmsg: string): void;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export interface WecomServerOptions {
  corpId: string;
  corpSecret: string;
  expiresIn?: number;
  /** External contacts of each member (userid → external_userids). */
  contacts: Record<string, string[]>;
}

export async function startWecomServer(options: WecomServerOptions): Promise<WecomServer> {
  const tasks: WecomTask[] = [];
  const tokens = new Map<string, 'valid' | 'expired'>();
  const byKey = new Map<string, string>();
  let tokensIssued = 0;
  let duplicates = 0;
  let injected = { count: 0, errcode: 0, errmsg: '' };

  const json = (response: ServerResponse, body: unknown): void => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  function tokenError(url: URL): { errcode: number; errmsg: string } | undefined {
    const token = url.searchParams.get('access_token');
    if (token === null || token === '') return { errcode: 41001, errmsg: 'access_token missing' };
    const state = tokens.get(token);
    if (state === undefined) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (state === 'expired') return { errcode: 42001, errmsg: 'access_token expired' };
    return undefined;
  }

  function addMsgTemplate(request: IncomingMessage, url: URL, body: string): unknown {
    const denied = tokenError(url);
    if (denied !== undefined) return denied;
    if (injected.count > 0) {
      injected.count -= 1;
      return { errcode: injected.errcode, errmsg: injected.errmsg };
    }
    const task = JSON.parse(body) as {
      chat_type?: string;
      external_userid?: string[];
      sender?: string;
      text?: { content?: string };
      attachments?: unknown;
    };
    if (task.chat_type !== 'single' || typeof task.text?.content !== 'string')
      return { errcode: 40058, errmsg: 'invalid parameter' };
    const sender = task.sender ?? '';
    const customers = options.contacts[sender];
    if (customers === undefined) return { errcode: 40003, errmsg: 'invalid userid' };
    const key = request.headers['x-kequn-idempotency-key'];
    const known = typeof key === 'string' ? byKey.get(key) : undefined;
    if (known !== undefined) {
      duplicates += 1;
      return { errcode: 0, errmsg: 'ok', fail_list: [], msgid: known };
    }
    const requested = task.external_userid ?? [];
    const failList = requested.filter((id) => !customers.includes(id));
    const reachable = requested.filter((id) => customers.includes(id));
    const msgid = `msg${String(tasks.length + 1).padStart(6, '0')}`;
    if (reachable.length > 0) {
      tasks.push({
        msgid,
        sender,
        externalUserIds: reachable,
        content: task.text.content,
        attachments: task.attachments,
      });
      if (typeof key === 'string') byKey.set(key, msgid);
    }
    return { errcode: 0, errmsg: 'ok', fail_list: failList, msgid };
  }

  const server = await startLoopbackServer((request, response, body) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/cgi-bin/gettoken') {
      if (
        url.searchParams.get('corpid') !== options.corpId ||
        url.searchParams.get('corpsecret') !== options.corpSecret
      ) {
        return json(response, { errcode: 40001, errmsg: 'invalid credential' });
      }
      tokensIssued += 1;
      const token = `token-${tokensIssued}`;
      tokens.set(token, 'valid');
      return json(response, {
        errcode: 0,
        errmsg: 'ok',
        access_token: token,
        expires_in: options.expiresIn ?? 7200,
      });
    }
    if (request.method === 'POST' && url.pathname === '/cgi-bin/externalcontact/add_msg_template') {
      return json(response, addMsgTemplate(request, url, body));
    }
    if (request.method === 'GET' && url.pathname === '/cgi-bin/get_api_domain_ip') {
      return json(
        response,
        tokenError(url) ?? { errcode: 0, errmsg: 'ok', ip_list: ['127.0.0.1'] },
      );
    }
    response.writeHead(404).end();
  });

  return {
    baseUrl: server.baseUrl,
    tasks,
    get tokensIssued() {
      return tokensIssued;
    },
    get duplicates() {
      return duplicates;
    },
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, 'expired');
    },
    errorNext(count, errcode, errmsg) {
      injected = { count, errcode, errmsg };
    },
    down: server.down,
    up: server.up,
    close: server.close,
  };
}
