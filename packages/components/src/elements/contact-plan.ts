// <kq-contact-plan>: a manager's contact list for the day (今日待办, ABCD 分类 cadence, maturities,
// hand-off first contacts), most urgent first, with one-click outcome logging on each row.
import { css, html, nothing } from 'lit';
import type { InputOf, OutputOf } from '@kequn/client';
import { KequnElement, failureOf, type LoadFailure } from '../foundation/base.js';
import type { KequnComponentClient } from '../foundation/context.js';
import type { ContactOutcome } from '../foundation/events.js';
import { formatCount, formatDate } from '../foundation/format.js';
import type { Catalogue } from '../foundation/messages.js';
import { withRowState } from '../foundation/row-state.js';
import { hostStyles } from '../foundation/styles.js';

export type ContactPlan = OutputOf<'books.contactPlan'>;
export type ContactPlanItem = ContactPlan['items'][number];
/** The channels a contact is recorded on (`books.recordContact`). */
export type ContactChannel = InputOf<'books.recordContact'>['body']['channel'];

const contactChannels: readonly ContactChannel[] = [
  'phone',
  'wecom',
  'branch',
  'sms',
  'email',
  'app_push',
];

/** One outcome as the element hands it to the recorder. */
export interface ContactOutcomeEntry {
  readonly managerId: string;
  readonly customerId: string;
  readonly outcome: ContactOutcome;
  readonly channel: string;
  /** ISO instant of the click. */
  readonly occurredAt: string;
}

/**
 * Records an outcome somewhere other than the Kequn server (the bank's CRM) and resolves when it is
 * stored; a rejection (a problem with its `code` and `status`) is shown on the row. Without one the
 * element records through its client's `books.recordContact`.
 */
export type ContactRecorder = (entry: ContactOutcomeEntry) => Promise<unknown>;

export const contactOutcomes: readonly ContactOutcome[] = [
  'reached',
  'no_answer',
  'declined',
  'interested',
  'sold',
];

const messages = {
  'zh-CN': {
    title: '今日联系计划',
    summary: '{date} 应联系 {due} 人，列出 {shown} 人，其中逾期 {overdue} 人',
    customer: '客户',
    class: '分类',
    classValue: '{class} 类',
    due: '应联系日',
    overdue: '已逾期',
    reasons: '原因',
    outcome: '联系结果',
    outcomeGroup: '记录与 {name} 的联系结果',
    reached: '已联系',
    no_answer: '未接通',
    declined: '拒绝',
    interested: '有意向',
    sold: '已成交',
    logged: '已记录：{outcome}',
    saving: '正在记录…',
    logFailed: '记录失败：{message}',
    noRecorder: '未连接服务，也未配置联系结果记录（recorder），无法记录',
    empty: '今日无待联系客户',
  },
  en: {
    title: 'Contact plan for today',
    summary: '{due} customers due on {date}, {shown} listed, {overdue} overdue',
    customer: 'Customer',
    class: 'Class',
    classValue: 'Class {class}',
    due: 'Due',
    overdue: 'Overdue',
    reasons: 'Why',
    outcome: 'Outcome',
    outcomeGroup: 'Record the outcome of contacting {name}',
    reached: 'Reached',
    no_answer: 'No answer',
    declined: 'Declined',
    interested: 'Interested',
    sold: 'Sold',
    logged: 'Recorded: {outcome}',
    saving: 'Recording…',
    logFailed: 'Could not record: {message}',
    noRecorder: 'Neither a client nor an outcome recorder is set, so outcomes cannot be recorded',
    empty: 'Nobody to contact today',
  },
} as const satisfies Catalogue<string>;

type RowState =
  | { kind: 'saving'; outcome: ContactOutcome }
  | { kind: 'logged'; outcome: ContactOutcome; occurredAt: string }
  | { kind: 'failed'; outcome: ContactOutcome; failure: LoadFailure };

/**
 * A manager's daily contact list from `books.contactPlan`, each row with its ABCD class, due date
 * (overdue marked), the reasons that put it on the list (in the element's language) and five
 * outcome buttons. A click records the outcome through the client's `books.recordContact` — or
 * hands it to `recorder` when one is set — then marks the row and emits `kq-contact-logged`; a
 * failure stays on the row with its code. Renders the `plan` property when it has no client.
 *
 * @summary A manager's contact plan for the day with one-click outcome logging.
 * @csspart title - The heading.
 * @csspart summary - Due, listed and overdue counts.
 * @csspart table - The plan table.
 * @csspart row - One customer; also `row-overdue` and `row-logged`.
 * @csspart class-badge - The ABCD class.
 * @csspart outcome-button - Each outcome button; also `outcome-button-chosen` on the recorded one.
 * @csspart row-status - The "recorded" or failure note of a row.
 * @csspart status - Loading and "not connected" messages.
 * @csspart error - The error line with its retry button.
 * @cssprop --kq-plan-overdue-color - Colour of overdue dates (falls back to --kq-color-danger).
 * @cssprop --kq-plan-logged-background - Background of rows already recorded (falls back to --kq-color-surface-raised).
 * @event kq-contact-logged - An outcome was recorded; detail `{ customerId, managerId, outcome, occurredAt }`.
 * @event kq-error - Loading or recording failed; detail `{ routeId, code, status, message }`.
 */
export class KqContactPlan extends KequnElement {
  static override properties = {
    managerId: { type: String, attribute: 'manager-id', reflect: true },
    date: { type: String, reflect: true },
    limit: { type: Number },
    channel: { type: String },
    plan: { attribute: false },
    recorder: { attribute: false },
    rows: { state: true },
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
      .overdue {
        color: var(--kq-plan-overdue-color, var(--_danger));
        font-weight: 600;
      }
      tr.logged {
        background: var(--kq-plan-logged-background, var(--_surface-raised));
      }
      .tag {
        display: block;
        font-size: 0.9em;
      }
      .badge {
        display: inline-block;
        min-width: 2em;
        text-align: center;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }
      ul {
        margin: 0;
        padding-inline-start: 1.2em;
      }
      .outcomes {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space-1);
      }
      button[aria-pressed='true'] {
        background: var(--_primary);
        color: var(--_on-primary);
        border-color: var(--_primary);
      }
      .note {
        display: block;
        margin-top: var(--_space-1);
        color: var(--_text-muted);
      }
      .note.failed {
        color: var(--_danger);
      }
    `,
  ];

  /** The manager whose book the plan covers. */
  declare managerId: string | undefined;
  /** The day (`YYYY-MM-DD`); the server's as-of date when unset. */
  declare date: string | undefined;
  /** Most rows to load (1–200, default 50). */
  declare limit: number;
  /** The channel recorded with each outcome (default `phone`: the manager's call). */
  declare channel: ContactChannel;
  /** The plan (`books.contactPlan`'s answer); loaded when a client is present. */
  declare plan: ContactPlan | undefined;
  /** Records one outcome elsewhere instead of `books.recordContact`; see ContactRecorder. */
  declare recorder: ContactRecorder | undefined;
  declare protected rows: ReadonlyMap<string, RowState>;

  constructor() {
    super();
    this.managerId = undefined;
    this.date = undefined;
    this.limit = 50;
    this.channel = 'phone';
    this.plan = undefined;
    this.recorder = undefined;
    this.rows = new Map();
  }

  protected override loadKey(): string | undefined {
    if (this.managerId === undefined) return undefined;
    // The locale is part of the key: the server words the reasons in the language asked for.
    return `${this.managerId}|${this.date ?? ''}|${this.limit}|${this.locale}`;
  }

  protected override hasData(): boolean {
    return this.plan !== undefined;
  }

  protected override async load(client: KequnComponentClient): Promise<void> {
    const managerId = this.managerId ?? '';
    this.plan = await client.call('books.contactPlan', {
      params: { managerId },
      query: {
        limit: this.limit,
        locale: this.locale,
        ...(this.date === undefined ? {} : { date: this.date }),
      },
    });
    this.rows = new Map();
  }

  /** The recorded state of a customer's row: undefined until an outcome is chosen. */
  outcomeOf(customerId: string): ContactOutcome | undefined {
    const row = this.rows.get(customerId);
    return row?.kind === 'logged' ? row.outcome : undefined;
  }

  #setRow(customerId: string, state: RowState): void {
    this.rows = withRowState(this.rows, customerId, state);
  }

  /** Whether a click can record: a recorder, or a client to call `books.recordContact` with. */
  #canRecord(): boolean {
    return this.recorder !== undefined || this.activeClient !== undefined;
  }

  /**
   * Records through the recorder when one is set, else through the client. The server stamps the
   * contact itself (occurredAt left out), so a workstation clock running ahead is never refused as
   * a contact "in the future"; the instant it answers is the one reported.
   */
  async #record(
    managerId: string,
    item: ContactPlanItem,
    outcome: ContactOutcome,
  ): Promise<string> {
    const recorder = this.recorder;
    if (recorder !== undefined) {
      const occurredAt = new Date().toISOString();
      await recorder({
        managerId,
        customerId: item.customerId,
        outcome,
        channel: this.channel,
        occurredAt,
      });
      return occurredAt;
    }
    const client = this.activeClient;
    if (client === undefined) throw new Error('No client to record the contact with.');
    const channel = contactChannels.includes(this.channel) ? this.channel : 'phone';
    const recorded = await client.call('books.recordContact', {
      params: { managerId },
      body: { customerId: item.customerId, outcome, channel },
    });
    return recorded.occurredAt;
  }

  async #log(item: ContactPlanItem, outcome: ContactOutcome): Promise<void> {
    const managerId = this.plan?.managerId ?? this.managerId;
    if (!this.#canRecord() || managerId === undefined) return;
    this.#setRow(item.customerId, { kind: 'saving', outcome });
    let occurredAt: string;
    try {
      occurredAt = await this.#record(managerId, item, outcome);
    } catch (error) {
      const failure = failureOf(
        this.recorder === undefined ? 'books.recordContact' : 'contact-outcome',
        error,
      );
      this.#setRow(item.customerId, { kind: 'failed', outcome, failure });
      this.emit('kq-error', { ...failure });
      return;
    }
    this.#setRow(item.customerId, { kind: 'logged', outcome, occurredAt });
    this.emit('kq-contact-logged', { customerId: item.customerId, managerId, outcome, occurredAt });
  }

  #note(state: RowState | undefined) {
    if (state === undefined) return nothing;
    const outcome = this.text(messages, state.outcome);
    if (state.kind === 'saving')
      return html`<span class="note" part="row-status">${this.text(messages, 'saving')}</span>`;
    if (state.kind === 'logged')
      return html`<span class="note" part="row-status"
        >${this.text(messages, 'logged', { outcome })}</span
      >`;
    const message = state.failure.status === 403 ? this.common('forbidden') : state.failure.message;
    return html`<span class="note failed" part="row-status"
      >${this.text(messages, 'logFailed', { message })} <code>${state.failure.code}</code></span
    >`;
  }

  #row(item: ContactPlanItem) {
    const state = this.rows.get(item.customerId);
    const logged = state?.kind === 'logged';
    const parts = ['row', item.overdue ? 'row-overdue' : '', logged ? 'row-logged' : '']
      .filter((part) => part !== '')
      .join(' ');
    const disabled = !this.#canRecord() || state?.kind === 'saving';
    return html`<tr part=${parts} class=${logged ? 'logged' : ''} data-customer=${item.customerId}>
      <th scope="row">${item.name}</th>
      <td>
        <span class="badge" part="class-badge"
          >${this.text(messages, 'classValue', { class: item.classId.toUpperCase() })}</span
        >
      </td>
      <td class=${item.overdue ? 'overdue' : ''}>
        ${formatDate(this.locale, item.due)}
        ${item.overdue ? html`<span class="tag">${this.text(messages, 'overdue')}</span>` : nothing}
      </td>
      <td>
        <ul>
          ${item.reasons.map((reason) => html`<li>${reason}</li>`)}
        </ul>
      </td>
      <td>
        <div
          class="outcomes"
          role="group"
          aria-label=${this.text(messages, 'outcomeGroup', { name: item.name })}
        >
          ${contactOutcomes.map((outcome) => {
            const chosen =
              state !== undefined && state.outcome === outcome && state.kind !== 'failed';
            return html`<button
              type="button"
              part=${chosen ? 'outcome-button outcome-button-chosen' : 'outcome-button'}
              data-outcome=${outcome}
              aria-pressed=${chosen ? 'true' : 'false'}
              ?disabled=${disabled}
              @click=${() => this.#log(item, outcome)}
            >
              ${this.text(messages, outcome)}
            </button>`;
          })}
        </div>
        <div aria-live="polite">${this.#note(state)}</div>
      </td>
    </tr>`;
  }

  protected override render() {
    const plan = this.plan;
    return html`
      <h2 part="title">${this.text(messages, 'title')}</h2>
      ${this.renderStatus()} ${plan === undefined ? nothing : this.#plan(plan)}
    `;
  }

  #plan(plan: ContactPlan) {
    const overdue = plan.items.filter((item) => item.overdue).length;
    return html`<p class="summary" part="summary">
        ${this.text(messages, 'summary', {
          date: formatDate(this.locale, plan.date),
          due: formatCount(this.locale, plan.due),
          shown: formatCount(this.locale, plan.items.length),
          overdue: formatCount(this.locale, overdue),
        })}
      </p>
      ${
        !this.#canRecord()
          ? html`<p class="status" part="status">${this.text(messages, 'noRecorder')}</p>`
          : nothing
      }
      ${
        plan.items.length === 0
          ? html`<p class="status" part="status">${this.text(messages, 'empty')}</p>`
          : html`<table part="table">
              <thead>
                <tr>
                  <th scope="col">${this.text(messages, 'customer')}</th>
                  <th scope="col">${this.text(messages, 'class')}</th>
                  <th scope="col">${this.text(messages, 'due')}</th>
                  <th scope="col">${this.text(messages, 'reasons')}</th>
                  <th scope="col">${this.text(messages, 'outcome')}</th>
                </tr>
              </thead>
              <tbody>
                ${plan.items.map((item) => this.#row(item))}
              </tbody>
            </table>`
      }`;
  }
}
