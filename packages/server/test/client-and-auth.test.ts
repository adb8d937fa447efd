// Client round trips over the in-process transport, live progress over server-sent events, bank
// JWTs verified against a JWKS served by a local HTTP server, dev tokens and rate limiting.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createKequnClient, inProcessTransport, ProblemError } from '@kequn/client';
import type { BankState} from '../src/index.js';
import { createAuthenticator, createKequnApp } from '../src/index.js';
import { call, createFixture, type Fixture } from './fixture.js';

let fixture: Fixture;
beforeAll(async () => {
  fixture = await createFixture({ customers: 800 });
});
afterAll(async () => {
  await fixture.close();
});

describe('@kequn/client round trips', () => {
  it('lists, pages and reads a customer with types from the shared schemas', async () => {
    const client = createKequnClient({
      baseUrl: 'http://kequn.test',
      transport: inProcessTransport(fixture.kequn.fetch),
      token: await fixture.tokenFor('manager'),
      validateResponses: true,
    });
    const first = await client.call('customers.list', { query: { limit: 3 } });
    expect(first.items).toHaveLength(3);
    const after = first.nextAfter ?? '';
    const second = await client.call('customers.list', { query: { limit: 3, after } });
    expect(second.items[0]?.id.localeCompare(after)).toBe(1);
    const view = await client.call('customers.get', {
      params: { customerId: first.items[0]?.id ?? '' },
    });
    expect(view.profile.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
  });

  it('turns a refusal into a typed ProblemError', async () => {
    const client = createKequnClient({
      baseUrl: 'http://kequn.test',
      transport: inProcessTransport(fixture.kequn.fetch),
      token: await fixture.tokenFor('auditor'),
    });
    const failure = await client.call('customers.list').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProblemError);
    expect((failure as ProblemError).code).toBe('KQ_SERVER_FORBIDDEN');
    expect((failure as ProblemError).status).toBe(403);
  });

  it('streams segment evaluation progress: started, one progress per strategy, complete', async () => {
    const client = createKequnClient({
      baseUrl: 'http://kequn.test',
      transport: inProcessTransport(fixture.kequn.fetch),
      token: await fixture.tokenFor('branch_head', { branchId: 'BR001' }),
      validateResponses: true,
    });
    const events = [];
    for await (const event of client.stream('segments.evaluate', {
      body: { strategies: ['tiering', 'abcd'] },
    }))
      events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'started',
      'progress',
      'progress',
      'complete',
    ]);
    const tiering = events[1];
    if (tiering?.type !== 'progress') throw new Error('expected progress');
    expect(tiering.strategyId).toBe('tiering');
    const inBranch = fixture.state.rowsOfBranch('BR001').length;
    expect(tiering.segments.reduce((sum, segment) => sum + segment.customers, 0)).toBe(inBranch);
  });

  it('reports an unknown strategy inside the stream as an error event', async () => {
    const client = createKequnClient({
      baseUrl: 'http://kequn.test',
      transport: inProcessTransport(fixture.kequn.fetch),
      token: await fixture.tokenFor('head_office'),
    });
    const events = [];
    for await (const event of client.stream('segments.evaluate', {
      body: { strategies: ['nope'] },
    }))
      events.push(event);
    expect(events).toEqual([
      {
        type: 'error',
        problem: expect.objectContaining({ code: 'KQ_SERVER_NOT_FOUND', status: 404 }),
      },
    ]);
  });
});

describe('bank JWTs through a JWKS endpoint', () => {
  let jwksServer: Server;
  let jwksUrl: string;
  let sign: (claims: Record<string, unknown>, options?: { expired?: boolean }) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'bank-1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
    sign = async (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'bank-1' })
        .setIssuer('https://sso.bank.example')
        .setAudience('kequn')
        .setIssuedAt()
        .setExpirationTime(options.expired === true ? Math.floor(Date.now() / 1000) - 60 : '1h')
        .sign(privateKey);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
  });

  async function appWithBankAuth(state: BankState) {
    return createKequnApp({
      state,
      auth: await createAuthenticator({
        jwksUrl,
        issuer: 'https://sso.bank.example',
        audience: 'kequn',
        claims: { role: 'roles' },
        roleMap: { RM: 'manager', HQ: 'head_office' },
      }),
    });
  }

  it('accepts a token signed by the bank and maps its role', async () => {
    const kequn = await appWithBankAuth(fixture.state);
    const managerId =
      fixture.state.managers.find((manager) => fixture.state.rowsOfManager(manager.id).length > 0)
        ?.id ?? '';
    const token = await sign({ sub: 'u-1001', roles: 'RM', manager_id: managerId });
    const response = await call(kequn, 'GET', '/auth/me', token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      principal: { role: 'manager', managerId },
      scope: `book:${managerId}`,
    });
  });

  it('refuses expired tokens, unknown roles, managers without a manager id, and dev tokens', async () => {
    const kequn = await appWithBankAuth(fixture.state);
    expect(
      (
        await call(
          kequn,
          'GET',
          '/auth/me',
          await sign({ sub: 'u', roles: 'HQ' }, { expired: true }),
        )
      ).status,
    ).toBe(401);
    expect(
      (await call(kequn, 'GET', '/auth/me', await sign({ sub: 'u', roles: 'JANITOR' }))).status,
    ).toBe(401);
    expect(
      (await call(kequn, 'GET', '/auth/me', await sign({ sub: 'u', roles: 'RM' }))).status,
    ).toBe(401);
    const devOff = await call(kequn, 'POST', '/auth/dev-token', undefined, { role: 'head_office' });
    expect(devOff.status).toBe(404);
    expect(((await devOff.json()) as { code: string }).code).toBe('KQ_SERVER_DEV_MODE_OFF');
  });
});

describe('rate limiting', () => {
  it('answers 429 with retry-after once a user has spent the burst', async () => {
    const kequn = createKequnApp({
      state: fixture.state,
      auth: await createAuthenticator({ devMode: true }),
      options: { rateLimit: { perSecond: 0.01, burst: 3 } },
    });
    const issued = await call(kequn, 'POST', '/auth/dev-token', undefined, {
      role: 'analyst',
      userId: 'rate-test',
    });
    const { token } = (await issued.json()) as { token: string };
    const statuses = [];
    for (let attempt = 0; attempt < 5; attempt++)
      statuses.push((await call(kequn, 'GET', '/tiers', token)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await call(kequn, 'GET', '/tiers', token);
    expect(limited.headers.get('retry-after')).not.toBeNull();
  });

  it('sends secure headers and CORS only to allowed origins', async () => {
    const kequn = createKequnApp({
      state: fixture.state,
      auth: await createAuthenticator({ devMode: true }),
      options: { cors: { origins: ['https://crm.bank.example'] } },
    });
    const allowed = await kequn.fetch(
      new Request('http://kequn.test/health', { headers: { origin: 'https://crm.bank.example' } }),
    );
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://crm.bank.example');
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    const other = await kequn.fetch(
      new Request('http://kequn.test/health', { headers: { origin: 'https://evil.example' } }),
    );
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
