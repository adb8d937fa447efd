// A small bank with the book service wired to the kernel, a memory core store and a memory book store.
import { createMemoryStore, type Customer, type KequnPlugin, type Manager } from '@kequn/core';
import { createSyntheticBank, createTestKernel, type TestKernel } from '@kequn/testing';
import { tieringPlugin } from '@kequn/plugin-tiering';
import { createBookService, createMemoryBookStore, memoryCustomerDirectory, type BookService, type BooksSettingsInput } from '../src/index.js';

export interface BookFixture {
  test: TestKernel;
  service: BookService;
  records: ReturnType<typeof createMemoryStore>;
  customers: Customer[];
  managers: Manager[];
  directory: ReturnType<typeof memoryCustomerDirectory>;
}

export async function bookFixture(options: { customers: number; seed?: number; settings?: BooksSettingsInput; plugins?: readonly KequnPlugin[] }): Promise<BookFixture> {
  const bank = createSyntheticBank({ customers: options.customers, seed: options.seed ?? 11 });
  const customers = [...bank.customers()];
  const test = await createTestKernel({ plugins: [tieringPlugin, ...(options.plugins ?? [])], customers, asOf: bank.asOf });
  const records = createMemoryStore();
  const directory = memoryCustomerDirectory(customers, test.model);
  const service = createBookService({
    events: test.kernel.events,
    store: createMemoryBookStore(),
    records,
    customers: directory,
    managers: bank.managers,
    ...(options.settings === undefined ? {} : { settings: options.settings }),
  });
  return { test, service, records, customers, managers: bank.managers, directory };
}

export function managerOf(managers: readonly Manager[], branchId: string, role: Manager['role']): Manager {
  const manager = managers.find((candidate) => candidate.branchId === branchId && candidate.role === role);
  if (manager === undefined) throw new Error(`the synthetic bank has no ${role} in ${branchId}`);
  return manager;
}

/** A mid-tier customer held by a counter wealth manager, ready to cross the 500k bar. */
export function midCustomer(fixture: BookFixture): Customer {
  const counter = fixture.managers.filter((manager) => manager.role === 'counter_wealth_manager').map((manager) => manager.id);
  const found = fixture.customers.find((customer) => {
    const months = customer.assets.monthlyAverages.slice(-3).map((month) => month.averageDailyBalance);
    return months.length === 3 && months.every((balance) => balance >= 100_000 && balance < 300_000) && counter.includes(customer.relationshipManagerId ?? '');
  });
  if (found === undefined) throw new Error('no mid-tier customer held by a counter wealth manager in the fixture');
  return found;
}

/** The same customer after a month of large balances: the rolling basis reaches at least 500k. */
export function upgraded(customer: Customer): Customer {
  const months = customer.assets.monthlyAverages;
  // The latest month before the table's as-of date jumps: months after it would not count.
  const lifted = months.map((month, index) => (index === months.length - 1 ? { ...month, averageDailyBalance: 1_500_000 } : month));
  return { ...customer, assets: { ...customer.assets, monthlyAverages: lifted } };
}
