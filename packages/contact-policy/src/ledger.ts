// What has already been sent to a customer. Callers pass a list or their own ledger (an outbox,
// a store); the policy only ever asks for one customer's contacts in a time range.
import { channelKindSchema, contactPurposeSchema, isoDateTime } from '@kequn/core';
import { z } from 'zod';
import { instantMs } from './bank-time.js';
import { ContactRequestError, describeIssues } from './errors.js';

export const contactRecordSchema = z.object({
  channel: channelKindSchema,
  purpose: contactPurposeSchema,
  campaignId: z.string().min(1).optional(),
  /** The campaign's priority when it was sent; arbitration needs it to compare campaigns. */
  priority: z.number().int().optional(),
  at: isoDateTime,
});
export type ContactRecord = z.infer<typeof contactRecordSchema>;

export interface ContactRange {
  /** Exclusive lower bound, ISO instant. */
  after: string;
  /** Inclusive upper bound, ISO instant. */
  until: string;
}

export interface ContactLedger {
  /** The contacts made to `customerId` with `after < at ≤ until`, in any order. */
  contactsOf(customerId: string, range: ContactRange): readonly ContactRecord[];
}

export type ContactHistory = readonly ContactRecord[] | ContactLedger;

export function isContactLedger(history: ContactHistory): history is ContactLedger {
  return !Array.isArray(history);
}

/** A contact with its instant parsed once. */
export interface TimedContact {
  readonly record: ContactRecord;
  readonly atMs: number;
  /** Granted earlier in the same arbitrate() batch rather than read from the history. */
  readonly fromBatch?: boolean;
}

/** Reads a history (list or ledger) through one interface, in instants. */
export class HistoryReader {
  private readonly extra: TimedContact[];

  constructor(
    private readonly history: ContactHistory,
    private readonly customerId: string,
    private readonly format: (instant: number) => string,
    extra: readonly TimedContact[] = [],
  ) {
    this.extra = [...extra];
  }

  /** A reader that also sees the given contacts (sends granted earlier in a batch). */
  including(contacts: readonly TimedContact[]): HistoryReader {
    return new HistoryReader(this.history, this.customerId, this.format, [
      ...this.extra,
      ...contacts,
    ]);
  }

  /** Contacts with `afterMs < at ≤ untilMs`. */
  between(afterMs: number, untilMs: number): TimedContact[] {
    const inRange = (contact: TimedContact) => contact.atMs > afterMs && contact.atMs <= untilMs;
    return [...this.fromHistory(afterMs, untilMs).filter(inRange), ...this.extra.filter(inRange)];
  }

  private fromHistory(afterMs: number, untilMs: number): TimedContact[] {
    const records = isContactLedger(this.history)
      ? this.readLedger(this.history, afterMs, untilMs)
      : this.history;
    return records.map((record) => ({ record, atMs: instantMs(record.at) }));
  }

  /** A ledger is outside code: a record it returns malformed would silently escape the caps. */
  private readLedger(
    ledger: ContactLedger,
    afterMs: number,
    untilMs: number,
  ): readonly ContactRecord[] {
    const range = { after: this.format(afterMs), until: this.format(untilMs) };
    const parsed = z
      .array(contactRecordSchema)
      .safeParse(ledger.contactsOf(this.customerId, range));
    if (!parsed.success) {
      throw new ContactRequestError(
        `The contact ledger's contactsOf("${this.customerId}")`,
        describeIssues(parsed.error.issues),
      );
    }
    return parsed.data;
  }
}
