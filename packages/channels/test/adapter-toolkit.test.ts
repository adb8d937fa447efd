// The HTTP toolkit adapters share (deadline, Retry-After, health) and html bodies of templates.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { HealthTracker, parseRetryAfter, renderTemplate, requestWithTimeout, templateVariables, type MessageTemplate } from '../src/index.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function peer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('requestWithTimeout', () => {
  it('hands back the status, headers and body the peer answered', async () => {
    const url = await peer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        response.writeHead(503, { 'retry-after': '7', 'content-type': 'application/json' });
        response.end(JSON.stringify({ echoed: body, key: request.headers['idempotency-key'] }));
      });
    });
    const exchange = await requestWithTimeout(url, { method: 'POST', headers: { 'idempotency-key': 'k-1' }, body: 'hello', timeoutMs: 2_000, peer: 'the test peer' });
    if (!exchange.answered) throw new Error(exchange.reason);
    expect(exchange.response).toMatchObject({ status: 503, ok: false });
    expect(exchange.response.header('Retry-After')).toBe('7');
    expect(JSON.parse(await exchange.response.text())).toEqual({ echoed: 'hello', key: 'k-1' });
  });

  it('names the peer, never the request, when there is no answer', async () => {
    const stalled = await peer(() => undefined);
    expect(await requestWithTimeout(stalled, { timeoutMs: 150, peer: 'the test peer' })).toEqual({ answered: false, reason: 'the test peer did not answer within 150 ms' });
    const closed = await peer(() => undefined);
    const server = servers.pop();
    await new Promise((resolve) => server?.close(resolve));
    expect(await requestWithTimeout(`${closed}/send?mobile=13800138000`, { timeoutMs: 1_000, peer: 'the test peer' })).toEqual({
      answered: false,
      reason: 'could not reach the test peer (ECONNREFUSED)',
    });
    const cancel = new AbortController();
    cancel.abort();
    expect(await requestWithTimeout(stalled, { timeoutMs: 1_000, signal: cancel.signal, peer: 'the test peer' })).toEqual({ answered: false, reason: 'the send to the test peer was cancelled' });
  });

  it('keeps a deadline of seconds to within half a second, for a peer silent before or during its answer', async () => {
    const silent = await peer(() => undefined);
    const halfAnswered = await peer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partly');
    });
    for (const url of [silent, halfAnswered]) {
      const started = performance.now();
      const exchange = await requestWithTimeout(url, { timeoutMs: 2_000, peer: 'the test peer' });
      const reason = exchange.answered ? await exchange.response.text().then(() => 'read the whole body', (error: unknown) => String(error)) : exchange.reason;
      const elapsed = performance.now() - started;
      if (url === silent) expect(reason).toBe('the test peer did not answer within 2000 ms');
      else expect(reason).toMatch(/timeout/i);
      expect(elapsed).toBeGreaterThanOrEqual(1_950);
      expect(elapsed).toBeLessThan(3_000);
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds as milliseconds', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 86_400 }), (seconds) => parseRetryAfter(String(seconds), 0) === seconds * 1000));
  });

  it('reads an HTTP date relative to now, never negative, and ignores what it cannot read', () => {
    const now = Date.parse('2026-05-06T02:00:00Z');
    expect(parseRetryAfter('Wed, 06 May 2026 02:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 06 May 2026 01:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('  ', now)).toBeUndefined();
  });
});

describe('HealthTracker', () => {
  it('is degraded after a failure, down after three in a row, healthy after one good answer', () => {
    const health = new HealthTracker(() => 0);
    expect(health.current().state).toBe('healthy');
    health.failed('HTTP 503');
    expect(health.current()).toMatchObject({ state: 'degraded', detail: 'HTTP 503' });
    health.failed('HTTP 503');
    health.failed('timeout');
    expect(health.current()).toMatchObject({ state: 'down', detail: 'timeout' });
    health.succeeded();
    expect(health.current()).toEqual({ state: 'healthy', checkedAt: '1970-01-01T00:00:00.000Z' });
  });
});

describe('html bodies of templates', () => {
  const template: MessageTemplate = {
    id: 'statement',
    text: { 'zh-CN': '{{name}}，您的对账单已生成。', en: '{{name}}, your statement is ready.' },
    subject: { 'zh-CN': '对账单', en: 'Statement' },
    html: { 'zh-CN': '<p class="greeting">{{name}}，您的<b>对账单</b>已生成。</p>', en: '<p class="greeting">{{name}}, your <b>statement</b> is ready.</p>' },
  };

  it('is rendered per locale, and its variables count as the template’s', () => {
    expect(templateVariables({ text: { 'zh-CN': 'x', en: 'x' }, html: template.html })).toEqual(['name']);
    expect(renderTemplate(template, 'en', { name: 'Li Wei' })).toEqual({
      text: 'Li Wei, your statement is ready.',
      subject: 'Statement',
      html: '<p class="greeting">Li Wei, your <b>statement</b> is ready.</p>',
    });
  });

  it('escapes every variable value, so a value can never add markup', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const html = renderTemplate(template, 'en', { name: name === '' ? ' ' : name }).html ?? '';
        const inserted = html.slice('<p class="greeting">'.length, html.length - ', your <b>statement</b> is ready.</p>'.length);
        return !/[<>"']/.test(inserted) && inserted.replace(/&(amp|lt|gt|quot|#39);/g, '').includes('&') === false;
      }),
    );
  });
});
