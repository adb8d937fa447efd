// <kq-campaign-board>: campaigns laid out by the 5×5 method's stages (服务方案, 精准分发, 客户触达,
// 营销实施, 跟踪回检) and, within a stage, by life-cycle status, with the approval actions the
// campaign's status allows. The server decides: four eyes and permissions come back as 403s.
import { css, html, nothing } from 'lit';
import type { InputOf, OutputOf } from '@kequn/client';
import { KequnElement, failureOf, withRoute, type LoadFailure } from '../foundation/base.js';
import type { KequnComponentClient } from '../foundation/context.js';
import { formatCount, formatDate } from '../foundation/format.js';
import type { Catalogue } from '../foundation/messages.js';
import { focusAfterUpdate, withRowState } from '../foundation/row-state.js';
import { hostStyles } from '../foundation/styles.js';

export type CampaignView = OutputOf<'campaigns.get'>;
type CampaignStatus = CampaignView['status'];
type CampaignStage = CampaignView['stage'];
type CampaignTypes = OutputOf<'campaigns.types'>['types'];
/** The actions the board offers (complete and cancel stay with the campaign's own screen). */
export type BoardCampaignAction = 'submit' | 'approve' | 'reject' | 'start' | 'pause' | 'resume';
export type CampaignStatusFilter = NonNullable<
  NonNullable<InputOf<'campaigns.list'>['query']>['status']
>;

const stages: readonly CampaignStage[] = ['plan', 'distribution', 'reach', 'execution', 'review'];
const statuses: readonly CampaignStatus[] = [
  'draft',
  'pending_approval',
  'approved',
  'running',
  'paused',
  'completed',
  'cancelled',
];

/** What the board offers for a status, as the campaign engine's transitions allow. */
export function campaignActionsFor(status: string): BoardCampaignAction[] {
  switch (status) {
    case 'draft':
      return ['submit'];
    case 'pending_approval':
      return ['approve', 'reject'];
    case 'approved':
      return ['start'];
    case 'running':
      return ['pause'];
    case 'paused':
      return ['resume'];
    default:
      return [];
  }
}

const messages = {
  'zh-CN': {
    title: '营销活动看板',
    summary: '共 {count} 个活动',
    plan: '服务方案',
    distribution: '精准分发',
    reach: '客户触达',
    execution: '营销实施',
    review: '跟踪回检',
    stageCount: '{stage}（{count}）',
    draft: '草稿',
    pending_approval: '待审批',
    approved: '已批准',
    running: '进行中',
    paused: '已暂停',
    completed: '已完成',
    cancelled: '已取消',
    submit: '提交审批',
    approve: '批准',
    reject: '驳回',
    start: '启动',
    pause: '暂停',
    resume: '恢复',
    actionFor: '{action}：{name}',
    open: '查看 {name} 的效果',
    priority: '优先级 {priority}',
    dates: '{from} 至 {to}',
    headOffice: '总行活动',
    branch: '机构 {branch}',
    reason: '驳回原因',
    reasonMissing: '请填写驳回原因',
    confirm: '确认驳回',
    cancel: '取消',
    working: '正在提交…',
    done: '{action}成功，当前状态：{status}',
    failed: '操作未成功：{message}',
    forbidden: '无权执行此操作',
    fourEyes: '活动创建人不能审批自己的活动，请由另一位审批人批准',
    empty: '暂无活动',
    none: '—',
  },
  en: {
    title: 'Campaign board',
    summary: '{count} campaigns',
    plan: 'Service plan',
    distribution: 'Distribution',
    reach: 'Reach',
    execution: 'Execution',
    review: 'Review',
    stageCount: '{stage} ({count})',
    draft: 'Draft',
    pending_approval: 'Awaiting approval',
    approved: 'Approved',
    running: 'Running',
    paused: 'Paused',
    completed: 'Completed',
    cancelled: 'Cancelled',
    submit: 'Submit',
    approve: 'Approve',
    reject: 'Reject',
    start: 'Start',
    pause: 'Pause',
    resume: 'Resume',
    actionFor: '{action}: {name}',
    open: 'Open the results of {name}',
    priority: 'Priority {priority}',
    dates: '{from} to {to}',
    headOffice: 'Head office',
    branch: 'Branch {branch}',
    reason: 'Reason for rejecting',
    reasonMissing: 'Give a reason for rejecting',
    confirm: 'Reject',
    cancel: 'Cancel',
    working: 'Sending…',
    done: '{action} done; now {status}',
    failed: 'Not done: {message}',
    forbidden: 'You may not do this',
    fourEyes: 'The creator of a campaign cannot approve it; another approver must',
    empty: 'No campaigns',
    none: '—',
  },
} as const satisfies Catalogue<string>;

type CardState =
  | { kind: 'rejecting'; note: string; invalid: boolean }
  | { kind: 'working' }
  | { kind: 'done'; action: BoardCampaignAction }
  | { kind: 'failed'; failure: LoadFailure };

/**
 * The campaign board from `campaigns.list` (type names from `campaigns.types`): one column per 5×5
 * stage, campaigns grouped by status inside it. Actions call `campaigns.act`; on success the
 * campaign moves to the stage and status the server answers and `kq-campaign-action` is emitted,
 * on failure the card says why (a 403 for four eyes or a missing permission). Renders the
 * `campaigns` property when it has no client.
 *
 * @summary Campaigns by 5×5 stage and life-cycle status, with approval actions.
 * @csspart title - The heading.
 * @csspart summary - The campaign count.
 * @csspart board - The row of stage columns.
 * @csspart stage - One stage column (`data-stage` names it).
 * @csspart campaign - One campaign card (`data-campaign` names it).
 * @csspart status-badge - The campaign's status.
 * @csspart open-button - The campaign name; emits `kq-campaign-select`.
 * @csspart action-button - Each life-cycle action.
 * @csspart reason-form - The reject form with its reason field.
 * @csspart card-status - The outcome or failure note of a card.
 * @csspart status - Loading and "not connected" messages.
 * @csspart error - The error line with its retry button.
 * @cssprop --kq-board-column-min-width - Narrowest stage column (default 200px).
 * @cssprop --kq-board-card-background - Campaign card background (falls back to --kq-color-surface-raised).
 * @event kq-campaign-action - An action succeeded; detail `{ campaignId, action, status, stage }`.
 * @event kq-campaign-select - A campaign was opened; detail `{ campaignId }`.
 * @event kq-error - A call failed; detail `{ routeId, code, status, message }`.
 */
export class KqCampaignBoard extends KequnElement {
  static override properties = {
    statusFilter: { type: String, reflect: true, attribute: 'status-filter' },
    campaigns: { attribute: false },
    types: { attribute: false },
    cards: { state: true },
  };

  static override styles = [
    hostStyles,
    css`
      .summary {
        color: var(--_text-muted);
        margin: 0 0 var(--_space-2);
      }
      .board {
        display: grid;
        grid-template-columns: repeat(5, minmax(var(--kq-board-column-min-width, 200px), 1fr));
        gap: var(--_space-2);
        overflow-x: auto;
      }
      .stage {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space-2);
        min-width: 0;
      }
      h4 {
        margin: var(--_space-2) 0 var(--_space-1);
        font-size: 0.95em;
        color: var(--_text-muted);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--_space-2);
      }
      .card {
        background: var(--kq-board-card-background, var(--_surface-raised));
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space-2);
        color: var(--_text);
      }
      .open {
        background: none;
        border: 0;
        padding: 0;
        font-weight: 600;
        text-align: start;
        text-decoration: underline;
        color: var(--_text);
      }
      .meta {
        color: var(--_text-muted);
        font-size: 0.9em;
        margin: var(--_space-1) 0;
      }
      .badge {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 0 var(--_space-1);
        font-size: 0.9em;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space-1);
      }
      form {
        display: grid;
        gap: var(--_space-1);
      }
      .failed,
      .invalid {
        color: var(--_danger);
      }
    `,
  ];

  /** Only campaigns in this status; every status when unset. */
  declare statusFilter: CampaignStatusFilter | undefined;
  /** The campaigns (`campaigns.list`'s items); loaded when a client is present. */
  declare campaigns: readonly CampaignView[] | undefined;
  /** Campaign types with their names (`campaigns.types`), for the type line of each card. */
  declare types: CampaignTypes;
  declare protected cards: ReadonlyMap<string, CardState>;

  constructor() {
    super();
    this.statusFilter = undefined;
    this.campaigns = undefined;
    this.types = [];
    this.cards = new Map();
  }

  protected override loadKey(): string | undefined {
    return `campaigns|${this.statusFilter ?? ''}`;
  }

  protected override hasData(): boolean {
    return this.campaigns !== undefined;
  }

  protected override async load(client: KequnComponentClient): Promise<void> {
    const status = this.statusFilter;
    const [list, types] = await Promise.all([
      withRoute(
        'campaigns.list',
        client.call('campaigns.list', { query: status === undefined ? {} : { status } }),
      ),
      withRoute('campaigns.types', client.call('campaigns.types')),
    ]);
    this.campaigns = list.items;
    this.types = types.types;
    this.cards = new Map();
  }

  /** The campaigns of one stage, in status order, then by priority (highest first). */
  campaignsIn(stage: string): CampaignView[] {
    return (this.campaigns ?? [])
      .filter((campaign) => campaign.stage === stage)
      .sort(
        (a, b) =>
          statuses.indexOf(a.status) - statuses.indexOf(b.status) ||
          b.priority - a.priority ||
          a.id.localeCompare(b.id),
      );
  }

  #setCard(campaignId: string, state: CardState | undefined): void {
    this.cards = withRowState(this.cards, campaignId, state);
  }

  #focusCard(campaignId: string, selector: string): void {
    void focusAfterUpdate(this, `[data-campaign="${CSS.escape(campaignId)}"] ${selector}`);
  }

  async #act(campaign: CampaignView, action: BoardCampaignAction, note?: string): Promise<void> {
    const client = this.activeClient;
    if (client === undefined) return;
    this.#setCard(campaign.id, { kind: 'working' });
    let updated: CampaignView;
    try {
      updated = await client.call('campaigns.act', {
        params: { campaignId: campaign.id },
        body: { action, ...(note === undefined ? {} : { note }) },
      });
    } catch (error) {
      const failure = failureOf('campaigns.act', error);
      this.#setCard(campaign.id, { kind: 'failed', failure });
      this.emit('kq-error', { ...failure });
      this.#focusCard(campaign.id, '[part~="card-status"]');
      return;
    }
    this.campaigns = (this.campaigns ?? []).map((each) =>
      each.id === updated.id ? updated : each,
    );
    this.#setCard(campaign.id, { kind: 'done', action });
    this.emit('kq-campaign-action', {
      campaignId: updated.id,
      action,
      status: updated.status,
      stage: updated.stage,
    });
    // The card may have moved to another column: keep the keyboard on it.
    this.#focusCard(campaign.id, '[part~="card-status"]');
  }

  #submitReject(event: SubmitEvent, campaign: CampaignView): void {
    event.preventDefault();
    const state = this.cards.get(campaign.id);
    if (state?.kind !== 'rejecting') return;
    const note = state.note.trim();
    if (note === '') {
      this.#setCard(campaign.id, { ...state, invalid: true });
      this.#focusCard(campaign.id, 'textarea');
      return;
    }
    void this.#act(campaign, 'reject', note);
  }

  #rejectForm(campaign: CampaignView, state: Extract<CardState, { kind: 'rejecting' }>) {
    const id = `note-${campaign.id}`;
    // novalidate: the element's own message (localized, tied to the field) replaces the browser's.
    return html`<form
      part="reason-form"
      novalidate
      @submit=${(event: SubmitEvent) => this.#submitReject(event, campaign)}
      @keydown=${(event: KeyboardEvent) => {
        if (event.key !== 'Escape') return;
        this.#setCard(campaign.id, undefined);
        this.#focusCard(campaign.id, '[data-action="reject"]');
      }}
    >
      <label for=${id}>${this.text(messages, 'reason')}</label>
      <textarea
        id=${id}
        rows="2"
        required
        aria-invalid=${state.invalid ? 'true' : 'false'}
        aria-describedby=${state.invalid ? `${id}-issue` : nothing}
        .value=${state.note}
        @input=${(event: InputEvent) =>
          this.#setCard(campaign.id, {
            kind: 'rejecting',
            note: (event.target as HTMLTextAreaElement).value,
            invalid: false,
          })}
      ></textarea>
      ${
        state.invalid
          ? html`<span id=${`${id}-issue`} class="invalid"
              >${this.text(messages, 'reasonMissing')}</span
            >`
          : nothing
      }
      <div class="actions">
        <button type="submit" class="primary">${this.text(messages, 'confirm')}</button>
        <button
          type="button"
          @click=${() => {
            this.#setCard(campaign.id, undefined);
            this.#focusCard(campaign.id, '[data-action="reject"]');
          }}
        >
          ${this.text(messages, 'cancel')}
        </button>
      </div>
    </form>`;
  }

  #note(state: CardState | undefined) {
    if (state === undefined || state.kind === 'rejecting') return nothing;
    if (state.kind === 'working')
      return html`<p part="card-status" tabindex="-1">${this.text(messages, 'working')}</p>`;
    if (state.kind === 'done') return nothing;
    const failure = state.failure;
    const message =
      failure.code === 'KQ_CAMPAIGN_APPROVER'
        ? this.text(messages, 'fourEyes')
        : failure.status === 403
          ? this.text(messages, 'forbidden')
          : failure.message;
    return html`<p class="failed" part="card-status" tabindex="-1" role="alert">
      ${this.text(messages, 'failed', { message })} <code>${failure.code}</code>
    </p>`;
  }

  #doneNote(campaign: CampaignView, state: CardState | undefined) {
    if (state?.kind !== 'done') return nothing;
    return html`<p part="card-status" tabindex="-1">
      ${this.text(messages, 'done', {
        action: this.text(messages, state.action),
        status: this.text(messages, campaign.status),
      })}
    </p>`;
  }

  #card(campaign: CampaignView) {
    const name = campaign.name[this.locale];
    const state = this.cards.get(campaign.id);
    const type =
      this.types.find((each) => each.id === campaign.type)?.label[this.locale] ?? campaign.type;
    const busy = state?.kind === 'working';
    const dates =
      campaign.startsOn === undefined
        ? nothing
        : html` ·
          ${this.text(messages, 'dates', {
            from: formatDate(this.locale, campaign.startsOn),
            to: campaign.endsOn === undefined ? '…' : formatDate(this.locale, campaign.endsOn),
          })}`;
    return html`<li
      class="card"
      part="campaign"
      data-campaign=${campaign.id}
      data-status=${campaign.status}
    >
      <button
        type="button"
        class="open"
        part="open-button"
        aria-label=${this.text(messages, 'open', { name })}
        @click=${() => this.emit('kq-campaign-select', { campaignId: campaign.id })}
      >
        ${name}
      </button>
      <p class="meta">
        ${type} · ${this.text(messages, 'priority', { priority: campaign.priority })} ·
        ${
          campaign.branchId === undefined
            ? this.text(messages, 'headOffice')
            : this.text(messages, 'branch', { branch: campaign.branchId })
        }${dates}
      </p>
      <span class="badge" part="status-badge">${this.text(messages, campaign.status)}</span>
      <div aria-live="polite">${this.#doneNote(campaign, state)}</div>
      ${
        state?.kind === 'rejecting'
          ? this.#rejectForm(campaign, state)
          : html`<div class="actions">
              ${campaignActionsFor(campaign.status).map(
                (action) =>
                  html`<button
                    type="button"
                    part="action-button"
                    class=${action === 'approve' || action === 'start' ? 'primary' : ''}
                    data-action=${action}
                    aria-label=${this.text(messages, 'actionFor', { action: this.text(messages, action), name })}
                    ?disabled=${busy}
                    @click=${() => {
                      if (action !== 'reject') {
                        void this.#act(campaign, action);
                        return;
                      }
                      this.#setCard(campaign.id, { kind: 'rejecting', note: '', invalid: false });
                      this.#focusCard(campaign.id, 'textarea');
                    }}
                  >
                    ${this.text(messages, action)}
                  </button>`,
              )}
            </div>`
      }
      ${this.#note(state)}
    </li>`;
  }

  #stage(stage: CampaignStage) {
    const inStage = this.campaignsIn(stage);
    const id = `stage-${stage}`;
    const groups = statuses.filter((status) =>
      inStage.some((campaign) => campaign.status === status),
    );
    return html`<section class="stage" part="stage" data-stage=${stage} aria-labelledby=${id}>
      <h3 id=${id}>
        ${this.text(messages, 'stageCount', {
          stage: this.text(messages, stage),
          count: formatCount(this.locale, inStage.length),
        })}
      </h3>
      ${groups.map(
        (status) =>
          html`<h4>${this.text(messages, status)}</h4>
            <ul>
              ${inStage.filter((campaign) => campaign.status === status).map((campaign) => this.#card(campaign))}
            </ul>`,
      )}
    </section>`;
  }

  protected override render() {
    const campaigns = this.campaigns;
    return html`
      <h2 part="title">${this.text(messages, 'title')}</h2>
      ${this.renderStatus()}
      ${
        campaigns === undefined
          ? nothing
          : html`<p class="summary" part="summary">
                ${this.text(messages, 'summary', { count: formatCount(this.locale, campaigns.length) })}
              </p>
              ${
                campaigns.length === 0
                  ? html`<p class="status" part="status">${this.text(messages, 'empty')}</p>`
                  : html`<div class="board" part="board">
                      ${stages.map((stage) => this.#stage(stage))}
                    </div>`
              }`
      }
    `;
  }
}
