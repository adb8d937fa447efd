// Managed books over HTTP: recording a contact from the daily list (scope, validation, audit, the
// plan it updates), plan reasons in the caller's language, and hand-offs with the masked customer
// name and the filed-at instant the approval SLA counts from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskName } from '@kequn/core';
import { call, createFixture, fileHandoffIn, NOW, type Fixture } from './fixture.js';

let fixture: Fixture;
let managerToken: string;
let managerId: string;
let branchId: string;

interface PlanBody {
  locale: string;
  due: number;
  items: { customerId: string; name: string; reasons: string[]; overdue: boolean }[];
}

async function plan(token: string, query: string): Promise<PlanBody> {
  const response = await call(
    fixture.kequn,
    'GET',
    `/books/${managerId}/contact-plan?${query}`,
    token,
  );
  expect(response.status).toBe(200);
  return (await response.json()) as PlanBody;
}

beforeAll(async () => {
  fixture = await createFixture();
  managerToken = await fixture.tokenFor('manager');
  const me = (await (await call(fixture.kequn, 'GET', '/auth/me', managerToken)).json()) as {
    principal: { managerId: string; branchId: string };
  };
  managerId = me.principal.managerId;
  branchId = me.principal.branchId;
});

afterAll(async () => {
  await fixture.close();
});

describe('POST /books/{managerId}/contacts', () => {
  it('records a reached customer, takes them off today’s list and audits who logged it', async () => {
    const before = await plan(managerToken, 'date=2026-11-02&limit=200&locale=en');
    // Due by cadence or the minimum-contact rule only: a contact settles both, while a maturity or
    // dormancy keeps a customer on the list whatever the call.
    const first = before.items.find((item) =>
      item.reasons.every((reason) => /^class |^minimum one/.test(reason)),
    );
    expect(first, 'the manager has someone due by cadence').toBeDefined();
    const customerId = first?.customerId ?? '';
    const response = await call(
      fixture.kequn,
      'POST',
      `/books/${managerId}/contacts`,
      managerToken,
      { customerId, outcome: 'reached', channel: 'phone' },
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      customerId,
      managerId,
      outcome: 'reached',
      channel: 'phone',
      occurredAt: NOW,
      effective: true,
      lastEffectiveContactAt: NOW,
    });
    const after = await plan(managerToken, 'date=2026-11-02&limit=200&locale=en');
    expect(after.items.map((item) => item.customerId)).not.toContain(customerId);
    expect(after.due).toBe(before.due - 1);
    const audit = await fixture.state.store.auditLog.list({ subject: `customer:${customerId}` });
    // The server's entry names the caller and their scope; the book service writes its own too.
    const entry = audit.find(
      (candidate) =>
        candidate.details?.['step'] === 'contact' && candidate.details['scope'] !== undefined,
    );
    expect(entry?.actor).toMatch(/^manager:/);
    expect(entry?.details).toMatchObject({
      outcome: 'reached',
      managerId,
      scope: `book:${managerId}`,
    });
    const records = await fixture.state.store.contactRecords.listByCustomer(customerId);
    expect(
      records.some((record) => record.outcome === 'reached' && record.managerId === managerId),
    ).toBe(true);
  });

  it('an unanswered call is recorded but is not an effective contact', async () => {
    const customerId = fixture.state.model.table.idAt(
      fixture.state.rowsOfManager(managerId)[1] ?? 0,
    );
    const response = await call(
      fixture.kequn,
      'POST',
      `/books/${managerId}/contacts`,
      managerToken,
      {
        customerId,
        outcome: 'no_answer',
        channel: 'phone',
        occurredAt: '2026-11-01T15:30:00+08:00',
      },
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      effective: false,
      occurredAt: '2026-11-01T15:30:00+08:00',
    });
  });

  it('stores identifiers typed into the note masked', async () => {
    const customerId = fixture.state.model.table.idAt(
      fixture.state.rowsOfManager(managerId)[2] ?? 0,
    );
    const response = await call(
      fixture.kequn,
      'POST',
      `/books/${managerId}/contacts`,
      managerToken,
      {
        customerId,
        outcome: 'interested',
        channel: 'wecom',
        note: '客户新号码 13812341234，下周来网点',
      },
    );
    expect(response.status).toBe(201);
    const records = await fixture.state.store.contactRecords.listByCustomer(customerId);
    const notes = records.map((record) => record.note ?? '').join('\n');
    expect(notes).toContain('138****1234');
    expect(notes).not.toContain('13812341234');
  });

  it('a manager records only for their own book; a customer of another book is not found', async () => {
    const table = fixture.state.model.table;
    const other = fixture.state.managers.find(
      (manager) => manager.id !== managerId && fixture.state.rowsOfManager(manager.id).length > 0,
    );
    const othersCustomer = table.idAt(fixture.state.rowsOfManager(other?.id ?? '')[0] ?? 0);
    const own = table.idAt(fixture.state.rowsOfManager(managerId)[0] ?? 0);
    const body = { outcome: 'reached', channel: 'phone' };
    const intoOtherBook = await call(
      fixture.kequn,
      'POST',
      `/books/${other?.id ?? ''}/contacts`,
      managerToken,
      {
        ...body,
        customerId: othersCustomer,
      },
    );
    expect(intoOtherBook.status).toBe(404);
    const foreignCustomer = await call(
      fixture.kequn,
      'POST',
      `/books/${managerId}/contacts`,
      managerToken,
      {
        ...body,
        customerId: othersCustomer,
      },
    );
    expect(foreignCustomer.status).toBe(404);
    expect(await foreignCustomer.json()).toMatchObject({ code: 'KQ_SERVER_NOT_FOUND' });
    const unknown = await call(
      fixture.kequn,
      'POST',
      `/books/${managerId}/contacts`,
      managerToken,
      {
        ...body,
        customerId: 'C999999999',
      },
    );
    expect(unknown.status).toBe(404);
    expect(own).not.toBe(othersCustomer);
  });

  it('a branch head records for their branch’s managers only; head office and analysts may not record', async () => {
    const table = fixture.state.model.table;
    const branchHead = await fixture.tokenFor('branch_head', { branchId });
    const own = table.idAt(fixture.state.rowsOfManager(managerId)[3] ?? 0);
    const inBranch = await call(fixture.kequn, 'POST', `/books/${managerId}/contacts`, branchHead, {
      customerId: own,
      outcome: 'sold',
      channel: 'branch',
    });
    expect(inBranch.status).toBe(201);
    expect(await inBranch.json()).toMatchObject({ followUpsWithoutSale: 0, lowFrequency: false });
    const elsewhere = fixture.state.managers.find(
      (manager) =>
        manager.branchId !== branchId && fixture.state.rowsOfManager(manager.id).length > 0,
    );
    const outside = await call(
      fixture.kequn,
      'POST',
      `/books/${elsewhere?.id ?? ''}/contacts`,
      branchHead,
      {
        customerId: table.idAt(fixture.state.rowsOfManager(elsewhere?.id ?? '')[0] ?? 0),
        outcome: 'reached',
        channel: 'phone',
      },
    );
    expect(outside.status).toBe(404);
    for (const role of ['head_office', 'analyst', 'auditor'] as const) {
      const response = await call(
        fixture.kequn,
        'POST',
        `/books/${managerId}/contacts`,
        await fixture.tokenFor(role),
        { customerId: own, outcome: 'reached', channel: 'phone' },
      );
      expect(response.status, role).toBe(403);
    }
  });

  it('refuses contacts dated in the future and outcomes it does not know', async () => {
    const customerId = fixture.state.model.table.idAt(
      fixture.state.rowsOfManager(managerId)[0] ?? 0,
    );
    const future = await call(fixture.kequn, 'POST', `/books/${managerId}/contacts`, managerToken, {
      customerId,
      outcome: 'reached',
      channel: 'phone',
      occurredAt: '2026-11-03T09:00:00+08:00',
    });
    expect(future.status).toBe(400);
    expect(await future.json()).toMatchObject({ code: 'KQ_SERVER_INVALID_REQUEST' });
    const unknownOutcome = await call(
      fixture.kequn,
      'POST',
      `/books/${managerId}/contacts`,
      managerToken,
      {
        customerId,
        outcome: 'maybe',
        channel: 'phone',
      },
    );
    expect(unknownOutcome.status).toBe(400);
  });
});

describe('GET /books/{managerId}/contact-plan?locale=', () => {
  it('gives the reasons in Chinese by default and in English when asked', async () => {
    const chinese = await plan(managerToken, 'limit=20');
    const english = await plan(managerToken, 'limit=20&locale=en');
    expect(chinese.locale).toBe('zh-CN');
    expect(english.locale).toBe('en');
    expect(english.items.map((item) => item.customerId)).toEqual(
      chinese.items.map((item) => item.customerId),
    );
    const chineseReasons = chinese.items.flatMap((item) => item.reasons);
    const englishReasons = english.items.flatMap((item) => item.reasons);
    expect(chineseReasons.length).toBeGreaterThan(0);
    expect(chineseReasons.every((reason) => /\p{Script=Han}/u.test(reason))).toBe(true);
    expect(englishReasons.some((reason) => /\p{Script=Han}/u.test(reason))).toBe(false);
  });

  it('refuses a language it does not speak', async () => {
    const response = await call(
      fixture.kequn,
      'GET',
      `/books/${managerId}/contact-plan?locale=fr`,
      managerToken,
    );
    expect(response.status).toBe(400);
  });
});

describe('GET /handoffs', () => {
  it('names the customer masked and says when the case was filed', async () => {
    const handoffId = await fileHandoffIn(fixture.state, 'BR001');
    const token = await fixture.tokenFor('branch_head', { branchId: 'BR001' });
    const response = await call(fixture.kequn, 'GET', '/handoffs?status=filed', token);
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as {
      items: { id: string; customerId: string; customerName: string; filedAt: string | null }[];
    };
    const filed = items.find((item) => item.id === handoffId);
    const stored = await fixture.state.store.customers.get(filed?.customerId ?? '');
    expect(filed?.filedAt).toBe('2026-11-01T10:00:00+08:00');
    expect(filed?.customerName).toBe(maskName(stored?.profile.name ?? '?'));
    expect(filed?.customerName).not.toBe(stored?.profile.name);
  });
});
