// Every route of the OpenAPI document, called as every role with another branch's (or another
// manager's) ids and with the caller's own: a role without the permission gets 403, an id outside
// the scope gets 404, and no success ever carries a customer outside the caller's scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPermission, roleSchema, type Permission, type Role } from '@kequn/api';
import type { Customer } from '@kequn/core';
import { customerInScope, scopeOf, type DataScope } from '../src/index.js';
import { call, createFixture, fileHandoffIn, type Fixture } from './fixture.js';
import { customerIdsIn, exampleCampaign, examples } from './examples.js';

interface Operation {
  id: string;
  method: string;
  path: string;
  access: string;
}

let fixture: Fixture;
let operations: Operation[];
const handoffs: Record<'own' | 'foreign', string> = { own: '', foreign: '' };
/** A running head-office campaign (everyone with campaigns.read sees it) and one of another branch. */
const campaigns = { own: 'scope-head-office', foreign: 'scope-other-branch' };

function operationsOf(document: Record<string, unknown>): Operation[] {
  const paths = document.paths as Record<
    string,
    Record<string, { operationId: string; 'x-kequn-access': string }>
  >;
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      id: operation.operationId,
      method: method.toUpperCase(),
      path,
      access: operation['x-kequn-access'],
    })),
  );
}

beforeAll(async () => {
  fixture = await createFixture();
  const response = await call(fixture.kequn, 'GET', '/openapi.json', undefined);
  operations = operationsOf((await response.json()) as Record<string, unknown>);
  handoffs.own = await fileHandoffIn(fixture.state, 'BR001');
  handoffs.foreign = await fileHandoffIn(fixture.state, 'BR002');
  // The foreign campaign belongs to a branch none of the walking principals holds.
  const engine = fixture.state.campaigns.engine;
  const manager = (await (
    await call(fixture.kequn, 'GET', '/auth/me', await fixture.tokenFor('manager'))
  ).json()) as { principal: { branchId?: string } };
  const otherBranch = ['BR002', 'BR003'].find((branch) => branch !== manager.principal.branchId);
  for (const [id, branchId] of [
    [campaigns.own, undefined],
    [campaigns.foreign, otherBranch],
  ] as const) {
    await engine.create(exampleCampaign(id, branchId === undefined ? {} : { branchId }), {
      actor: 'head_office:planner',
    });
    for (const action of ['submit', 'approve', 'start'] as const)
      await engine.act(id, action, {
        actor: action === 'approve' ? 'head_office:checker' : 'head_office:planner',
      });
  }
});

afterAll(async () => {
  await fixture.close();
});

/** Ids inside BR001 (and the BR001 manager's book) and outside it (BR002). */
function samples(state: Fixture['state'], managerId: string) {
  const table = state.model.table;
  const own = state.rowsOfManager(managerId)[0] ?? 0;
  const foreignManager = state.managers.find(
    (manager) => manager.branchId === 'BR002' && state.rowsOfManager(manager.id).length > 0,
  );
  const foreign = state.rowsOfManager(foreignManager?.id ?? '')[0] ?? 0;
  return {
    own: {
      customerId: table.idAt(own),
      managerId,
      handoffId: handoffs.own,
      segmentId: 'affluent',
      pluginId: 'tiering',
      campaignId: campaigns.own,
    },
    foreign: {
      customerId: table.idAt(foreign),
      managerId: foreignManager?.id ?? '',
      handoffId: handoffs.foreign,
      campaignId: campaigns.foreign,
      segmentId: 'affluent',
      pluginId: 'tiering',
    },
  };
}

function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, (_whole, name: string) =>
    encodeURIComponent(values[name] ?? 'x'),
  );
}

async function scopeCheck(
  customers: Map<string, Customer>,
  scope: DataScope,
  body: unknown,
): Promise<string[]> {
  const outside: string[] = [];
  for (const id of customerIdsIn(body)) {
    const customer = customers.get(id) ?? (await fixture.state.store.customers.get(id));
    if (customer === undefined || !customerInScope(scope, customer)) outside.push(id);
  }
  return outside;
}

const scopedRoles: Role[] = ['branch_head', 'operations_manager', 'manager'];

describe('role × route scope over the OpenAPI document', () => {
  it('walks at least the built-in routes', () => {
    expect(operations.length).toBeGreaterThanOrEqual(33);
    expect(operations.map((operation) => operation.id)).toContain('campaigns.run');
  });

  for (const role of roleSchema.options) {
    it(`as ${role}: 403 without the permission, 404 outside the scope, nothing outside the scope returned`, async () => {
      const token = await fixture.tokenFor(
        role,
        role === 'branch_head' || role === 'operations_manager' ? { branchId: 'BR001' } : {},
      );
      const me = (await (await call(fixture.kequn, 'GET', '/auth/me', token)).json()) as {
        principal: { managerId?: string; branchId?: string; role: Role; userId: string };
      };
      const scope = scopeOf(me.principal);
      const managerId =
        me.principal.managerId ??
        fixture.state.managers.find(
          (manager) =>
            manager.branchId === 'BR001' && fixture.state.rowsOfManager(manager.id).length > 0,
        )?.id ??
        '';
      const ids = samples(fixture.state, managerId);
      const cache = new Map<string, Customer>();
      const segmentRef = 'tiering:mid';
      const byRoute = examples(segmentRef);
      for (const operation of operations) {
        for (const side of ['foreign', 'own'] as const) {
          const example = byRoute[operation.id] ?? {};
          const query =
            example.query === undefined ? '' : `?${new URLSearchParams(example.query).toString()}`;
          const path = fill(operation.path, ids[side]) + query;
          const body =
            operation.method === 'GET' || operation.method === 'DELETE'
              ? undefined
              : (example.body ?? {});
          const response = await call(fixture.kequn, operation.method, path, token, body);
          const where = `${role} ${operation.method} ${path}`;
          expect(response.status, where).not.toBe(500);
          const text = await response.text();
          if (
            operation.access !== 'public' &&
            operation.access !== 'authenticated' &&
            !hasPermission(role, operation.access as Permission)
          ) {
            expect(response.status, where).toBe(403);
            continue;
          }
          const pathNamesEntity = /\{(customerId|managerId|handoffId|campaignId)\}/.test(
            operation.path,
          );
          if (side === 'foreign' && pathNamesEntity && scopedRoles.includes(role)) {
            expect(response.status, where).toBe(404);
            expect(response.headers.get('content-type'), where).toBe('application/problem+json');
            expect(JSON.parse(text), where).toMatchObject({ code: 'KQ_SERVER_NOT_FOUND' });
            continue;
          }
          if (response.status >= 400) continue;
          const parsed: unknown =
            response.headers.get('content-type')?.includes('json') === true
              ? JSON.parse(text)
              : text;
          // The audit trail names customer ids (no personal data) by design: auditors read all of it.
          if (operation.id !== 'audit.list')
            expect(await scopeCheck(cache, scope, parsed), where).toEqual([]);
          if (operation.id !== 'customers.unmask') expect(text, where).not.toMatch(/"1[3-9]\d{9}"/);
        }
      }
    });
  }

  it('a manager lists only customers whose relationship manager they are, across every page', async () => {
    const token = await fixture.tokenFor('manager');
    const me = (await (await call(fixture.kequn, 'GET', '/auth/me', token)).json()) as {
      principal: { managerId: string };
    };
    let after: string | null = null;
    let seen = 0;
    do {
      const page = (await (
        await call(
          fixture.kequn,
          'GET',
          `/customers?limit=5${after === null ? '' : `&after=${after}`}`,
          token,
        )
      ).json()) as { items: { relationshipManagerId: string }[]; nextAfter: string | null };
      for (const item of page.items)
        expect(item.relationshipManagerId).toBe(me.principal.managerId);
      seen += page.items.length;
      after = page.nextAfter;
    } while (after !== null);
    expect(seen).toBe(fixture.state.rowsOfManager(me.principal.managerId).length);
  });

  it('answers 401 without a token and with a forged one', async () => {
    expect((await call(fixture.kequn, 'GET', '/customers', undefined)).status).toBe(401);
    const forged =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwia2VxdW5fcm9sZSI6ImhlYWRfb2ZmaWNlIn0.c2lnbmF0dXJl';
    expect((await call(fixture.kequn, 'GET', '/customers', forged)).status).toBe(401);
  });
});
