// The contract as data: what packages/api/README.md promises of it — unique ids and paths, every
// route guarded by a known permission, bodies validated by the same schemas the server uses.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  customerListQuerySchema,
  hasPermission,
  kequnRoutes,
  pathOf,
  permissionSchema,
  rolePolicies,
  roleSchema,
  routeById,
} from '../src/index.js';

describe('the route table', () => {
  it('has one route per id and per method and path, each guarded by a known access rule', () => {
    const ids = kequnRoutes.map((route) => route.id);
    expect(new Set(ids).size).toBe(ids.length);
    const places = kequnRoutes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(places).size).toBe(places.length);
    for (const route of kequnRoutes) {
      if (route.access === 'public' || route.access === 'authenticated') continue;
      expect(permissionSchema.options, route.id).toContain(route.access);
    }
  });

  it('grants every permission some role, and books.contact only to roles that hold a book or a branch', () => {
    for (const permission of permissionSchema.options)
      expect(
        roleSchema.options.some((role) => hasPermission(role, permission)),
        permission,
      ).toBe(true);
    const recorders = roleSchema.options.filter((role) => hasPermission(role, 'books.contact'));
    expect(recorders.sort()).toEqual(['branch_head', 'manager', 'operations_manager']);
    for (const role of recorders) expect(['book', 'branch']).toContain(rolePolicies[role].scope);
  });

  it('gives head office every permission except recording contacts and deciding hand-offs', () => {
    const withheld = permissionSchema.options.filter(
      (permission) => !hasPermission('head_office', permission),
    );
    expect(withheld).toEqual(['books.contact', 'handoffs.decide']);
  });
});

describe('books.recordContact', () => {
  const record = routeById(kequnRoutes, 'books.recordContact');

  it('lives under the manager’s book and accepts what a manager logs from the daily list', () => {
    expect(pathOf(record.path, { managerId: 'BR001-M05' })).toBe('/books/BR001-M05/contacts');
    expect(
      record.body.safeParse({
        customerId: 'C000000042',
        outcome: 'reached',
        channel: 'phone',
        occurredAt: '2026-11-02T09:30:00+08:00',
        note: '约下周到网点面谈',
      }).success,
    ).toBe(true);
  });

  it('refuses unknown outcomes and channels, extra fields, instants without an offset and long notes', () => {
    const base = { customerId: 'C000000042', outcome: 'reached', channel: 'phone' };
    for (const bad of [
      { ...base, outcome: 'maybe' },
      { ...base, channel: 'fax' },
      { ...base, phone: '13812341234' },
      { ...base, occurredAt: '2026-11-02 09:30' },
      { ...base, note: 'x'.repeat(501) },
      { ...base, customerId: "C1'; DROP TABLE customers" },
    ])
      expect(record.body.safeParse(bad).success, JSON.stringify(bad).slice(0, 60)).toBe(false);
  });
});

describe('customers.list query', () => {
  it('defaults to id order ascending and accepts every sort key in both directions', () => {
    expect(customerListQuerySchema.parse({})).toMatchObject({
      sort: 'id',
      order: 'asc',
      limit: 50,
    });
    fc.assert(
      fc.property(
        fc.constantFrom('id', 'name', 'aum', 'tier'),
        fc.constantFrom('asc', 'desc'),
        (sort, order) => {
          expect(customerListQuerySchema.parse({ sort, order })).toMatchObject({ sort, order });
        },
      ),
    );
    expect(customerListQuerySchema.safeParse({ sort: 'phone' }).success).toBe(false);
  });
});

describe('books.contactPlan query', () => {
  it('answers in zh-CN unless English is asked for, and nothing else', () => {
    const plan = routeById(kequnRoutes, 'books.contactPlan');
    expect(plan.query.parse({}).locale).toBe('zh-CN');
    expect(plan.query.parse({ locale: 'en' }).locale).toBe('en');
    expect(plan.query.safeParse({ locale: 'fr' }).success).toBe(false);
  });
});
