import { afterEach, describe, expect, it } from 'vitest';
import '../src/define/kq-contact-plan.js';
import type { ContactOutcomeEntry, KqContactPlan } from '../src/index.js';
import {
  axeViolations,
  cleanup,
  clientFor,
  mount,
  nextEvent,
  shadow,
  until,
} from './browser-helpers.js';

afterEach(cleanup);

// A counter wealth manager of BR001 with customers due on the server's as-of day.
const MANAGER = 'BR001-M05';

async function plan(lang: string, recorder?: KqContactPlan['recorder']): Promise<KqContactPlan> {
  const element = mount<KqContactPlan>(
    `<kq-contact-plan manager-id="${MANAGER}" date="2026-10-31"></kq-contact-plan>`,
    'kq-contact-plan',
    lang,
  );
  element.recorder = recorder;
  element.client = await clientFor('manager', { managerId: MANAGER, branchId: 'BR001' });
  await until(
    () => element.loadStatus === 'ready' && shadow(element).querySelector('tbody tr'),
    'the plan rows',
  );
  return element;
}

function row(element: KqContactPlan, customerId: string): HTMLTableRowElement {
  const found = shadow(element).querySelector<HTMLTableRowElement>(
    `tr[data-customer="${customerId}"]`,
  );
  if (found === null) throw new Error(`no row for ${customerId}`);
  return found;
}

describe('kq-contact-plan', () => {
  it("lists the manager's due customers from the server and records an outcome there in one click, in zh-CN", async () => {
    const element = await plan('zh-CN');
    const manager = await clientFor('manager', { managerId: MANAGER, branchId: 'BR001' });
    const answer = await manager.call('books.contactPlan', {
      params: { managerId: MANAGER },
      query: { date: '2026-10-31' },
    });
    const rows = shadow(element).querySelectorAll('tbody tr');
    expect(rows.length).toBe(answer.items.length);
    const first = answer.items[0];
    if (first === undefined) throw new Error('the plan is empty');
    expect(rows[0]?.querySelector('th')?.textContent).toBe(first.name);
    expect(row(element, first.customerId).textContent).toContain(
      `${first.classId.toUpperCase()} 类`,
    );
    expect(row(element, first.customerId).textContent).toContain(first.reasons[0] ?? '');
    expect(shadow(element).querySelector('[part="summary"]')?.textContent).toContain(
      `应联系 ${answer.due} 人`,
    );
    expect(shadow(element).textContent).not.toContain('未连接服务');
    expect(await axeViolations(element)).toEqual([]);

    // A customer due only by cadence or the minimum-contact rule: a contact settles both (a
    // maturity or dormancy keeps a customer on the list whatever the call).
    const target = answer.items.find((item) =>
      item.reasons.every((reason) => /类客户每|至少每/.test(reason)),
    );
    if (target === undefined) throw new Error('no customer due by cadence alone');
    const logged = nextEvent<
      CustomEvent<{ customerId: string; outcome: string; occurredAt: string }>
    >(document, 'kq-contact-logged');
    row(element, target.customerId)
      .querySelector<HTMLButtonElement>('[data-outcome="interested"]')
      ?.click();
    const { detail } = await logged;
    expect(detail).toMatchObject({
      customerId: target.customerId,
      outcome: 'interested',
      managerId: MANAGER,
    });
    await element.updateComplete;
    const updated = row(element, target.customerId);
    expect(updated.getAttribute('part')).toContain('row-logged');
    expect(updated.querySelector('[aria-pressed="true"]')?.getAttribute('data-outcome')).toBe(
      'interested',
    );
    expect(updated.querySelector('[part="row-status"]')?.textContent).toBe('已记录：有意向');
    expect(element.outcomeOf(target.customerId)).toBe('interested');
    expect(await axeViolations(element)).toEqual([]);

    // The server has it: the contact is in the audit trail and the customer left the day's list.
    const trail = await (
      await clientFor('auditor')
    ).call('audit.list', {
      query: { subject: `customer:${target.customerId}` },
    });
    expect(
      trail.items.some(
        (entry) =>
          entry.details?.['step'] === 'contact' &&
          entry.details['outcome'] === 'interested' &&
          entry.details['channel'] === 'phone',
      ),
    ).toBe(true);
    const after = await manager.call('books.contactPlan', {
      params: { managerId: MANAGER },
      query: { date: '2026-10-31' },
    });
    expect(after.items.map((item) => item.customerId)).not.toContain(target.customerId);
    expect(after.due).toBe(answer.due - 1);
  });

  it('asks for English reasons, hands outcomes to a custom recorder and keeps a refusal on its row, in English', async () => {
    const recorded: ContactOutcomeEntry[] = [];
    let refuse = true;
    const element = await plan('en', async (entry) => {
      if (refuse)
        throw Object.assign(new Error('The contact was refused'), {
          code: 'KQ_BOOKS_CONTACT_REFUSED',
          status: 409,
        });
      recorded.push(entry);
    });
    const english = await (
      await clientFor('manager', { managerId: MANAGER, branchId: 'BR001' })
    ).call('books.contactPlan', {
      params: { managerId: MANAGER },
      query: { date: '2026-10-31', locale: 'en' },
    });
    const reasons = Array.from(shadow(element).querySelectorAll('tbody li')).map(
      (item) => item.textContent,
    );
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons).toEqual(english.items.flatMap((item) => item.reasons));
    expect(reasons.some((reason) => /\p{Script=Han}/u.test(reason ?? ''))).toBe(false);

    const target = shadow(element).querySelector<HTMLTableRowElement>('tbody tr');
    const customerId = target?.getAttribute('data-customer') ?? '';
    const failed = nextEvent<CustomEvent<{ code: string; routeId: string }>>(document, 'kq-error');
    target?.querySelector<HTMLButtonElement>('[data-outcome="no_answer"]')?.click();
    expect((await failed).detail).toMatchObject({
      code: 'KQ_BOOKS_CONTACT_REFUSED',
      routeId: 'contact-outcome',
    });
    await element.updateComplete;
    const note = row(element, customerId).querySelector('[part="row-status"]');
    expect(note?.textContent).toContain('Could not record: The contact was refused');
    expect(element.outcomeOf(customerId)).toBeUndefined();
    expect(shadow(element).querySelector('thead')?.textContent).toContain('Outcome');
    expect(await axeViolations(element)).toEqual([]);

    refuse = false;
    const logged = nextEvent(document, 'kq-contact-logged');
    row(element, customerId)
      .querySelector<HTMLButtonElement>('[data-outcome="no_answer"]')
      ?.click();
    await logged;
    expect(recorded).toEqual([
      expect.objectContaining({
        customerId,
        outcome: 'no_answer',
        channel: 'phone',
        managerId: MANAGER,
      }),
    ]);

    element.recorder = undefined;
    element.client = undefined;
    await element.updateComplete;
    expect(shadow(element).textContent).toContain(
      'Neither a client nor an outcome recorder is set',
    );
    expect(
      shadow(element).querySelector<HTMLButtonElement>('[data-outcome="sold"]')?.disabled,
    ).toBe(true);
    expect(await axeViolations(element)).toEqual([]);
  });
});
