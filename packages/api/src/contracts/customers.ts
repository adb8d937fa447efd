// Customers: masked lists, the 360 view, unmasking with a reason, and "why in this segment".
import { z } from 'zod';
import { defineRoute } from '../contract.js';
import {
  customer360Schema,
  customerPageSchema,
  entityIdSchema,
  explainedNodeSchema,
  segmentRefSchema,
  unmaskFieldSchema,
} from '../schemas.js';

/** The largest page a list returns; bigger asks are refused, not silently cut. */
export const MAX_PAGE_LIMIT = 200;

export const customerIdParams = z.object({ customerId: entityIdSchema });

export const customerListQuerySchema = z.object({
  /** A customer id, or the start of a name (姓名前缀). */
  q: z.string().min(1).max(64).optional(),
  segment: segmentRefSchema.optional(),
  tier: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z_]+$/)
    .optional(),
  featuredGroup: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z_]+$/)
    .optional(),
  managerId: entityIdSchema.optional(),
  branchId: entityIdSchema.optional(),
  /**
   * The order of the list: by customer id (default), masked-name order of the full name (pinyin
   * collation), AUM, or tier (potential → private); ties by id in the same direction.
   */
  sort: z.enum(['id', 'name', 'aum', 'tier']).default('id'),
  order: z.enum(['asc', 'desc']).default('asc'),
  /** Keyset paging: the `nextAfter` of the previous page (same sort and order). */
  after: entityIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(50),
});

export const customerRoutes = [
  defineRoute({
    id: 'customers.list',
    method: 'get',
    path: '/customers',
    summary:
      'Customers in scope, masked, filtered by name prefix or id, segment, tier or featured group; sorted by id, name, AUM or tier; keyset-paged, with the total',
    tag: 'customers',
    access: 'customers.list',
    query: customerListQuerySchema,
    response: customerPageSchema,
  }),
  defineRoute({
    id: 'customers.get',
    method: 'get',
    path: '/customers/{customerId}',
    summary:
      "A customer's 360 view (identifiers masked): tier history, holdings, contacts; audited",
    tag: 'customers',
    access: 'customers.view',
    params: customerIdParams,
    response: customer360Schema,
  }),
  defineRoute({
    id: 'customers.unmask',
    method: 'post',
    path: '/customers/{customerId}/unmask',
    summary: 'Reveal masked identifiers of one customer; needs a reason and is audited',
    tag: 'customers',
    access: 'customers.unmask',
    params: customerIdParams,
    body: z.object({
      fields: z.array(unmaskFieldSchema).min(1).max(4),
      reason: z.string().trim().min(4).max(500),
    }),
    response: z.object({
      customerId: z.string(),
      values: z.record(z.string(), z.string().nullable()),
    }),
  }),
  defineRoute({
    id: 'customers.explain',
    method: 'get',
    path: '/customers/{customerId}/explain',
    summary: 'Why the customer is (or is not) in a segment, node by node',
    tag: 'customers',
    access: 'segments.explain',
    params: customerIdParams,
    query: z.object({ segment: segmentRefSchema }),
    response: z.object({
      customerId: z.string(),
      segment: z.string(),
      member: z.boolean(),
      /** The rule tree with each node's truth; null for a strategy that is not rule-based (tiering). */
      explanation: explainedNodeSchema.nullable(),
      attributes: z.record(z.string(), z.unknown()),
    }),
  }),
] as const;
