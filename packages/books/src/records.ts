// The aggregates of the managed book, as zod schemas: allocation runs, hand-off cases, each
// customer's contact state and the assignment history. Stores keep them as JSON documents.
import { channelKindSchema, isoDate, isoDateTime, isoMonth } from '@kequn/core';
import { z } from 'zod';

export const proposalSchema = z.object({
  customerId: z.string().min(1),
  branchId: z.string().min(1),
  /** The manager before the run, or null for an unmanaged customer. */
  fromManagerId: z.string().min(1).nullable(),
  toManagerId: z.string().min(1),
  /** The allocation rule that decided the role (e.g. `high-end-to-vip`). */
  ruleId: z.string().min(1),
  /** `kept`: the relationship was valid and stays; `assigned`: the customer had no manager; `moved`: a new manager. */
  kind: z.enum(['kept', 'assigned', 'moved']),
  basis: z.number().finite(),
});
export type Proposal = z.infer<typeof proposalSchema>;

/** A manager the run had to fill past capacity, and why. */
export const overCapacitySchema = z.object({
  managerId: z.string().min(1),
  load: z.number().int().nonnegative(),
  capacity: z.number().int().nonnegative(),
  reason: z.enum(['existing_book_over_capacity', 'no_capacity_left_for_role_in_branch']),
  explanation: z.string().min(1),
});
export type OverCapacity = z.infer<typeof overCapacitySchema>;

/** A customer in scope the run could not place, and why. */
export const unplacedSchema = z.object({
  customerId: z.string().min(1),
  branchId: z.string().min(1),
  ruleId: z.string().min(1),
  reason: z.literal('no_manager_of_role_in_branch'),
  explanation: z.string().min(1),
});
export type Unplaced = z.infer<typeof unplacedSchema>;

export const decisionSchema = z.object({
  by: z.string().min(1),
  at: isoDateTime,
  reason: z.string().max(2000).optional(),
});
export type Decision = z.infer<typeof decisionSchema>;

export const allocationRunSchema = z.object({
  id: z.string().min(1),
  month: isoMonth,
  status: z.enum(['proposed', 'approved', 'rejected', 'applied']),
  proposedBy: z.string().min(1),
  proposedAt: isoDateTime,
  approval: decisionSchema.optional(),
  rejection: decisionSchema.optional(),
  appliedAt: isoDateTime.optional(),
  proposals: z.array(proposalSchema),
  overCapacity: z.array(overCapacitySchema),
  unplaced: z.array(unplacedSchema),
});
export type AllocationRun = z.infer<typeof allocationRunSchema>;

/** Who holds a customer from when, and by which decision (an allocation run, a hand-off, a reclaim). */
export const assignmentSchema = z.object({
  customerId: z.string().min(1),
  managerId: z.string().min(1).nullable(),
  effectiveAt: isoDateTime,
  source: z.enum(['allocation', 'handoff', 'reclaim']),
  /** The run or case id. */
  reference: z.string().min(1),
});
export type Assignment = z.infer<typeof assignmentSchema>;

/** The customer file attached to a hand-off form: a summary of the profile, never identifiers. */
export const customerFileSchema = z.object({
  customerId: z.string().min(1),
  branchId: z.string().min(1),
  tier: z.string().min(1),
  basis: z.number().finite(),
  currentAum: z.number().finite(),
  holdings: z.array(z.object({ productType: z.string().min(1), amount: z.number().finite(), maturityDate: isoDate.optional() })),
  riskProfile: z.string().optional(),
  occupation: z.string().min(1),
  age: z.number().int().nonnegative(),
  lastEffectiveContactAt: isoDateTime.optional(),
  completeness: z.number().min(0).max(1),
});
export type CustomerFile = z.infer<typeof customerFileSchema>;

export const handoffStatusSchema = z.enum(['opened', 'filed', 'rejected', 'awaiting_first_contact', 'closed', 'archived']);
export type HandoffStatus = z.infer<typeof handoffStatusSchema>;

export const handoffCaseSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  branchId: z.string().min(1),
  status: handoffStatusSchema,
  fromTier: z.string().nullable(),
  toTier: z.string().min(1),
  basis: z.number().finite(),
  /** The manager who held the customer when the case opened; null when nobody did. */
  senderId: z.string().min(1).nullable(),
  receiverId: z.string().min(1).optional(),
  openedAt: isoDateTime,
  filed: decisionSchema.optional(),
  customerFile: customerFileSchema.optional(),
  approval: decisionSchema.optional(),
  rejection: decisionSchema.optional(),
  /** The outbox message that introduces the receiver to the customer. */
  introductionMessageId: z.string().min(1).optional(),
  /** Last day (inclusive) the receiver may make first contact. */
  firstContactDue: isoDate.optional(),
  firstContact: z
    .object({ at: isoDateTime, channel: channelKindSchema, contactId: z.string().min(1), withinSla: z.boolean() })
    .optional(),
  /** Set the first time the case is found overdue, so the breach is reported once. */
  slaBreachedOn: isoDate.optional(),
  closedAt: isoDateTime.optional(),
  archivedAt: isoDateTime.optional(),
});
export type HandoffCase = z.infer<typeof handoffCaseSchema>;

/** What the contact plan remembers about one managed customer between contacts. */
export const contactStateSchema = z.object({
  customerId: z.string().min(1),
  managerId: z.string().min(1).nullable(),
  lastContactAt: isoDateTime.optional(),
  lastEffectiveContactAt: isoDateTime.optional(),
  /** Effective follow-ups since the last sale. */
  followUpsWithoutSale: z.number().int().nonnegative(),
  lowFrequency: z.boolean(),
  /** The next step the manager wrote down with the last contact. */
  nextStep: z.object({ on: isoDate, note: z.string().max(500) }).optional(),
  /** Instants of recent contacts, newest last, kept for the frequency cap. */
  recentContacts: z.array(isoDateTime),
});
export type ContactState = z.infer<typeof contactStateSchema>;

