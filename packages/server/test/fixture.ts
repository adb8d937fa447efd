// A small synthetic bank behind the server, shared by the tests: memory store, dev tokens.
import { createMemoryStore } from '@kequn/core';
import type { Role } from '@kequn/api';
import {
  BankState,
  createAuthenticator,
  createKequnApp,
  seedSyntheticBank,
  type AuthOptions,
  type KequnApp,
  type ServerOptionsInput,
} from '../src/index.js';

export const AS_OF = '2026-10-31';
export const NOW = '2026-11-02T09:00:00+08:00';

export interface Fixture {
  kequn: KequnApp;
  state: BankState;
  tokenFor(role: Role, extra?: { managerId?: string; branchId?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function createFixture(
  options: { customers?: number; serverOptions?: ServerOptionsInput; auth?: AuthOptions } = {},
): Promise<Fixture> {
  const store = createMemoryStore();
  await seedSyntheticBank(store, { customers: options.customers ?? 1_500, seed: 7, asOf: AS_OF });
  const state = await BankState.open({ store, asOf: AS_OF, now: () => NOW });
  const kequn = createKequnApp({
    state,
    auth: await createAuthenticator({ devMode: true, ...options.auth }),
    options: { rateLimit: { enabled: false }, ...options.serverOptions },
    now: () => NOW,
  });
  return {
    kequn,
    state,
    async tokenFor(role, extra = {}) {
      const response = await kequn.fetch(
        new Request('http://kequn.test/auth/dev-token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ role, ...extra }),
        }),
      );
      if (!response.ok)
        throw new Error(`dev token for ${role}: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { token: string };
      return body.token;
    },
    async close() {
      await state.close();
      await store.close();
    },
  };
}

export async function call(
  kequn: KequnApp,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return kequn.fetch(
    new Request(`http://kequn.test${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

/** Opens and files an upgrade hand-off for a customer of a counter wealth manager in the branch. */
export async function fileHandoffIn(state: BankState, branchId: string): Promise<string> {
  const counter = state.managers.find(
    (manager) =>
      manager.branchId === branchId &&
      manager.role === 'counter_wealth_manager' &&
      state.rowsOfManager(manager.id).length > 0,
  );
  const receiver = state.managers.find(
    (manager) => manager.branchId === branchId && manager.role === 'vip_wealth_manager',
  );
  if (counter === undefined || receiver === undefined)
    throw new Error(`branch ${branchId} lacks a counter or VIP manager with customers`);
  const row = state.rowsOfManager(counter.id)[0] ?? 0;
  const customerId = state.model.table.idAt(row);
  const books = state.books();
  const opened = await books.openHandoff({
    customerId,
    fromTier: 'mid',
    toTier: 'high_end',
    basis: 520_000,
    at: '2026-11-01T09:00:00+08:00',
  });
  if (opened === undefined) throw new Error(`no hand-off opened for ${customerId}`);
  await books.fileHandoff(opened.id, {
    by: counter.id,
    receiverId: receiver.id,
    at: '2026-11-01T10:00:00+08:00',
  });
  return opened.id;
}
