// How the book reads customers and writes back a changed relationship manager: to a store's
// customer repository and, when one is loaded, to the kernel's customer model so segments see it.
import type { Customer, CustomerModel, CustomerRepository } from '@kequn/core';

export interface CustomerDirectory {
  get(customerId: string): Promise<Customer | undefined>;
  save(customers: readonly Customer[]): Promise<void>;
}

function syncModel(model: CustomerModel | undefined, customers: readonly Customer[]): void {
  if (model === undefined || !model.loaded) return;
  for (const customer of customers) model.upsert(customer);
}

/** Customers in a core store repository (SQLite, PostgreSQL or memory). */
export function storeCustomerDirectory(repository: Pick<CustomerRepository, 'get' | 'upsert'>, model?: CustomerModel): CustomerDirectory {
  return {
    get: (customerId) => repository.get(customerId),
    async save(customers) {
      await repository.upsert(customers);
      syncModel(model, customers);
    },
  };
}

/** Customers held in memory, e.g. a synthetic bank for a demo. */
export function memoryCustomerDirectory(customers: Iterable<Customer>, model?: CustomerModel): CustomerDirectory {
  const byId = new Map<string, Customer>();
  for (const customer of customers) byId.set(customer.id, customer);
  return {
    async get(customerId) {
      return byId.get(customerId);
    },
    async save(changed) {
      for (const customer of changed) byId.set(customer.id, customer);
      syncModel(model, changed);
    },
  };
}
