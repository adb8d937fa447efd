// A request to contact one customer, validated at the edge of the policy.
import { channelKindSchema, contactPurposeSchema, isoDateTime, type Customer } from '@kequn/core';
import { z } from 'zod';
import { ContactRequestError, describeIssues } from './errors.js';
import { contactRecordSchema, type ContactLedger } from './ledger.js';

const customerShape = z.custom<Customer>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    Array.isArray((value as { consents?: unknown }).consents) &&
    typeof (value as { doNotContact?: unknown }).doNotContact === 'boolean',
  'expected a customer of @kequn/core with id, consents and doNotContact',
);

const ledgerShape = z.custom<ContactLedger>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { contactsOf?: unknown }).contactsOf === 'function',
  'expected a list of contacts or a ledger with contactsOf(customerId, range)',
);

export const contactRequestSchema = z.object({
  customer: customerShape,
  channel: channelKindSchema,
  purpose: contactPurposeSchema,
  campaignId: z.string().min(1).optional(),
  /** Higher wins when campaigns compete for the customer; 0 when absent. */
  priority: z.number().int().default(0),
  /** When the contact would happen: an ISO instant with offset (or Z). */
  at: isoDateTime,
  history: z.union([z.array(contactRecordSchema), ledgerShape]).default([]),
});
export type ContactRequest = z.infer<typeof contactRequestSchema>;
export type ContactRequestInput = z.input<typeof contactRequestSchema>;

export function parseContactRequest(operation: string, input: ContactRequestInput): ContactRequest {
  const parsed = contactRequestSchema.safeParse(input);
  if (!parsed.success)
    throw new ContactRequestError(operation, describeIssues(parsed.error.issues));
  return parsed.data;
}
