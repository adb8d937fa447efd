import { describe, expect, it, vi } from 'vitest';
import {
  createKernel,
  CustomerModel,
  definePlugin,
  identifierAttributeIds,
  isKequnError,
  valueMemberships,
  type LogRecord,
} from '../src/index.js';
import { sampleCustomer, sampleCustomers } from './columnar-table.customers.js';

const asOf = '2026-01-15';
const label = { 'zh-CN': '富裕', en: 'Wealthy' };

function wealthPlugin(activate = vi.fn()) {
  return definePlugin({
    id: 'wealth',
    version: '1.0.0',
    engines: { kequn: '^1' },
    contributes: {
      attributes: [
        {
          id: 'wealth.band',
          type: 'enum',
          piClass: 'C1',
          label,
          values: [
            { value: 'rich', label },
            { value: 'other', label },
          ],
        },
      ],
      segmentStrategies: [{ id: 'wealth', label, exclusive: true }],
    },
    activate(context) {
      activate();
      context.attributes.register('wealth.band', {
        read: (customer) => (customer.assets.currentAum >= 100_000 ? 'rich' : 'other'),
      });
      context.segmentStrategies.register('wealth', {
        segments: () => [
          { id: 'rich', label },
          { id: 'other', label },
        ],
        evaluate: (table) => valueMemberships(table, 'wealth.band', ['rich', 'other']),
      });
    },
  });
}

describe('the customer model', () => {
  it('activates plugins that contribute attributes when customers are loaded, and computes their columns', async () => {
    const activate = vi.fn();
    const kernel = createKernel({ plugins: [wealthPlugin(activate)] });
    const model = new CustomerModel(kernel);
    expect(activate).not.toHaveBeenCalled();
    const customers = [...sampleCustomers(500)];
    const table = await model.load(customers, { asOf });
    expect(activate).toHaveBeenCalledOnce();
    for (const [index, customer] of customers.entries()) {
      expect(table.value(index, 'wealth.band')).toBe(
        customer.assets.currentAum >= 100_000 ? 'rich' : 'other',
      );
    }
  });

  it('keeps identifiers (name, phone, ID number) out of the segmentation table', async () => {
    const model = new CustomerModel(createKernel());
    const table = await model.load(sampleCustomers(10), { asOf });
    for (const id of identifierAttributeIds) expect(table.hasColumn(id)).toBe(false);
    expect(table.hasColumn('assets.currentAum')).toBe(true);
  });

  it('builds only the attributes asked for, contributed ones included, and refuses unknown ones', async () => {
    const model = new CustomerModel(createKernel({ plugins: [wealthPlugin()] }));
    const table = await model.load(sampleCustomers(20), {
      asOf,
      attributes: ['profile.age', 'wealth.band'],
      expectedCount: 20,
    });
    expect(table.attributeIds().sort()).toEqual(['profile.age', 'wealth.band']);
    expect(table.liveCount).toBe(20);
    const refused = model.load(sampleCustomers(1), { asOf, attributes: ['profile.shoeSize'] });
    await expect(refused).rejects.toMatchObject({ code: 'KQ_CUSTOMERS_ATTRIBUTE_UNKNOWN' });
  });

  it('evaluates a strategy into exclusive memberships over live rows', async () => {
    const kernel = createKernel({ plugins: [wealthPlugin()] });
    const model = new CustomerModel(kernel);
    await model.load(sampleCustomers(1_000), { asOf });
    model.remove(sampleCustomer(3).id);
    const memberships = await model.evaluate('wealth');
    const rich = memberships.get('rich');
    const other = memberships.get('other');
    expect(rich && other).toBeTruthy();
    if (!rich || !other) return;
    expect(rich.and(other).count()).toBe(0);
    expect(rich.count() + other.count()).toBe(999);
    expect(rich.has(3) || other.has(3)).toBe(false);
  });

  it('upserts in place and tells plugins what changed', async () => {
    const kernel = createKernel({ plugins: [wealthPlugin()] });
    const model = new CustomerModel(kernel);
    await model.load(sampleCustomers(20), { asOf });
    const seen: { customerId: string; changed: string[]; inserted: boolean }[] = [];
    kernel.events.on(
      'customer.upserted',
      (event) =>
        void seen.push({
          customerId: event.customerId,
          inserted: event.inserted,
          changed: event.changes.map((c) => c.attributeId),
        }),
    );
    const poor = { ...sampleCustomer(5), assets: { currentAum: 10, monthlyAverages: [] } };
    const rich = { ...poor, assets: { currentAum: 2_000_000, monthlyAverages: [] } };
    model.upsert(poor);
    const result = model.upsert(rich);
    expect(result.inserted).toBe(false);
    expect(model.table.value(result.index, 'wealth.band')).toBe('rich');
    expect(seen.at(-1)).toEqual({
      customerId: poor.id,
      inserted: false,
      changed: expect.arrayContaining(['assets.currentAum', 'wealth.band']),
    });
  });

  it('refuses an invalid customer on upsert, naming the field', async () => {
    const model = new CustomerModel(createKernel());
    await model.load(sampleCustomers(2), { asOf });
    const broken = { ...sampleCustomer(1), assets: { currentAum: -5, monthlyAverages: [] } };
    let error: unknown;
    try {
      model.upsert(broken);
    } catch (caught) {
      error = caught;
    }
    expect(isKequnError(error, 'KQ_CUSTOMER_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/assets\.currentAum/);
  });

  it('adds a bank attribute registered after loading as a computed column, and removes it on dispose', async () => {
    const model = new CustomerModel(createKernel());
    const customers = [...sampleCustomers(50)];
    await model.load(customers, { asOf });
    const registration = model.registerAttribute(
      {
        id: 'bank.millionaire',
        type: 'boolean',
        piClass: 'C1',
        label,
        read: (customer) => customer.assets.currentAum >= 1_000_000,
      },
      customers,
    );
    for (const [index, customer] of customers.entries()) {
      expect(model.table.value(index, 'bank.millionaire')).toBe(
        customer.assets.currentAum >= 1_000_000,
      );
    }
    expect(model.attributes.has('bank.millionaire')).toBe(true);
    await registration.dispose();
    expect(model.table.hasColumn('bank.millionaire')).toBe(false);
    expect(model.attributes.has('bank.millionaire')).toBe(false);
  });

  it('says what to do when used before loading', () => {
    const model = new CustomerModel(createKernel());
    expect(() => model.table).toThrow(/Call customerModel.load/);
  });

  it('skips the attributes of a plugin that fails to activate, and the kernel reports it', async () => {
    const records: LogRecord[] = [];
    const broken = definePlugin({
      id: 'broken-attributes',
      version: '1.0.0',
      engines: { kequn: '^1' },
      contributes: { attributes: [{ id: 'broken.score', type: 'number', piClass: 'C1', label }] },
      activate: () => {
        throw new Error('score service down');
      },
    });
    const kernel = createKernel({
      plugins: [broken],
      logSink: (record) => void records.push(record),
    });
    const table = await new CustomerModel(kernel).load(sampleCustomers(5), { asOf });
    expect(table.hasColumn('broken.score')).toBe(false);
    expect(records.some((r) => r.level === 'error' && r.pluginId === 'broken-attributes')).toBe(
      true,
    );
  });
});
