// <kq-handoff-queue>: upgrade hand-offs (提升移交) for the operations manager: filed cases to approve
// or reject (a reason is required) with their approval SLA counted from filing, and approved cases
// with their first-contact SLA state.
import { css, html, nothing } from 'lit';
import type { InputOf, OutputOf } from '@kequn/client';
import { KequnElement, failureOf, type LoadFailure } from '../foundation/base.js';
import type { KequnComponentClient } from '../foundation/context.js';
import { formatCount, formatDate } from '../foundation/format.js';
import { tierLabel, type Catalogue } from '../foundation/messages.js';
import { focusAfterUpdate, withRowState } from '../foundation/row-state.js';
import { hostStyles } from '../foundation/styles.js';

export type HandoffCase = OutputOf<'handoffs.list'>['items'][number];
/** The statuses `handoffs.list` filters on. */
export type HandoffStatusFilter = NonNullable<
  NonNullable<InputOf<'handoffs.list'>['query']>['status']
>;
export type HandoffSlaState = 'on_time' | 'due_soon' | 'overdue' | 'none';

const REASON_MIN = 4;
/** Days an approver has to decide a filed case, counted from its filing day (see `approvalDays`). */
export const DEFAULT_APPROVAL_DAYS = 5;

const messages = {
  'zh-CN': {
    title: '提升移交',
    summary: '待审批 {filed} 件，待首次联系 {waiting} 件，其中逾期 {overdue} 件',
    customer: '客户',
    move: '分层变化',
    status: '状态',
    due: '处理期限',
    sla: '时效',
    actions: '操作',
    filed: '待审批',
    awaiting_first_contact: '待首次联系',
    opened: '已发起',
    rejected: '已驳回',
    closed: '已完成',
    archived: '已归档',
    on_time: '按时',
    due_soon: '即将到期',
    overdue: '已逾期',
    none: '—',
    approve: '批准',
    reject: '驳回',
    rejectFor: '驳回 {customer} 的移交',
    approveFor: '批准 {customer} 的移交',
    decideBy: '审批',
    contactBy: '首次联系',
    reason: '驳回原因',
    reasonHint: '至少 {min} 个字',
    reasonMissing: '请填写驳回原因（至少 {min} 个字）',
    confirm: '确认驳回',
    cancel: '取消',
    working: '正在提交…',
    decided: '已{decision}',
    approved: '批准',
    rejectedVerb: '驳回',
    failed: '操作失败：{message}',
    forbidden: '无权审批此移交',
    empty: '暂无移交',
  },
  en: {
    title: 'Upgrade hand-offs',
    summary: '{filed} to decide, {waiting} awaiting first contact, {overdue} overdue',
    customer: 'Customer',
    move: 'Tier move',
    status: 'Status',
    due: 'Due by',
    sla: 'SLA',
    actions: 'Actions',
    filed: 'To decide',
    awaiting_first_contact: 'Awaiting first contact',
    opened: 'Opened',
    rejected: 'Rejected',
    closed: 'Closed',
    archived: 'Archived',
    on_time: 'On time',
    due_soon: 'Due soon',
    overdue: 'Overdue',
    none: '—',
    approve: 'Approve',
    reject: 'Reject',
    rejectFor: 'Reject the hand-off of {customer}',
    approveFor: 'Approve the hand-off of {customer}',
    decideBy: 'decision',
    contactBy: 'first contact',
    reason: 'Reason for rejecting',
    reasonHint: 'At least {min} characters',
    reasonMissing: 'Give a reason for rejecting (at least {min} characters)',
    confirm: 'Reject',
    cancel: 'Cancel',
    working: 'Sending…',
    decided: '{decision}',
    approved: 'Approved',
    rejectedVerb: 'Rejected',
    failed: 'Could not do it: {message}',
    forbidden: 'You may not decide this hand-off',
    empty: 'No hand-offs',
  },
} as const satisfies Catalogue<string>;

type CaseState =
  | { kind: 'rejecting'; reason: string; invalid: boolean }
  | { kind: 'working' }
  | { kind: 'decided'; decision: 'approve' | 'reject' }
  | { kind: 'failed'; failure: LoadFailure };

/** How a case names its customer to the approver: masked name and id (张*明 C000000042). */
function customerOf(handoff: Pick<HandoffCase, 'customerName' | 'customerId'>): string {
  return handoff.customerName === ''
    ? handoff.customerId
    : `${handoff.customerName} ${handoff.customerId}`;
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * The running deadline of a case (`YYYY-MM-DD`): a filed case must be decided `approvalDays` after
 * its filing day (the day as the bank wrote the instant), an approved one first-contacted by the
 * server's `firstContactDue`; null for cases with nothing pending.
 */
export function handoffDeadline(
  handoff: Pick<HandoffCase, 'status' | 'firstContactDue' | 'filedAt'>,
  approvalDays: number = DEFAULT_APPROVAL_DAYS,
): string | null {
  if (handoff.status === 'filed')
    return handoff.filedAt === null ? null : addDays(handoff.filedAt.slice(0, 10), approvalDays);
  if (handoff.status === 'awaiting_first_contact') return handoff.firstContactDue;
  return null;
}

/**
 * The SLA state of a case on `today`: overdue after its deadline (approval for a filed case, first
 * contact for an approved one), due soon within `dueSoonDays` of it, on time before that; `none`
 * for cases without a running deadline.
 */
export function handoffSlaState(
  handoff: Pick<HandoffCase, 'status' | 'firstContactDue' | 'filedAt'>,
  today: string,
  dueSoonDays: number,
  approvalDays: number = DEFAULT_APPROVAL_DAYS,
): HandoffSlaState {
  const deadline = handoffDeadline(handoff, approvalDays);
  if (deadline === null) return 'none';
  if (deadline < today) return 'overdue';
  if (deadline <= addDays(today, dueSoonDays)) return 'due_soon';
  return 'on_time';
}

/**
 * The hand-off queue from `handoffs.list`: filed cases first (approve, or reject with a reason),
 * their approval SLA counted from the filing day, then cases awaiting the receiver's first call with
 * their SLA state, most urgent first. Customers are shown by their masked name and id. Decisions
 * call `handoffs.approve` / `handoffs.reject` and the row takes the case the server returns.
 *
 * @summary Upgrade hand-offs with approve/reject, approval and first-contact SLA state.
 * @csspart title - The heading.
 * @csspart summary - Counts to decide, waiting and overdue.
 * @csspart table - The queue.
 * @csspart row - One case; also `row-overdue` and `row-due-soon`.
 * @csspart customer-id - The customer id under the masked name.
 * @csspart sla - The SLA state of a case; also `sla-overdue`, `sla-due-soon`, `sla-on-time`.
 * @csspart approve-button - Approve.
 * @csspart reject-button - Reject (opens the reason form).
 * @csspart reason-form - The reject form with its reason field.
 * @csspart row-status - The outcome or failure note of a row.
 * @csspart status - Loading and "not connected" messages.
 * @csspart error - The error line with its retry button.
 * @cssprop --kq-handoff-overdue-color - Overdue SLA colour (falls back to --kq-color-danger).
 * @cssprop --kq-handoff-due-soon-color - Due-soon SLA colour (falls back to --kq-color-warning).
 * @cssprop --kq-handoff-on-time-color - On-time SLA colour (falls back to --kq-color-success).
 * @event kq-handoff-decided - A case was approved or rejected; detail `{ handoffId, decision, status, reason? }`.
 * @event kq-error - A call failed; detail `{ routeId, code, status, message }`.
 */
export class KqHandoffQueue extends KequnElement {
  static override properties = {
    statusFilter: { type: String, reflect: true, attribute: 'status-filter' },
    asOf: { type: String, attribute: 'as-of' },
    dueSoonDays: { type: Number, attribute: 'due-soon-days' },
    approvalDays: { type: Number, attribute: 'approval-days' },
    handoffs: { attribute: false },
    cases: { state: true },
  };

  static override styles = [
    hostStyles,
    css`
      .summary {
        color: var(--_text-muted);
        margin: 0 0 var(--_space-2);
      }
      table {
        width: 100%;
      }
      .customer-id,
      .deadline-kind {
        display: block;
        font-weight: normal;
        font-size: 0.85em;
        color: var(--_text-muted);
      }
      .sla-overdue {
        color: var(--kq-handoff-overdue-color, var(--_danger));
        font-weight: 600;
      }
      .sla-due_soon {
        color: var(--kq-handoff-due-soon-color, var(--_warning));
        font-weight: 600;
      }
      .sla-on_time {
        color: var(--kq-handoff-on-time-color, var(--_success));
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space-1);
        align-items: flex-start;
      }
      form {
        display: grid;
        gap: var(--_space-1);
        margin-top: var(--_space-1);
      }
      .hint {
        color: var(--_text-muted);
        font-size: 0.9em;
      }
      .invalid,
      .failed {
        color: var(--_danger);
      }
    `,
  ];

  /** Only cases in this status (`filed`, `awaiting_first_contact`…); every case when unset. */
  declare statusFilter: HandoffStatusFilter | undefined;
  /** The day SLA states are judged on (`YYYY-MM-DD`); today (UTC) when unset. */
  declare asOf: string | undefined;
  /** Days before the deadline that count as "due soon" (default 2, the first-contact SLA). */
  declare dueSoonDays: number;
  /** Days from filing within which a filed case should be decided (default 5; the branch's rule). */
  declare approvalDays: number;
  /** The cases (`handoffs.list`'s items); loaded when a client is present. */
  declare handoffs: readonly HandoffCase[] | undefined;
  declare protected cases: ReadonlyMap<string, CaseState>;

  constructor() {
    super();
    this.statusFilter = undefined;
    this.asOf = undefined;
    this.dueSoonDays = 2;
    this.approvalDays = DEFAULT_APPROVAL_DAYS;
    this.handoffs = undefined;
    this.cases = new Map();
  }

  protected override loadKey(): string | undefined {
    return `handoffs|${this.statusFilter ?? ''}`;
  }

  protected override hasData(): boolean {
    return this.handoffs !== undefined;
  }

  protected override async load(client: KequnComponentClient): Promise<void> {
    const status = this.statusFilter;
    const answer = await client.call('handoffs.list', {
      query: status === undefined ? {} : { status },
    });
    this.handoffs = answer.items;
    this.cases = new Map();
  }

  /** The SLA state of one case on `as-of` (or today). */
  slaOf(handoff: HandoffCase): HandoffSlaState {
    const today = this.asOf ?? new Date().toISOString().slice(0, 10);
    return handoffSlaState(handoff, today, this.dueSoonDays, this.approvalDays);
  }

  /** The cases in queue order: to decide first, then by SLA urgency and deadline. */
  get queue(): HandoffCase[] {
    const rank = (handoff: HandoffCase): number => {
      if (handoff.status === 'filed') return 0;
      return { overdue: 1, due_soon: 2, on_time: 3, none: 4 }[this.slaOf(handoff)];
    };
    const deadline = (handoff: HandoffCase) => handoffDeadline(handoff, this.approvalDays) ?? '';
    return [...(this.handoffs ?? [])].sort(
      (a, b) =>
        rank(a) - rank(b) || deadline(a).localeCompare(deadline(b)) || a.id.localeCompare(b.id),
    );
  }

  #setCase(handoffId: string, state: CaseState | undefined): void {
    this.cases = withRowState(this.cases, handoffId, state);
  }

  async #decide(handoff: HandoffCase, decision: 'approve' | 'reject', reason?: string) {
    const client = this.activeClient;
    if (client === undefined) return;
    this.#setCase(handoff.id, { kind: 'working' });
    const params = { handoffId: handoff.id };
    const routeId = decision === 'approve' ? 'handoffs.approve' : 'handoffs.reject';
    let updated: HandoffCase;
    try {
      updated =
        decision === 'approve'
          ? await client.call('handoffs.approve', { params, body: {} })
          : await client.call('handoffs.reject', { params, body: { reason: reason ?? '' } });
    } catch (error) {
      const failure = failureOf(routeId, error);
      this.#setCase(handoff.id, { kind: 'failed', failure });
      this.emit('kq-error', { ...failure });
      return;
    }
    this.handoffs = (this.handoffs ?? []).map((each) => (each.id === updated.id ? updated : each));
    this.#setCase(handoff.id, { kind: 'decided', decision });
    this.emit('kq-handoff-decided', {
      handoffId: updated.id,
      decision,
      status: updated.status,
      ...(reason === undefined ? {} : { reason }),
    });
    await this.#focusCase(handoff, '[part~="row-status"]');
  }

  #focusCase(handoff: HandoffCase, selector: string): Promise<void> {
    return focusAfterUpdate(this, `[data-handoff="${CSS.escape(handoff.id)}"] ${selector}`);
  }

  async #openReject(handoff: HandoffCase): Promise<void> {
    this.#setCase(handoff.id, { kind: 'rejecting', reason: '', invalid: false });
    await this.#focusCase(handoff, 'textarea');
  }

  async #cancelReject(handoff: HandoffCase): Promise<void> {
    this.#setCase(handoff.id, undefined);
    await this.#focusCase(handoff, '[part~="reject-button"]');
  }

  #submitReject(event: SubmitEvent, handoff: HandoffCase): void {
    event.preventDefault();
    const state = this.cases.get(handoff.id);
    if (state?.kind !== 'rejecting') return;
    const reason = state.reason.trim();
    if (reason.length < REASON_MIN) {
      this.#setCase(handoff.id, { ...state, invalid: true });
      void this.#focusCase(handoff, 'textarea');
      return;
    }
    void this.#decide(handoff, 'reject', reason);
  }

  #rejectForm(handoff: HandoffCase, state: Extract<CaseState, { kind: 'rejecting' }>) {
    const id = `reason-${handoff.id}`;
    // novalidate: the element's own message (localized, tied to the field) replaces the browser's.
    return html`<form
      part="reason-form"
      novalidate
      @submit=${(event: SubmitEvent) => this.#submitReject(event, handoff)}
      @keydown=${(event: KeyboardEvent) => {
        if (event.key === 'Escape') void this.#cancelReject(handoff);
      }}
    >
      <label for=${id}>${this.text(messages, 'reason')}</label>
      <textarea
        id=${id}
        rows="2"
        required
        minlength=${REASON_MIN}
        aria-invalid=${state.invalid ? 'true' : 'false'}
        aria-describedby=${`${id}-hint`}
        .value=${state.reason}
        @input=${(event: InputEvent) =>
          this.#setCase(handoff.id, {
            kind: 'rejecting',
            reason: (event.target as HTMLTextAreaElement).value,
            invalid: false,
          })}
      ></textarea>
      <span id=${`${id}-hint`} class=${state.invalid ? 'invalid' : 'hint'}
        >${
          state.invalid
            ? this.text(messages, 'reasonMissing', { min: REASON_MIN })
            : this.text(messages, 'reasonHint', { min: REASON_MIN })
        }</span
      >
      <div class="actions">
        <button type="submit" class="primary">${this.text(messages, 'confirm')}</button>
        <button type="button" @click=${() => this.#cancelReject(handoff)}>
          ${this.text(messages, 'cancel')}
        </button>
      </div>
    </form>`;
  }

  #note(state: CaseState | undefined) {
    if (state === undefined || state.kind === 'rejecting') return nothing;
    if (state.kind === 'working')
      return html`<span part="row-status" tabindex="-1">${this.text(messages, 'working')}</span>`;
    if (state.kind === 'decided') {
      const decision = this.text(
        messages,
        state.decision === 'approve' ? 'approved' : 'rejectedVerb',
      );
      return html`<span part="row-status" tabindex="-1"
        >${this.text(messages, 'decided', { decision })}</span
      >`;
    }
    const message =
      state.failure.status === 403 ? this.text(messages, 'forbidden') : state.failure.message;
    return html`<span class="failed" part="row-status" tabindex="-1"
      >${this.text(messages, 'failed', { message })} <code>${state.failure.code}</code></span
    >`;
  }

  #actions(handoff: HandoffCase, state: CaseState | undefined) {
    if (handoff.status !== 'filed') return this.#note(state);
    if (state?.kind === 'rejecting') return this.#rejectForm(handoff, state);
    const busy = state?.kind === 'working';
    return html`<div class="actions">
        <button
          type="button"
          class="primary"
          part="approve-button"
          aria-label=${this.text(messages, 'approveFor', { customer: customerOf(handoff) })}
          ?disabled=${busy}
          @click=${() => this.#decide(handoff, 'approve')}
        >
          ${this.text(messages, 'approve')}
        </button>
        <button
          type="button"
          part="reject-button"
          aria-label=${this.text(messages, 'rejectFor', { customer: customerOf(handoff) })}
          ?disabled=${busy}
          @click=${() => this.#openReject(handoff)}
        >
          ${this.text(messages, 'reject')}
        </button>
      </div>
      ${this.#note(state)}`;
  }

  #deadline(handoff: HandoffCase) {
    const deadline = handoffDeadline(handoff, this.approvalDays);
    if (deadline === null) return '—';
    const kind = handoff.status === 'filed' ? 'decideBy' : 'contactBy';
    return html`${formatDate(this.locale, deadline)}
      <span class="deadline-kind">${this.text(messages, kind)}</span>`;
  }

  #row(handoff: HandoffCase) {
    const sla = this.slaOf(handoff);
    const state = this.cases.get(handoff.id);
    const rowPart =
      sla === 'overdue' ? 'row row-overdue' : sla === 'due_soon' ? 'row row-due-soon' : 'row';
    const status = handoff.status as keyof (typeof messages)['en'];
    return html`<tr part=${rowPart} data-handoff=${handoff.id} data-sla=${sla}>
      <th scope="row">
        ${handoff.customerName}
        <span class="customer-id" part="customer-id">${handoff.customerId}</span>
      </th>
      <td>
        ${tierLabel(this.locale, handoff.fromTier)} → ${tierLabel(this.locale, handoff.toTier)}
      </td>
      <td>${status in messages.en ? this.text(messages, status) : handoff.status}</td>
      <td>${this.#deadline(handoff)}</td>
      <td>
        <span
          class=${`sla-${sla}`}
          part=${sla === 'none' ? 'sla' : `sla sla-${sla.replace('_', '-')}`}
          >${this.text(messages, sla)}</span
        >
      </td>
      <td aria-live="polite">${this.#actions(handoff, state)}</td>
    </tr>`;
  }

  protected override render() {
    const handoffs = this.handoffs;
    return html`
      <h2 part="title">${this.text(messages, 'title')}</h2>
      ${this.renderStatus()} ${handoffs === undefined ? nothing : this.#queue()}
    `;
  }

  #queue() {
    const queue = this.queue;
    const count = (test: (handoff: HandoffCase) => boolean) =>
      formatCount(this.locale, queue.filter(test).length);
    return html`<p class="summary" part="summary">
        ${this.text(messages, 'summary', {
          filed: count((handoff) => handoff.status === 'filed'),
          waiting: count((handoff) => handoff.status === 'awaiting_first_contact'),
          overdue: count((handoff) => this.slaOf(handoff) === 'overdue'),
        })}
      </p>
      ${
        queue.length === 0
          ? html`<p class="status" part="status">${this.text(messages, 'empty')}</p>`
          : html`<table part="table">
              <thead>
                <tr>
                  <th scope="col">${this.text(messages, 'customer')}</th>
                  <th scope="col">${this.text(messages, 'move')}</th>
                  <th scope="col">${this.text(messages, 'status')}</th>
                  <th scope="col">${this.text(messages, 'due')}</th>
                  <th scope="col">${this.text(messages, 'sla')}</th>
                  <th scope="col">${this.text(messages, 'actions')}</th>
                </tr>
              </thead>
              <tbody>
                ${queue.map((handoff) => this.#row(handoff))}
              </tbody>
            </table>`
      }`;
  }
}
