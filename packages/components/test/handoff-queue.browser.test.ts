import { afterEach, describe, expect, inject, it } from 'vitest';
import '../src/define/kq-handoff-queue.js';
import type { KqHandoffQueue } from '../src/index.js';
import {
  axeViolations,
  cleanup,
  clientFor,
  mount,
  nextEvent,
  shadow,
  until,
  type DemoRole,
  type DemoUser,
} from './browser-helpers.js';

afterEach(cleanup);

async function queue(lang: string, role: DemoRole, user: DemoUser): Promise<KqHandoffQueue> {
  const element = mount<KqHandoffQueue>(
    '<kq-handoff-queue as-of="2026-10-31"></kq-handoff-queue>',
    'kq-handoff-queue',
    lang,
  );
  element.client = await clientFor(role, user);
  await until(() => element.loadStatus !== 'loading' && element.loadStatus !== 'idle', 'the queue');
  return element;
}

function caseRow(element: KqHandoffQueue, handoffId: string): HTMLTableRowElement {
  const row = shadow(element).querySelector<HTMLTableRowElement>(`tr[data-handoff="${handoffId}"]`);
  if (row === null) throw new Error(`no row for ${handoffId}`);
  return row;
}

const approver = () => {
  const seeded = inject('handoffs');
  return { branchId: seeded.branchId, managerId: seeded.approverId };
};

describe('kq-handoff-queue', () => {
  it('shows cases to decide first, SLA states of approved ones, and approves through the server, in zh-CN', async () => {
    const seeded = inject('handoffs');
    const element = await queue('zh-CN', 'operations_manager', approver());
    expect(element.loadStatus).toBe('ready');
    expect(caseRow(element, seeded.awaiting.overdue).dataset['sla']).toBe('overdue');
    expect(caseRow(element, seeded.awaiting.dueSoon).dataset['sla']).toBe('due_soon');
    expect(caseRow(element, seeded.awaiting.onTime).dataset['sla']).toBe('on_time');
    expect(caseRow(element, seeded.awaiting.overdue).textContent).toContain('已逾期');
    expect(caseRow(element, seeded.awaiting.dueSoon).textContent).toContain('即将到期');
    // Filed cases: the approval SLA runs five days from the filing day.
    const [filedLong, filedRecently, filedToday] = seeded.filed;
    expect(caseRow(element, filedLong ?? '').dataset['sla']).toBe('overdue');
    expect(caseRow(element, filedRecently ?? '').dataset['sla']).toBe('due_soon');
    expect(caseRow(element, filedToday ?? '').dataset['sla']).toBe('on_time');
    expect(caseRow(element, filedLong ?? '').textContent).toContain('2026年10月7日');
    expect(caseRow(element, filedLong ?? '').textContent).toContain('审批');
    // Each case names its customer masked, as the server sends it, with the id beneath.
    const listed = await (
      await clientFor('operations_manager', approver())
    ).call('handoffs.list', { query: { status: 'filed' } });
    const named = listed.items.find((handoff) => handoff.id === filedLong);
    expect(named?.customerName).toMatch(/\*/);
    const header = caseRow(element, filedLong ?? '').querySelector('th');
    expect(header?.textContent).toContain(named?.customerName ?? '?');
    expect(header?.querySelector('[part="customer-id"]')?.textContent).toBe(named?.customerId);
    const order = Array.from(shadow(element).querySelectorAll('tbody tr')).map((row) =>
      row.getAttribute('data-handoff'),
    );
    expect(order.indexOf(seeded.filed[0] ?? '')).toBeLessThan(
      order.indexOf(seeded.awaiting.overdue),
    );
    expect(order.indexOf(seeded.awaiting.overdue)).toBeLessThan(
      order.indexOf(seeded.awaiting.onTime),
    );
    expect(await axeViolations(element)).toEqual([]);

    const target = seeded.filed[0] ?? '';
    const decided = nextEvent<CustomEvent<{ handoffId: string; decision: string; status: string }>>(
      document,
      'kq-handoff-decided',
    );
    caseRow(element, target).querySelector<HTMLButtonElement>('[part~="approve-button"]')?.click();
    expect((await decided).detail).toEqual({
      handoffId: target,
      decision: 'approve',
      status: 'awaiting_first_contact',
    });
    await element.updateComplete;
    const row = caseRow(element, target);
    expect(row.textContent).toContain('待首次联系');
    expect(row.querySelector('[part~="approve-button"]')).toBeNull();
    expect(shadow(element).activeElement?.textContent).toBe('已批准');
    const stored = await (
      await clientFor()
    ).call('handoffs.list', { query: { status: 'awaiting_first_contact' } });
    expect(stored.items.map((handoff) => handoff.id)).toContain(target);
    expect(await axeViolations(element)).toEqual([]);
  });

  it('needs a reason to reject, from the keyboard, and rejects through the server, in English', async () => {
    const seeded = inject('handoffs');
    const element = await queue('en', 'operations_manager', approver());
    const target = seeded.filed[1] ?? '';
    caseRow(element, target).querySelector<HTMLButtonElement>('[part~="reject-button"]')?.click();
    const field = await until(
      () => caseRow(element, target).querySelector('textarea'),
      'the reason field',
    );
    await until(() => shadow(element).activeElement === field, 'focus on the reason');
    expect(shadow(element).querySelector(`label[for="${field.id}"]`)?.textContent).toBe(
      'Reason for rejecting',
    );
    expect(await axeViolations(element)).toEqual([]);

    // Too short: stays open, says why, and keeps focus in the field.
    field.value = 'no';
    field.dispatchEvent(new InputEvent('input', { bubbles: true }));
    caseRow(element, target).querySelector('form')?.requestSubmit();
    await element.updateComplete;
    const again = caseRow(element, target).querySelector('textarea');
    expect(again?.getAttribute('aria-invalid')).toBe('true');
    const hint = shadow(element).getElementById(again?.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toBe('Give a reason for rejecting (at least 4 characters)');
    expect(await axeViolations(element)).toEqual([]);

    // Escape closes the form and returns focus to the reject button.
    again?.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
    );
    const button = await until(
      () => caseRow(element, target).querySelector<HTMLButtonElement>('[part~="reject-button"]'),
      'the reject button',
    );
    await until(() => shadow(element).activeElement === button, 'focus back on reject');

    button.click();
    const field2 = await until(
      () => caseRow(element, target).querySelector('textarea'),
      'the reason field again',
    );
    field2.value = 'customer file incomplete';
    field2.dispatchEvent(new InputEvent('input', { bubbles: true }));
    const decided = nextEvent<CustomEvent<{ decision: string; status: string; reason?: string }>>(
      document,
      'kq-handoff-decided',
    );
    caseRow(element, target).querySelector('form')?.requestSubmit();
    expect((await decided).detail).toMatchObject({
      decision: 'reject',
      status: 'rejected',
      reason: 'customer file incomplete',
    });
    await element.updateComplete;
    expect(caseRow(element, target).textContent).toContain('Rejected');
    expect(await axeViolations(element)).toEqual([]);
  });

  it('shows the server refusing a decision (403) on the row, and a queue the role may not read', async () => {
    const seeded = inject('handoffs');
    const target = seeded.filed[2] ?? '';
    const all = await (await clientFor()).call('handoffs.list', { query: { status: 'filed' } });
    const sender = all.items.find((handoff) => handoff.id === target)?.senderId ?? '';
    // The sending manager sees the case (the customer is still in their book) but may not decide.
    const element = await queue('en', 'manager', { managerId: sender, branchId: seeded.branchId });
    const failed = nextEvent<CustomEvent<{ status: number | null }>>(document, 'kq-error');
    caseRow(element, target).querySelector<HTMLButtonElement>('[part~="approve-button"]')?.click();
    expect((await failed).detail.status).toBe(403);
    await element.updateComplete;
    expect(caseRow(element, target).querySelector('[part~="row-status"]')?.textContent).toContain(
      'You may not decide this hand-off',
    );
    expect(caseRow(element, target).textContent).toContain('To decide');
    expect(await axeViolations(element)).toEqual([]);
    cleanup();

    const refused = await queue('zh-CN', 'analyst', {});
    expect(refused.loadStatus).toBe('error');
    expect(shadow(refused).querySelector('[part="error"]')?.textContent).toContain(
      '无权查看此内容',
    );
    expect(await axeViolations(refused)).toEqual([]);
  });
});
