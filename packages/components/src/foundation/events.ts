// The typed `kq-*` events. Every one bubbles and is composed, so a portal can listen on any
// ancestor, across shadow roots, with the detail typed through HTMLElementEventMap.
/** What a manager records after a planned contact (有效联系: reached, interested, declined, sold). */
export type ContactOutcome = 'reached' | 'no_answer' | 'declined' | 'interested' | 'sold';

export interface KequnEventMap {
  /** A tier of the pyramid was chosen (click, Enter or Space). */
  'kq-tier-select': { tierId: string; customers: number; aum: number };
  /** A customer row was activated (click or Enter). */
  'kq-customer-select': { customerId: string };
  /** The list's sort changed. */
  'kq-sort-change': { key: 'name' | 'tier' | 'aum'; direction: 'asc' | 'desc' };
  /** The segment filter of the list changed; null for no filter. */
  'kq-segment-change': { segment: string | null };
  /** The rule in the builder changed; `valid` after local and server validation. */
  'kq-rule-change': { rule: unknown; valid: boolean };
  /** A cell of the migration matrix was chosen. */
  'kq-migration-select': { fromTier: string; toTier: string; customers: number };
  /** An outcome of a planned contact was recorded; `outcome` as @kequn/core's contact record. */
  'kq-contact-logged': {
    customerId: string;
    managerId: string;
    outcome: ContactOutcome;
    occurredAt: string;
  };
  /** A hand-off was approved or rejected; `status` is the case's status the server answered. */
  'kq-handoff-decided': {
    handoffId: string;
    decision: 'approve' | 'reject';
    status: string;
    reason?: string;
  };
  /** A campaign life-cycle action succeeded; status and stage as the server answered. */
  'kq-campaign-action': { campaignId: string; action: string; status: string; stage: string };
  /** A campaign on the board was chosen (to open its report). */
  'kq-campaign-select': { campaignId: string };
  /** A call to the server failed; `code` is the problem's stable `KQ_…` code. */
  'kq-error': { routeId: string; code: string; status: number | null; message: string };
}

export type KequnEventName = keyof KequnEventMap;
export type KequnEvent<Name extends KequnEventName> = CustomEvent<KequnEventMap[Name]>;
export type KequnEvents = { [Name in KequnEventName]: KequnEvent<Name> };

export function kequnEvent<Name extends KequnEventName>(
  name: Name,
  detail: KequnEventMap[Name],
): KequnEvent<Name> {
  return new CustomEvent(name, { detail, bubbles: true, composed: true });
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends KequnEvents {}
}
