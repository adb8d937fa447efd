// Masking by personal-information class, unmasking with a permission and a reason, and the audit
// records of views, unmasks, exports and approvals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskAccountNumber, maskEmail, maskIdNumber, maskName, maskPhone } from '@kequn/core';
import { call, createFixture, fileHandoffIn, type Fixture } from './fixture.js';

let fixture: Fixture;
beforeAll(async () => {
  fixture = await createFixture({
    serverOptions: { limits: { exportLimits: { operations_manager: 3 } } },
  });
});
afterAll(async () => {
  await fixture.close();
});

describe('masking', () => {
  it('masks names, phones and ID numbers as JR/T 0171 screens expect (one implementation: @kequn/core)', () => {
    expect(maskName('张小明')).toBe('张*明');
    expect(maskName('张三')).toBe('张*');
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskIdNumber('330102199001011234')).toBe('330***********1234');
    expect(maskAccountNumber('6222021234567890123')).toBe('6222***********0123');
  });

  it('the list row and the 360 view carry exactly what @kequn/core masks the stored values to', async () => {
    const token = await fixture.tokenFor('manager');
    const page = (await (await call(fixture.kequn, 'GET', '/customers?limit=5', token)).json()) as {
      items: { id: string; name: string; phone: string }[];
    };
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items) {
      const stored = await fixture.state.store.customers.get(item.id);
      expect(item.name).toBe(maskName(stored?.profile.name ?? '?'));
      expect(item.phone).toBe(maskPhone(stored?.profile.phone ?? '?'));
      const view = (await (
        await call(fixture.kequn, 'GET', `/customers/${item.id}`, token)
      ).json()) as {
        profile: { name: string; phone: string; idNumber: string; email: string | null };
      };
      expect(view.profile).toMatchObject({
        name: maskName(stored?.profile.name ?? '?'),
        phone: maskPhone(stored?.profile.phone ?? '?'),
        idNumber: maskIdNumber(stored?.profile.idNumber ?? '?'),
        email: stored?.profile.email === undefined ? null : maskEmail(stored.profile.email),
      });
    }
  });

  it('never shows the middle of a phone number and keeps its length', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (phone) => {
        const masked = maskPhone(phone);
        expect(masked).toHaveLength(11);
        expect(masked.slice(3, 7)).toBe('****');
      }),
    );
  });

  it('never returns a name of two or more characters unchanged', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 2, maxLength: 8 })
          .filter((name) => name.trim().length >= 2 && !name.includes('*')),
        (name) => {
          expect(maskName(name)).not.toBe(name.trim());
        },
      ),
    );
  });
});

describe('unmasking and audit', () => {
  async function managerCustomer(): Promise<{
    token: string;
    customerId: string;
    managerId: string;
  }> {
    const token = await fixture.tokenFor('manager');
    const page = (await (await call(fixture.kequn, 'GET', '/customers?limit=1', token)).json()) as {
      items: { id: string; relationshipManagerId: string }[];
    };
    const first = page.items[0];
    if (first === undefined) throw new Error('the manager has no customers');
    return { token, customerId: first.id, managerId: first.relationshipManagerId };
  }

  it('the 360 view is masked and its viewing audited', async () => {
    const { token, customerId } = await managerCustomer();
    const stored = await fixture.state.store.customers.get(customerId);
    const response = await call(fixture.kequn, 'GET', `/customers/${customerId}`, token);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).not.toContain(stored?.profile.phone ?? 'never');
    expect(text).not.toContain(stored?.profile.idNumber ?? 'never');
    const audit = await fixture.state.store.auditLog.list({ subject: `customer:${customerId}` });
    expect(audit.some((entry) => entry.action === 'view')).toBe(true);
  });

  it('unmasking needs a reason, returns the raw value and records the reason but not the value', async () => {
    const { token, customerId } = await managerCustomer();
    const stored = await fixture.state.store.customers.get(customerId);
    const noReason = await call(fixture.kequn, 'POST', `/customers/${customerId}/unmask`, token, {
      fields: ['phone'],
    });
    expect(noReason.status).toBe(400);
    const response = await call(fixture.kequn, 'POST', `/customers/${customerId}/unmask`, token, {
      fields: ['phone'],
      reason: 'customer asked for a call back',
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { values: Record<string, string> }).values.phone).toBe(
      stored?.profile.phone,
    );
    const entries = await fixture.state.store.auditLog.list({ subject: `customer:${customerId}` });
    const unmask = entries.find((entry) => entry.action === 'unmask');
    expect(unmask?.details).toMatchObject({
      fields: ['phone'],
      reason: 'customer asked for a call back',
    });
    expect(JSON.stringify(entries)).not.toContain(stored?.profile.phone ?? 'never');
  });

  it('an operations manager may not unmask', async () => {
    const token = await fixture.tokenFor('operations_manager', { branchId: 'BR001' });
    const customerId = fixture.state.model.table.idAt(fixture.state.rowsOfBranch('BR001')[0] ?? 0);
    const response = await call(fixture.kequn, 'POST', `/customers/${customerId}/unmask`, token, {
      fields: ['name'],
      reason: 'curious about the name',
    });
    expect(response.status).toBe(403);
  });

  it('exports are audited and refused above the role limit', async () => {
    const { token } = await managerCustomer();
    const exported = await call(fixture.kequn, 'POST', '/segments/export', token, {
      segment: 'tiering:mid',
      reason: 'monthly call list',
    });
    expect(exported.status).toBe(200);
    const ops = await fixture.tokenFor('operations_manager', { branchId: 'BR001' });
    const refused = await call(fixture.kequn, 'POST', '/segments/export', ops, {
      segment: 'tiering:mid',
      reason: 'monthly call list',
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('KQ_SERVER_EXPORT_TOO_LARGE');
    const exports = (
      await fixture.state.store.auditLog.list({ subject: 'segment:tiering:mid' })
    ).filter((entry) => entry.action === 'export');
    expect(exports.map((entry) => entry.details?.refused === true)).toEqual([false, true]);
  });

  it('an approval is audited and moves the customer to the receiver', async () => {
    const handoffId = await fileHandoffIn(fixture.state, 'BR003');
    const token = await fixture.tokenFor('operations_manager', { branchId: 'BR003' });
    const response = await call(fixture.kequn, 'POST', `/handoffs/${handoffId}/approve`, token, {});
    expect(response.status).toBe(200);
    const approved = (await response.json()) as { customerId: string; receiverId: string };
    const entries = await fixture.state.store.auditLog.list({ subject: `handoff:${handoffId}` });
    expect(entries.some((entry) => entry.details?.step === 'approve')).toBe(true);
    expect(
      fixture.state
        .rowsOfManager(approved.receiverId)
        .some((row) => fixture.state.model.table.idAt(row) === approved.customerId),
    ).toBe(true);
  });
});
