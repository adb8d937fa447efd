import { describe, expect, it } from 'vitest';
import {
  SyntheticBankOptionsError,
  UnknownSyntheticCustomerError,
  createSyntheticBank,
} from '../src/index.js';

describe('customers and events are streamed, not stored', () => {
  it('yields the first customers of a hundred-million-customer bank without building the rest', () => {
    const bank = createSyntheticBank({ customers: 100_000_000 });
    const stream = bank.customers();
    const first = stream.next();
    const second = stream.next();
    expect(first.done).toBe(false);
    expect(second.value).toEqual(bank.customerAt(1));
    stream.return();
    expect(stream.next().done).toBe(true);
  });

  it('starts every call to customers() from the first customer', () => {
    const bank = createSyntheticBank({ customers: 3 });
    const stream = bank.customers();
    stream.next();
    expect(bank.customers().next().value).toEqual(bank.customerAt(0));
    expect([...bank.customers()].map((customer) => customer.id)).toEqual([
      'C000000001',
      'C000000002',
      'C000000003',
    ]);
  });

  it('returns events as a lazy iterator too', () => {
    const events = createSyntheticBank({ customers: 1 }).eventsOf(0);
    expect(typeof events.next).toBe('function');
    expect(events[Symbol.iterator]()).toBe(events);
  });
});

describe('misuse is reported with stable codes', () => {
  it('rejects invalid options, naming the option', () => {
    const attempt = () =>
      createSyntheticBank({ customers: -1, managersPerBranch: 2, asOf: '31/10/2026' });
    expect(attempt).toThrow(SyntheticBankOptionsError);
    expect(attempt).toThrow(/customers.*managersPerBranch.*asOf/s);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: 'KQ_TESTING_INVALID_OPTIONS' });
    }
  });

  it('rejects customers the bank does not have', () => {
    const bank = createSyntheticBank({ customers: 5 });
    expect(() => bank.customerAt(5)).toThrow(UnknownSyntheticCustomerError);
    expect(() => bank.customerAt(-1)).toThrow(/indexed 0 to 4/);
    const stranger = { ...bank.customerAt(0), id: 'someone-else' };
    expect(() => bank.eventsOf(stranger)).toThrow(
      expect.objectContaining({ code: 'KQ_TESTING_UNKNOWN_CUSTOMER' }),
    );
  });
});
