// createSyntheticBank(): a whole retail bank for tests, demos and benchmarks. The organisation and
// catalogue are built eagerly (they are small); customers and events are derived on demand from
// (seed, index), so a million customers stream in constant memory and any one can be rebuilt alone.
import {
  isoDate,
  type Branch,
  type Customer,
  type CustomerEvent,
  type Manager,
  type Product,
} from '@kequn/core';
import { z } from 'zod';
import { createProductCatalogue } from './catalogue.js';
import { createGenerationContext, type GenerationContext } from './context.js';
import { EVENT_STREAM, customerIndexOf, draftCustomer } from './customer.js';
import { SyntheticBankOptionsError, UnknownSyntheticCustomerError } from './errors.js';
import { replayEvents } from './events.js';
import {
  createBranchSites,
  createEmployers,
  createManagers,
  employerCountFor,
  type Employer,
} from './organisation.js';
import { createRandom } from './random.js';

export const syntheticBankOptionsSchema = z.object({
  /** Same seed, same bank: every branch, manager, customer and event. */
  seed: z.number().int().safe().default(42),
  customers: z.number().int().nonnegative().safe(),
  branches: z.number().int().min(1).max(999).default(6),
  /** A branch head, an operations manager and at least one of each customer-serving role. */
  managersPerBranch: z.number().int().min(5).max(99).default(10),
  /** The end of the latest complete month: balances and events run up to this day. */
  asOf: isoDate.default('2026-10-31'),
});
export type SyntheticBankOptions = z.input<typeof syntheticBankOptionsSchema>;

export interface SyntheticBank {
  readonly seed: number;
  readonly asOf: string;
  /** How many customers `customers()` yields. */
  readonly customerCount: number;
  readonly branches: Branch[];
  readonly managers: Manager[];
  readonly products: Product[];
  readonly employers: Employer[];
  /** Streams every customer in index order; nothing is kept, so it is safe for millions. */
  customers(): Generator<Customer, void, undefined>;
  /** The customer at `index` (0-based), identical to the one `customers()` yields there. */
  customerAt(index: number): Customer;
  /** The customer with this id, or undefined when the id is not one of this bank's. */
  customerById(id: string): Customer | undefined;
  /** Twelve months of the customer's events up to `asOf`, oldest first, streamed month by month. */
  eventsOf(customer: Customer | number): Generator<CustomerEvent, void, undefined>;
}

export function createSyntheticBank(options: SyntheticBankOptions): SyntheticBank {
  const parsed = syntheticBankOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new SyntheticBankOptionsError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`),
    );
  }
  const { seed, customers: customerCount, asOf } = parsed.data;
  const sites = createBranchSites(parsed.data.branches);
  const branches = sites.map((site) => site.branch);
  const managers = createManagers(seed, branches, parsed.data.managersPerBranch);
  const employers = createEmployers(seed, employerCountFor(branches.length));
  const products = createProductCatalogue();
  const context = createGenerationContext({
    seed,
    customerCount,
    asOf,
    sites,
    managers,
    employers,
    products,
  });

  return {
    seed,
    asOf,
    customerCount,
    branches,
    managers,
    products,
    employers,
    *customers() {
      for (let index = 0; index < customerCount; index++)
        yield draftCustomer(context, index).customer;
    },
    customerAt: (index) =>
      draftCustomer(context, checkedIndex(context, index, String(index))).customer,
    customerById: (id) => {
      const index = customerIndexOf(id);
      return index === undefined || index < 0 || index >= customerCount ? undefined : draftCustomer(context, index).customer;
    },
    eventsOf: (customer) => eventsOfIndex(context, indexOfReference(context, customer)),
  };
}

function checkedIndex(context: GenerationContext, index: number, reference: string): number {
  if (!Number.isInteger(index) || index < 0 || index >= context.customerCount) {
    throw new UnknownSyntheticCustomerError(reference, context.customerCount);
  }
  return index;
}

/** A customer object is identified by its id: events are always those of this bank's customer. */
function indexOfReference(context: GenerationContext, customer: Customer | number): number {
  if (typeof customer === 'number') return checkedIndex(context, customer, String(customer));
  const index = customerIndexOf(customer.id);
  return checkedIndex(context, index ?? -1, customer.id);
}

function eventsOfIndex(
  context: GenerationContext,
  index: number,
): Generator<CustomerEvent, void, undefined> {
  return replayEvents(
    context,
    draftCustomer(context, index),
    createRandom(context.seed, index, EVENT_STREAM),
  );
}
