// The kernel's domain events. Plugins add their own through declaration merging:
//   declare module '@kequn/core' { interface KequnEventMap { 'acme.scored': { customerId: string } } }

import type { Customer } from '../model/customer.js';

import type { AttributeChange } from '../table/index.js';

export interface KequnEventMap {
  'customer.upserted': {
    customerId: string;
    customer: Customer;
    inserted: boolean;
    /** Attribute values that changed, as the columnar table saw them. */
    changes: readonly AttributeChange[];
    /** The date the attribute values were computed for. */
    asOf: string;
  };
  'customer.removed': { customerId: string };
  'customers.loaded': { count: number; asOf: string };
  'tier.changed': {
    customerId: string;
    /** Null when the customer had no tier before (a new customer). */
    from: string | null;
    to: string;
    direction: 'upgrade' | 'downgrade' | 'initial';
    /** The average daily balance the tier was decided on. */
    basis: number;
    asOf: string;
  };
  'segment.membershipChanged': {
    strategyId: string;
    segmentId: string;
    entered: readonly string[];
    exited: readonly string[];
  };
  'plugin.activated': { pluginId: string; durationMs: number };
  'plugin.failed': { pluginId: string; error: Error; dependants: readonly string[] };
  'plugin.deactivated': { pluginId: string };
}
