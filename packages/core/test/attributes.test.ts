import { describe, expect, it, vi } from 'vitest';
import type { AttributeSource } from '../src/attributes/index.js';
import {
  AttributeError,
  AttributeRegistry,
  attributeDefinitionSchema,
  customerAttributes,
  fromEpochDay,
  piClassLabels,
  toEpochDay,
} from '../src/attributes/index.js';
import type { Customer } from '../src/model/customer.js';
import { sampleCustomer } from './columnar-table.customers.js';

const context = { asOf: '2026-01-15' };

function thrown(action: () => unknown): AttributeError {
  try {
    action();
  } catch (error) {
    if (error instanceof AttributeError) return error;
    throw error;
  }
  throw new Error('expected an AttributeError');
}

function builtIn(id: string): AttributeSource<Customer> {
  const source = customerAttributes.find((candidate) => candidate.id === id);
  if (source === undefined) throw new Error(`no built-in ${id}`);
  return source;
}

const aum: AttributeSource<{ aum: number }> = {
  id: 'assets.averageDailyAum',
  type: 'money',
  label: { 'zh-CN': '日均资产', en: 'Average daily AUM' },
  piClass: 'C2',
  read: (row) => row.aum,
};

describe('attribute definitions', () => {
  it('rejects an id that is not a dotted camelCase path, saying what one looks like', () => {
    const result = attributeDefinitionSchema.safeParse({ ...aum, id: 'Assets.average-aum' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/dotted camelCase path/);
  });

  it('requires values for enum and set attributes and names the attribute', () => {
    const result = attributeDefinitionSchema.safeParse({
      ...aum,
      id: 'profile.segment',
      type: 'enum',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('"profile.segment"');
    expect(result.error?.issues[0]?.path).toEqual(['values']);
  });

  it('accepts an open set without values and rejects open on other types', () => {
    expect(
      attributeDefinitionSchema.safeParse({ ...aum, id: 'tags', type: 'set', open: true }).success,
    ).toBe(true);
    expect(attributeDefinitionSchema.safeParse({ ...aum, open: true }).success).toBe(false);
  });

  it('accepts storage hints only on numbers and rejects duplicate values', () => {
    expect(
      attributeDefinitionSchema.safeParse({ ...aum, type: 'string', storage: 'uint8' }).success,
    ).toBe(false);
    const option = { value: 'a', label: { 'zh-CN': '甲', en: 'A' } };
    expect(
      attributeDefinitionSchema.safeParse({ ...aum, type: 'enum', values: [option, option] })
        .success,
    ).toBe(false);
  });

  it('labels every personal-information class in both languages', () => {
    expect(Object.keys(piClassLabels).sort()).toEqual(['C1', 'C2', 'C3']);
    expect(piClassLabels.C3['zh-CN']).toBe('用户鉴别信息');
  });
});

describe('AttributeRegistry', () => {
  it('registers, lists and removes attributes, telling listeners each time', () => {
    const registry = new AttributeRegistry<{ aum: number }>();
    const listener = vi.fn();
    registry.onDidChange(listener);
    const registration = registry.register(aum, { owner: 'tiering' });
    expect(registry.has(aum.id)).toBe(true);
    expect(registry.get(aum.id)).toBe(aum);
    expect(registry.ownerOf(aum.id)).toBe('tiering');
    expect(registry.list()).toEqual([aum]);
    void registration.dispose();
    expect(registry.has(aum.id)).toBe(false);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('names both owners when an id is registered twice', () => {
    const registry = new AttributeRegistry<{ aum: number }>();
    registry.register(aum, { owner: 'tiering' });
    const error = thrown(() => registry.register(aum, { owner: 'elderly-group' }));
    expect(error.code).toBe('KQ_ATTRIBUTE_DUPLICATE');
    expect(error.message).toContain('"tiering"');
    expect(error.message).toContain('"elderly-group"');
  });

  it('suggests the closest known id for an unknown one', () => {
    const registry = new AttributeRegistry<Customer>();
    for (const source of customerAttributes) registry.register(source);
    const error = thrown(() => registry.require('assets.curentAum'));
    expect(error.code).toBe('KQ_ATTRIBUTE_UNKNOWN');
    expect(error.message).toContain('Did you mean "assets.currentAum"?');
  });

  it('names the attribute and the zod path of an invalid definition', () => {
    const registry = new AttributeRegistry<{ aum: number }>();
    const error = thrown(() =>
      registry.register({ ...aum, label: { 'zh-CN': '日均资产', en: '' } }),
    );
    expect(error.code).toBe('KQ_ATTRIBUTE_INVALID');
    expect(error.message).toContain('"assets.averageDailyAum"');
    expect(error.message).toContain('label.en');
  });

  it('does not let an old registration remove a newer one with the same id', () => {
    const registry = new AttributeRegistry<{ aum: number }>();
    const first = registry.register(aum);
    void first.dispose();
    registry.register(aum);
    void first.dispose();
    expect(registry.has(aum.id)).toBe(true);
  });

  it('stops calling a listener once its subscription is disposed, and survives failing listeners', () => {
    const registry = new AttributeRegistry<{ aum: number }>();
    const failing = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    registry.onDidChange(() => {
      throw new Error('listener bug');
    });
    const listener = vi.fn();
    const subscription = registry.onDidChange(listener);
    registry.register(aum);
    void subscription.dispose();
    registry.register({ ...aum, id: 'assets.other' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(failing).toHaveBeenCalled();
    failing.mockRestore();
  });
});

describe('customerAttributes', () => {
  it('are all valid, unique and labelled in Chinese and English', () => {
    const registry = new AttributeRegistry<Customer>();
    for (const source of customerAttributes) registry.register(source, { owner: 'core' });
    expect(registry.list()).toHaveLength(customerAttributes.length);
    for (const source of customerAttributes) {
      expect(source.label['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(source.label.en.length).toBeGreaterThan(1);
    }
  });

  it('classify identifiers and financial status as C2 and have no C3 attribute', () => {
    expect(builtIn('profile.phone').piClass).toBe('C2');
    expect(builtIn('profile.idNumber').piClass).toBe('C2');
    expect(builtIn('assets.currentAum').piClass).toBe('C2');
    expect(builtIn('customer.id').piClass).toBe('C1');
    expect(customerAttributes.some((source) => source.piClass === 'C3')).toBe(false);
  });

  it('read values that fit their definitions for many customers', async () => {
    const { describeInvalidValue } = await import('../src/attributes/index.js');
    for (let index = 0; index < 500; index++) {
      const customer = sampleCustomer(index);
      for (const source of customerAttributes) {
        expect(describeInvalidValue(source, source.read(customer, context))).toBeUndefined();
      }
    }
  });

  const base = sampleCustomer(1);

  it('compute the age in whole years on the as-of date', () => {
    const customer = { ...base, profile: { ...base.profile, birthDate: '1966-01-16' } };
    expect(builtIn('profile.age').read(customer, { asOf: '2026-01-15' })).toBe(59);
    expect(builtIn('profile.age').read(customer, { asOf: '2026-01-16' })).toBe(60);
  });

  it('average the latest monthly balances up to the as-of month', () => {
    const customer: Customer = {
      ...base,
      assets: {
        currentAum: 1,
        monthlyAverages: [
          { month: '2025-10', averageDailyBalance: 100 },
          { month: '2025-11', averageDailyBalance: 200 },
          { month: '2025-12', averageDailyBalance: 300 },
          { month: '2026-01', averageDailyBalance: 400 },
          { month: '2026-02', averageDailyBalance: 10_000 },
        ],
      },
    };
    expect(builtIn('assets.averageDailyAum3m').read(customer, context)).toBe(300);
    expect(builtIn('assets.averageDailyAum12m').read(customer, context)).toBe(250);
    expect(builtIn('assets.latestMonthAverage').read(customer, context)).toBe(400);
    const empty = { ...customer, assets: { currentAum: 0, monthlyAverages: [] } };
    expect(builtIn('assets.averageDailyAum3m').read(empty, context)).toBeNull();
  });

  it('find the next maturity and the amount maturing within 30 days of the as-of date', () => {
    const holding = { productId: 'P', openedAt: '2025-01-01', amount: 1000 };
    const customer: Customer = {
      ...base,
      holdings: [
        { ...holding, productType: 'wealth', maturityDate: '2026-01-10' },
        { ...holding, productType: 'time_deposit', maturityDate: '2026-02-14' },
        { ...holding, productType: 'fund', maturityDate: '2026-02-14', amount: 500 },
        { ...holding, productType: 'structured_deposit', maturityDate: '2026-02-15', amount: 250 },
        { ...holding, productType: 'demand_deposit' },
      ],
    };
    expect(builtIn('holdings.nextMaturityDate').read(customer, context)).toBe('2026-02-14');
    expect(builtIn('holdings.maturingAmount30d').read(customer, context)).toBe(1500);
    expect(builtIn('holdings.wealthAmount').read(customer, context)).toBe(750);
    expect(builtIn('holdings.count').read(customer, context)).toBe(4);
    expect(builtIn('holdings.productTypes').read(customer, context)).toEqual([
      'time_deposit',
      'fund',
      'structured_deposit',
      'demand_deposit',
    ]);
  });

  it('count a marketing channel only when its latest consent is granted and unexpired', () => {
    const consent = {
      purpose: 'marketing' as const,
      granted: true,
      recordedAt: '2025-01-01T09:00:00+08:00',
    };
    const customer: Customer = {
      ...base,
      consents: [
        { ...consent, channel: 'sms' },
        { ...consent, channel: 'sms', granted: false, recordedAt: '2025-06-01T09:00:00+08:00' },
        { ...consent, channel: 'wecom' },
        { ...consent, channel: 'email', expiresAt: '2026-01-15T23:00:00+08:00' },
        { ...consent, channel: 'phone', expiresAt: '2026-03-01T00:00:00+08:00' },
        { ...consent, channel: 'app_push', purpose: 'service' },
        { ...consent, channel: 'branch', recordedAt: '2026-02-01T09:00:00+08:00' },
      ],
    };
    expect(builtIn('consent.marketingChannels').read(customer, context)).toEqual([
      'wecom',
      'phone',
    ]);
  });

  it('take behaviour dates in the time zone they were recorded in', () => {
    const customer = {
      ...base,
      behaviour: { ...base.behaviour, lastLoginAt: '2026-01-14T00:30:00+08:00' },
    };
    expect(builtIn('behaviour.lastLoginDate').read(customer, context)).toBe('2026-01-14');
  });
});

describe('calendar days', () => {
  it('round-trips ISO dates through day numbers, including leap days and early years', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('2024-02-29')).toBe(19782);
    for (const date of [
      '0001-01-01',
      '0099-12-31',
      '1900-03-01',
      '2000-02-29',
      '2026-01-15',
      '9999-12-31',
    ]) {
      expect(fromEpochDay(toEpochDay(date))).toBe(date);
    }
    expect(() => toEpochDay('2025-02-29')).toThrow(RangeError);
  });
});
