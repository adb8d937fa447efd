// The book's kernel events, declared on core's event map so listeners are typed like core's own.
import type { ContactRecord } from '@kequn/core';
import type { HandoffStatus } from './records.js';

/** What every hand-off step announces. */
export interface HandoffEvent {
  caseId: string;
  customerId: string;
  status: HandoffStatus;
  at: string;
}

declare module '@kequn/core' {
  interface KequnEventMap {
    'books.allocationProposed': { runId: string; month: string; proposals: number; overCapacity: number; unplaced: number; at: string };
    'books.allocationApproved': { runId: string; by: string; at: string };
    'books.allocationRejected': { runId: string; by: string; at: string; reason: string };
    'books.allocationApplied': { runId: string; changed: number; at: string };
    'books.reclaimed': { customerIds: readonly string[]; by: string; at: string };
    'books.contactRecorded': { customerId: string; managerId: string; outcome: ContactRecord['outcome']; at: string };
    'books.movedToLowFrequency': { customerId: string; managerId: string; followUpsWithoutSale: number; at: string };
    'handoff.opened': HandoffEvent;
    'handoff.filed': HandoffEvent & { senderId: string; receiverId: string };
    'handoff.approved': HandoffEvent & { by: string; firstContactDue: string };
    'handoff.rejected': HandoffEvent & { by: string; reason: string };
    'handoff.introductionQueued': HandoffEvent & { messageId: string };
    'handoff.firstContactMade': HandoffEvent & { withinSla: boolean };
    'handoff.closed': HandoffEvent;
    'handoff.archived': HandoffEvent;
    'handoff.slaBreached': HandoffEvent & { firstContactDue: string; receiverId: string };
  }
}
