import {
  branchSchema,
  customerEventSchema,
  customerSchema,
  managerSchema,
  productSchema,
} from '@kequn/core';
import { describe, expect, it } from 'vitest';
import { createSyntheticBank, employerSchema } from '../src/index.js';

describe('everything the synthetic bank produces passes the core schemas', () => {
  const bank = createSyntheticBank({ seed: 11, customers: 3_000 });

  it('produces customers that parse unchanged, defaults already filled in', () => {
    for (const customer of bank.customers()) {
      expect(customerSchema.parse(customer)).toEqual(customer);
    }
  });

  it('produces events that parse unchanged', () => {
    for (let index = 0; index < 200; index++) {
      for (const event of bank.eventsOf(index)) {
        expect(customerEventSchema.parse(event)).toEqual(event);
      }
    }
  });

  it('produces a valid organisation, catalogue and employer list', () => {
    for (const branch of bank.branches) expect(branchSchema.parse(branch)).toEqual(branch);
    for (const manager of bank.managers) expect(managerSchema.parse(manager)).toEqual(manager);
    for (const product of bank.products) expect(productSchema.parse(product)).toEqual(product);
    for (const employer of bank.employers) expect(employerSchema.parse(employer)).toEqual(employer);
  });
});
