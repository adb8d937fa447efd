import { describe, expect, it } from 'vitest';
import { createSyntheticBank } from '../src/index.js';

function firstCustomers(seed: number, count: number) {
  return [...createSyntheticBank({ seed, customers: count }).customers()];
}

describe('a synthetic bank is a pure function of its seed', () => {
  it('gives identical customers, organisation and events for the same seed', () => {
    const first = createSyntheticBank({ seed: 7, customers: 300 });
    const second = createSyntheticBank({ seed: 7, customers: 300 });
    expect([...second.customers()]).toEqual([...first.customers()]);
    expect(second.branches).toEqual(first.branches);
    expect(second.managers).toEqual(first.managers);
    expect(second.employers).toEqual(first.employers);
    expect(second.products).toEqual(first.products);
    for (const index of [0, 17, 299]) {
      expect([...second.eventsOf(index)]).toEqual([...first.eventsOf(index)]);
    }
  });

  it('gives different customers and managers for a different seed', () => {
    const seven = firstCustomers(7, 50);
    const eight = firstCustomers(8, 50);
    const samePeople = seven.filter(
      (customer, index) => customer.profile.idNumber === eight[index]?.profile.idNumber,
    );
    expect(samePeople).toHaveLength(0);
    expect(createSyntheticBank({ seed: 8, customers: 1 }).managers).not.toEqual(
      createSyntheticBank({ seed: 7, customers: 1 }).managers,
    );
  });

  it('rebuilds customer i alone, equal to the i-th customer streamed', () => {
    const bank = createSyntheticBank({ seed: 3, customers: 500 });
    const streamed = [...bank.customers()];
    for (const index of [0, 1, 250, 499]) {
      expect(bank.customerAt(index)).toEqual(streamed[index]);
    }
  });

  it('does not depend on how many customers the bank has', () => {
    const small = createSyntheticBank({ seed: 3, customers: 10 });
    const large = createSyntheticBank({ seed: 3, customers: 100_000 });
    expect(large.customerAt(9)).toEqual(small.customerAt(9));
    expect([...large.eventsOf(9)]).toEqual([...small.eventsOf(9)]);
  });

  it('replays the same events for a customer object as for its index', () => {
    const bank = createSyntheticBank({ customers: 20 });
    expect([...bank.eventsOf(bank.customerAt(12))]).toEqual([...bank.eventsOf(12)]);
  });
});
