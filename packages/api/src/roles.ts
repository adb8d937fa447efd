// Roles, permissions and data scope as data: the matrix the server enforces on every route and
// docs/server-and-security.md prints. Changing who may do what is an edit here, not in handlers.
import { z } from 'zod';

export const roleSchema = z.enum([
  'head_office',
  'branch_head',
  'operations_manager',
  'manager',
  'analyst',
  'auditor',
]);
export type Role = z.infer<typeof roleSchema>;

export const permissionSchema = z.enum([
  /** Masked customer lists (search, filter, page). */
  'customers.list',
  /** One customer's 360 view (masked identifiers, financial figures). */
  'customers.view',
  /** Reveal a masked identifier, with a reason; audited. */
  'customers.unmask',
  /** Segment catalogue, sizes, overlap, evaluation progress: aggregates only. */
  'segments.read',
  /** Why one customer is (not) in a segment. */
  'segments.explain',
  /** Define, validate and preview custom segments. */
  'segments.define',
  /** Export a segment's customers (masked), up to the role's export limit; audited. */
  'segments.export',
  'tiers.read',
  /** A manager's book and contact plan. */
  'books.read',
  /** Record a contact with a customer of a book (联系记录): the manager's own, or a branch's; audited. */
  'books.contact',
  'handoffs.read',
  /** Approve or reject a filed hand-off (提升移交审批); audited. */
  'handoffs.decide',
  'kpis.read',
  'plugins.read',
  /** Read the audit trail. */
  'audit.read',
  /** Campaigns in scope (their branch's and head office's), their audience size and types. */
  'campaigns.read',
  /** Create campaigns from a type and move them through their life cycle (not approve). */
  'campaigns.manage',
  /** Approve or reject a submitted campaign (never one's own); audited. */
  'campaigns.approve',
  /** Run a campaign's due journey steps now and follow the run's progress. */
  'campaigns.run',
  /** A campaign's results: funnel, conversions, uplift, cost — aggregates only. */
  'campaigns.report',
]);
export type Permission = z.infer<typeof permissionSchema>;

/**
 * Which customers a role sees: `all` (the whole bank), `branch` (the user's branch), `book` (the
 * customers whose relationshipManagerId is the user), `none` (no customer-level data at all).
 */
export const dataScopeKindSchema = z.enum(['all', 'branch', 'book', 'none']);
export type DataScopeKind = z.infer<typeof dataScopeKindSchema>;

export interface RolePolicy {
  readonly scope: DataScopeKind;
  readonly permissions: readonly Permission[];
  /** Most customers one export may hold; 0 means the role cannot export. */
  readonly exportLimit: number;
  readonly label: { readonly 'zh-CN': string; readonly en: string };
}

/**
 * Head office holds every permission except the two that act inside one branch's books: recording a
 * contact and deciding a hand-off belong to the branch that owns the customer. Derived from the
 * catalogue so a new permission reaches head office without a second list to keep in step.
 */
const branchOnlyPermissions: ReadonlySet<Permission> = new Set([
  'books.contact',
  'handoffs.decide',
]);
const headOfficePermissions: readonly Permission[] = permissionSchema.options.filter(
  (permission) => !branchOnlyPermissions.has(permission),
);

/** The permission matrix. Analysts see aggregates and masked lists only; auditors read the trail. */
export const rolePolicies: Readonly<Record<Role, RolePolicy>> = {
  head_office: {
    label: { 'zh-CN': '总行', en: 'Head office' },
    scope: 'all',
    exportLimit: 100_000,
    permissions: headOfficePermissions,
  },
  branch_head: {
    label: { 'zh-CN': '支行行长', en: 'Branch head' },
    scope: 'branch',
    exportLimit: 20_000,
    permissions: [
      'customers.list',
      'customers.view',
      'customers.unmask',
      'segments.read',
      'segments.explain',
      'segments.export',
      'tiers.read',
      'books.read',
      'books.contact',
      'handoffs.read',
      'handoffs.decide',
      'kpis.read',
      'plugins.read',
      'campaigns.read',
      'campaigns.manage',
      'campaigns.approve',
      'campaigns.run',
      'campaigns.report',
    ],
  },
  operations_manager: {
    label: { 'zh-CN': '营业经理', en: 'Operations manager' },
    scope: 'branch',
    exportLimit: 10_000,
    permissions: [
      'customers.list',
      'customers.view',
      'segments.read',
      'segments.explain',
      'segments.export',
      'tiers.read',
      'books.read',
      'books.contact',
      'handoffs.read',
      'handoffs.decide',
      'kpis.read',
      'plugins.read',
      'campaigns.read',
      'campaigns.manage',
      'campaigns.run',
      'campaigns.report',
    ],
  },
  manager: {
    label: { 'zh-CN': '客户经理', en: 'Relationship manager' },
    scope: 'book',
    exportLimit: 2_000,
    permissions: [
      'customers.list',
      'customers.view',
      'customers.unmask',
      'segments.read',
      'segments.explain',
      'segments.export',
      'tiers.read',
      'books.read',
      'books.contact',
      'handoffs.read',
      'kpis.read',
      'campaigns.read',
      'campaigns.report',
    ],
  },
  analyst: {
    label: { 'zh-CN': '分析师', en: 'Analyst' },
    scope: 'all',
    exportLimit: 0,
    permissions: [
      'customers.list',
      'segments.read',
      'segments.define',
      'tiers.read',
      'kpis.read',
      'plugins.read',
      'campaigns.read',
      'campaigns.report',
    ],
  },
  auditor: {
    label: { 'zh-CN': '审计', en: 'Auditor' },
    scope: 'none',
    exportLimit: 0,
    permissions: ['audit.read', 'plugins.read'],
  },
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return rolePolicies[role].permissions.includes(permission);
}

/** The authenticated user as the server sees them after verifying their token. */
export const principalSchema = z.object({
  /** The user id from the token's `sub`. */
  userId: z.string().min(1).max(128),
  role: roleSchema,
  /** Required for branch roles; the branch whose customers they see. */
  branchId: z.string().min(1).max(64).optional(),
  /** Required for managers: their manager id, matched against customers' relationshipManagerId. */
  managerId: z.string().min(1).max(64).optional(),
});
export type Principal = z.infer<typeof principalSchema>;
