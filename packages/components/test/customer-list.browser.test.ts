import { afterEach, describe, expect, it } from 'vitest';
import '../src/define/kq-customer-list.js';
import type { CustomerRow, KqCustomerList } from '../src/index.js';
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

function options(element: KqCustomerList): HTMLElement[] {
  return Array.from(shadow(element).querySelectorAll<HTMLElement>('[role="option"]'));
}

async function list(lang: string, attributes = '', atLeast = 6): Promise<KqCustomerList> {
  const element = mount<KqCustomerList>(
    `<kq-customer-list page-size="50" ${attributes}></kq-customer-list>`,
    'kq-customer-list',
    lang,
  );
  element.client = await clientFor();
  await until(() => options(element).length >= atLeast && element.loadStatus === 'ready', 'rows');
  return element;
}

describe('kq-customer-list', () => {
  it('renders masked customers as the server sent them, with listbox semantics, in zh-CN', async () => {
    const element = await list('zh-CN');
    const first = options(element)[0];
    expect(first?.getAttribute('aria-posinset')).toBe('1');
    // 2,000 customers in scope: the set size is the server's total of the filtered set.
    const { total } = await (await clientFor()).call('customers.list', { query: { limit: 1 } });
    expect(total).toBe(2_000);
    expect(first?.getAttribute('aria-setsize')).toBe(String(total));
    expect(shadow(element).querySelector('[part="summary"]')?.textContent).toContain('2,000');
    expect(first?.textContent).toMatch(/1\d{2}\*{4}\d{4}/);
    expect(first?.textContent).toMatch(/客户/);
    expect(shadow(element).querySelector('[part="summary"]')?.textContent).toContain('已加载');
    expect(await axeViolations(element)).toEqual([]);
  });

  it('filters by segment: only private-banking customers, and the set size is the segment size', async () => {
    const element = await list('en', 'segment="tiering:private"', 1);
    const client = await clientFor();
    const { strategies } = await client.call('segments.list');
    const size = strategies
      .flatMap((s) => s.segments)
      .find((s) => s.ref === 'tiering:private')?.customers;
    const rows = options(element);
    expect(rows.length).toBe(size);
    for (const row of rows) expect(row.textContent).toContain('Private');
    expect(rows[0]?.getAttribute('aria-setsize')).toBe(String(size));
    expect(await axeViolations(element)).toEqual([]);
  });

  it('sorts on the server by AUM, across pages, and tells the portal', async () => {
    const element = await list('en', 'segment="tiering:high_end"');
    const client = await clientFor();
    const sorted = nextEvent<CustomEvent<{ key: string; direction: string }>>(
      element,
      'kq-sort-change',
    );
    shadow(element).querySelector<HTMLButtonElement>('[data-sort="aum"]')?.click();
    expect((await sorted).detail).toEqual({ key: 'aum', direction: 'asc' });
    shadow(element).querySelector<HTMLButtonElement>('[data-sort="aum"]')?.click();
    // The server's first page, richest first: the element shows exactly it, in its order.
    const richest = await client.call('customers.list', {
      query: { segment: 'tiering:high_end', sort: 'aum', order: 'desc', limit: 50 },
    });
    await until(
      () => element.loadStatus === 'ready' && element.rows[0]?.id === richest.items[0]?.id,
      'the rows sorted by the server',
    );
    expect(element.rows.slice(0, 50).map((row) => row.id)).toEqual(
      richest.items.map((row) => row.id),
    );
    const aums = element.rows.map((row) => row.aum ?? 0);
    expect(aums).toEqual([...aums].sort((a, b) => b - a));
    expect(options(element)[0]?.getAttribute('aria-setsize')).toBe(String(richest.total));
    expect(shadow(element).querySelector('[data-sort="aum"]')?.getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await axeViolations(element)).toEqual([]);
  });

  it('moves a roving focus with the keyboard and selects with Enter', async () => {
    const element = await list('zh-CN');
    options(element)[0]?.focus();
    const box = shadow(element).querySelector('[role="listbox"]');
    box?.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }),
    );
    box?.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }),
    );
    await until(
      () => shadow(element).activeElement?.getAttribute('data-index') === '2',
      'focus on the third row',
    );
    expect(
      options(element)
        .filter((row) => row.tabIndex === 0)
        .map((row) => row.dataset['index']),
    ).toEqual(['2']);
    const chosen = nextEvent<CustomEvent<{ customerId: string }>>(document, 'kq-customer-select');
    box?.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }),
    );
    expect((await chosen).detail.customerId).toBe(element.rows[2]?.id);
    await until(
      () =>
        shadow(element).querySelector('[data-index="2"]')?.getAttribute('aria-selected') === 'true',
      'the row selected',
    );
    expect(await axeViolations(element)).toEqual([]);
  });

  it('pages through the client as the user scrolls (keyset paging)', async () => {
    const element = await list('en');
    expect(element.customers.length).toBe(50);
    const scroller = shadow(element).querySelector<HTMLElement>('[role="listbox"]');
    for (let step = 0; step < 10 && element.customers.length <= 50; step += 1) {
      if (scroller !== null) scroller.scrollTop = scroller.scrollHeight;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await until(() => element.customers.length > 50, 'a second page');
    const ids = element.customers.map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('renders a name containing HTML as text', async () => {
    const element = mount<KqCustomerList>(
      '<kq-customer-list></kq-customer-list>',
      'kq-customer-list',
      'en',
    );
    const hostile: CustomerRow = {
      id: 'C1',
      name: '<img src=x onerror="window.__kqXss=1">',
      phone: '138****1234',
      branchId: 'B1',
      relationshipManagerId: null,
      tier: 'mid',
      featuredGroups: [],
      aum: 120000,
    };
    element.customers = [hostile];
    await until(() => options(element).length === 1, 'the row');
    expect(shadow(element).querySelector('img')).toBeNull();
    expect(options(element)[0]?.querySelector('.name')?.textContent).toBe(hostile.name);
    expect((window as { __kqXss?: number }).__kqXss).toBeUndefined();
    expect(shadow(element).textContent).not.toContain('Not connected');
  });
});
