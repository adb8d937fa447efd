import { afterEach, describe, expect, it } from 'vitest';
import '../src/define/kq-customer-card.js';
import '../src/define/kq-provider.js';
import type { Customer360, KqCustomerCard, KqProvider } from '../src/index.js';
import { axeViolations, cleanup, clientFor, mount, shadow, until } from './browser-helpers.js';

afterEach(cleanup);

async function someCustomer(segment: string): Promise<string> {
  const page = await (await clientFor()).call('customers.list', { query: { segment, limit: 1 } });
  const id = page.items[0]?.id;
  if (id === undefined) throw new Error(`no customer in ${segment}`);
  return id;
}

async function card(lang: string, customerId: string): Promise<KqCustomerCard> {
  // Through a provider: the card takes the client from context.
  const provider = mount<KqProvider>(
    `<kq-provider><kq-customer-card customer-id="${customerId}"></kq-customer-card></kq-provider>`,
    'kq-provider',
    lang,
  );
  provider.client = await clientFor();
  const element = provider.querySelector<KqCustomerCard>('kq-customer-card');
  if (element === null) throw new Error('no card');
  await until(
    () =>
      element.loadStatus === 'ready' &&
      shadow(element).querySelector('[data-section="tasks"]') !== null,
    'the 360 view',
  );
  return element;
}

describe('kq-customer-card', () => {
  it('shows the 360 view from the server in zh-CN: tier, history, holdings, contacts, tasks', async () => {
    const customerId = await someCustomer('tiering:high_end');
    const element = await card('zh-CN', customerId);
    const view = await (await clientFor()).call('customers.get', { params: { customerId } });
    const root = shadow(element);
    expect(root.querySelector('h2')?.textContent).toBe(view.profile.name);
    expect(root.querySelector('[part="tier-badge"]')?.textContent).toContain('高端客户');
    expect(root.querySelectorAll('[data-section="history"] tbody tr').length).toBe(
      view.tier.history.length,
    );
    expect(root.querySelectorAll('[data-section="holdings"] tbody tr').length).toBe(
      view.holdings.length,
    );
    expect(root.querySelectorAll('[data-section="contacts"] tbody tr').length).toBe(
      view.contacts.length,
    );
    expect(root.querySelector('[data-section="groups"]')?.textContent).toContain('所属客群');
    expect(root.querySelector('[data-section="tasks"] h3')?.textContent).toBe('待办');
    expect(await axeViolations(element)).toEqual([]);
  });

  it('explains why the customer is in a segment, node by node, in English', async () => {
    const customerId = await someCustomer('tiering:mid');
    const element = await card('en', customerId);
    const button = await until(
      () => shadow(element).querySelector<HTMLButtonElement>('[data-segment="tiering:mid"]'),
      'the segment button',
    );
    button.click();
    const verdict = await until(
      () => shadow(element).querySelector('[part="explanation"] [data-member]'),
      'the explanation',
    );
    expect(verdict.getAttribute('data-member')).toBe('true');
    expect(verdict.textContent).toContain('In Mid');
    expect(shadow(element).querySelector('[data-section="holdings"] h3')?.textContent).toBe(
      'Holdings and maturities',
    );
    expect(await axeViolations(element)).toEqual([]);
  });

  it('renders a name containing HTML as text', async () => {
    const element = mount<KqCustomerCard>(
      '<kq-customer-card></kq-customer-card>',
      'kq-customer-card',
      'en',
    );
    const customer: Customer360 = {
      id: 'C9',
      branchId: 'B1',
      relationshipManagerId: null,
      openedAt: '2020-01-01',
      profile: {
        name: '<img src=x onerror="window.__kqXss=2">',
        phone: '138****1234',
        idNumber: '1101**********1234',
        email: null,
        gender: 'female',
        age: 40,
        occupation: 'teacher',
        city: null,
      },
      assets: { currentAum: 80000, monthlyAverages: [] },
      tier: { current: 'mid', history: [{ month: '2026-09', tier: 'mid', basis: 78000 }] },
      segments: ['tiering:mid'],
      holdings: [],
      contacts: [],
      doNotContact: false,
      masked: [],
    };
    element.customer = customer;
    await element.updateComplete;
    expect(shadow(element).querySelector('img')).toBeNull();
    expect(shadow(element).querySelector('h2')?.textContent).toBe(customer.profile.name);
    expect((window as { __kqXss?: number }).__kqXss).toBeUndefined();
    expect(await axeViolations(element)).toEqual([]);
  });
});
