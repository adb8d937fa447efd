// Tiers and their migration, managed books and contact plans, hand-offs, KPIs, plugins and the audit trail.
import { z } from 'zod';
import { defineRoute } from '../contract.js';
import {
  apiLocaleSchema,
  auditRecordSchema,
  contactRecordInputSchema,
  entityIdSchema,
  handoffSchema,
  isoDateSchema,
  kpiFiguresSchema,
  localizedTextSchema,
  planItemSchema,
  pluginStatusSchema,
  recordedContactSchema,
  tierMatrixSchema,
} from '../schemas.js';

const handoffParams = z.object({
  handoffId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_.-]+$/),
});

export const tierRoutes = [
  defineRoute({
    id: 'tiers.list',
    method: 'get',
    path: '/tiers',
    summary: 'Customers and AUM per asset tier within scope',
    tag: 'tiers',
    access: 'tiers.read',
    response: z.object({
      asOf: z.string(),
      tiers: z.array(
        z.object({
          id: z.string(),
          label: localizedTextSchema,
          customers: z.number().int(),
          aum: z.number(),
        }),
      ),
    }),
  }),
  defineRoute({
    id: 'tiers.migration',
    method: 'get',
    path: '/tiers/migration',
    summary: 'Tier migration matrix (升降层) within scope, from the earlier date to asOf',
    tag: 'tiers',
    access: 'tiers.read',
    response: tierMatrixSchema,
  }),
] as const;

export const bookRoutes = [
  defineRoute({
    id: 'books.get',
    method: 'get',
    path: '/books/{managerId}',
    summary: "A manager's book (管户): customers by tier and ABCD class",
    tag: 'books',
    access: 'books.read',
    params: z.object({ managerId: entityIdSchema }),
    response: z.object({
      managerId: z.string(),
      branchId: z.string(),
      customers: z.number().int(),
      byTier: z.record(z.string(), z.number().int()),
      byClass: z.record(z.string(), z.number().int()),
    }),
  }),
  defineRoute({
    id: 'books.contactPlan',
    method: 'get',
    path: '/books/{managerId}/contact-plan',
    summary: "The manager's contact list for a day (今日待办), most urgent first",
    tag: 'books',
    access: 'books.read',
    params: z.object({ managerId: entityIdSchema }),
    query: z.object({
      date: isoDateSchema.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      /** The language of each item's reasons. */
      locale: apiLocaleSchema.default('zh-CN'),
    }),
    response: z.object({
      managerId: z.string(),
      date: z.string(),
      locale: apiLocaleSchema,
      due: z.number().int(),
      items: z.array(planItemSchema),
    }),
  }),
  defineRoute({
    id: 'books.recordContact',
    method: 'post',
    path: '/books/{managerId}/contacts',
    summary:
      "Record a contact with a customer of the manager's book (联系记录); updates the contact plan; audited",
    tag: 'books',
    access: 'books.contact',
    params: z.object({ managerId: entityIdSchema }),
    body: contactRecordInputSchema,
    response: recordedContactSchema,
    successStatus: 201,
  }),
] as const;

export const handoffRoutes = [
  defineRoute({
    id: 'handoffs.list',
    method: 'get',
    path: '/handoffs',
    summary: 'Upgrade hand-offs (提升移交) within scope',
    tag: 'handoffs',
    access: 'handoffs.read',
    query: z.object({
      status: z
        .enum(['opened', 'filed', 'rejected', 'awaiting_first_contact', 'closed', 'archived'])
        .optional(),
    }),
    response: z.object({ items: z.array(handoffSchema) }),
  }),
  defineRoute({
    id: 'handoffs.approve',
    method: 'post',
    path: '/handoffs/{handoffId}/approve',
    summary: 'Approve a filed hand-off; audited',
    tag: 'handoffs',
    access: 'handoffs.decide',
    params: handoffParams,
    body: z.object({}).strict(),
    response: handoffSchema,
  }),
  defineRoute({
    id: 'handoffs.reject',
    method: 'post',
    path: '/handoffs/{handoffId}/reject',
    summary: 'Reject a filed hand-off with a reason; audited',
    tag: 'handoffs',
    access: 'handoffs.decide',
    params: handoffParams,
    body: z.object({ reason: z.string().trim().min(4).max(500) }),
    response: handoffSchema,
  }),
] as const;

export const kpiRoutes = [
  defineRoute({
    id: 'kpis.get',
    method: 'get',
    path: '/kpis',
    summary:
      'Book KPIs over a period within scope: coverage, cross-sell, AUM uplift, tier moves, hand-off SLA',
    tag: 'kpis',
    access: 'kpis.read',
    query: z.object({ from: isoDateSchema, to: isoDateSchema }),
    response: z.object({
      period: z.object({ from: z.string(), to: z.string() }),
      figures: kpiFiguresSchema,
    }),
  }),
] as const;

export const pluginRoutes = [
  defineRoute({
    id: 'plugins.list',
    method: 'get',
    path: '/plugins',
    summary: 'Plugins the server runs, with their state',
    tag: 'plugins',
    access: 'plugins.read',
    response: z.object({ plugins: z.array(pluginStatusSchema) }),
  }),
  defineRoute({
    id: 'plugins.health',
    method: 'get',
    path: '/plugins/{pluginId}/health',
    summary: "One plugin's health",
    tag: 'plugins',
    access: 'plugins.read',
    params: z.object({
      pluginId: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[a-z][a-z0-9-]*$/),
    }),
    response: pluginStatusSchema,
  }),
] as const;

export const auditRoutes = [
  defineRoute({
    id: 'audit.list',
    method: 'get',
    path: '/audit',
    summary: 'The audit trail: who viewed, exported, unmasked or approved what',
    tag: 'audit',
    access: 'audit.read',
    query: z.object({
      actor: z.string().min(1).max(160).optional(),
      subject: z.string().min(1).max(160).optional(),
      after: z.coerce.number().int().min(0).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(100),
    }),
    response: z.object({ items: z.array(auditRecordSchema) }),
  }),
] as const;
