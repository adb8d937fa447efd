// <kq-customer-card>: one customer's 360 view — tier and its history, featured groups, ABCD class,
// holdings and maturities, contact history, open tasks, and why the customer is in a segment.
import { css, html, nothing, type TemplateResult } from 'lit';
import type { ExplainedNode } from '@kequn/api';
import type { OutputOf } from '@kequn/client';
import { KequnElement, failureOf, withRoute } from '../foundation/base.js';
import { segmentCatalogue, type SegmentCatalogue } from '../foundation/catalogue.js';
import type { KequnComponentClient } from '../foundation/context.js';
import { formatCny, formatDate, formatMonth } from '../foundation/format.js';
import { tierLabel, type Catalogue } from '../foundation/messages.js';
import { hostStyles, tierColors } from '../foundation/styles.js';

export type Customer360 = OutputOf<'customers.get'>;
export type SegmentExplanation = OutputOf<'customers.explain'>;
type Handoff = OutputOf<'handoffs.list'>['items'][number];
type PlanItem = OutputOf<'books.contactPlan'>['items'][number];

const messages = {
  'zh-CN': {
    card: '客户视图',
    tier: '分层',
    aum: '当前资产',
    class: 'ABCD 分类',
    noClass: '未分类',
    groups: '所属客群（点击查看原因）',
    noGroups: '不属于任何客群',
    history: '分层变化',
    month: '月份',
    basis: '日均资产',
    holdings: '持有产品与到期',
    product: '产品',
    type: '类型',
    amount: '金额',
    maturity: '到期日',
    noMaturity: '无固定期限',
    contacts: '联系记录',
    date: '日期',
    channel: '渠道',
    outcome: '结果',
    tasks: '待办',
    noTasks: '暂无待办',
    tasksUnavailable: '无权查看待办',
    handoff: '提升移交（{from} → {to}），状态：{status}',
    contactDue: '联系计划：{date} 前联系{overdue}',
    overdue: '（已逾期）',
    explain: '为什么在这个客群',
    explainSegment: '解释 {segment}',
    member: '属于 {segment}',
    notMember: '不属于 {segment}',
    read: '读取值：{value}',
    yes: '满足',
    no: '不满足',
    unknown: '未知',
    all: '以下全部满足',
    any: '以下任一满足',
    not: '以下不成立',
    attributes: '依据的属性',
    doNotContact: '勿扰',
    none: '暂无',
  },
  en: {
    card: 'Customer view',
    tier: 'Tier',
    aum: 'Current AUM',
    class: 'ABCD class',
    noClass: 'Not classified',
    groups: 'Segments (choose one to see why)',
    noGroups: 'In no segment',
    history: 'Tier history',
    month: 'Month',
    basis: 'Average daily assets',
    holdings: 'Holdings and maturities',
    product: 'Product',
    type: 'Type',
    amount: 'Amount',
    maturity: 'Matures',
    noMaturity: 'Open-ended',
    contacts: 'Contact history',
    date: 'Date',
    channel: 'Channel',
    outcome: 'Outcome',
    tasks: 'Open tasks',
    noTasks: 'No open tasks',
    tasksUnavailable: 'You may not see tasks',
    handoff: 'Upgrade hand-off ({from} → {to}), status: {status}',
    contactDue: 'Contact plan: contact by {date}{overdue}',
    overdue: ' (overdue)',
    explain: 'Why in this segment',
    explainSegment: 'Explain {segment}',
    member: 'In {segment}',
    notMember: 'Not in {segment}',
    read: 'value read: {value}',
    yes: 'holds',
    no: 'fails',
    unknown: 'unknown',
    all: 'All of the following',
    any: 'Any of the following',
    not: 'Not the following',
    attributes: 'Attributes used',
    doNotContact: 'Do not contact',
    none: 'None',
  },
} as const satisfies Catalogue<string>;

const channelLabels: Readonly<Record<string, Readonly<Record<'zh-CN' | 'en', string>>>> = {
  phone: { 'zh-CN': '电话', en: 'Phone' },
  sms: { 'zh-CN': '短信', en: 'SMS' },
  wecom: { 'zh-CN': '企业微信', en: 'WeCom' },
  wechat: { 'zh-CN': '微信', en: 'WeChat' },
  email: { 'zh-CN': '邮件', en: 'Email' },
  branch: { 'zh-CN': '网点', en: 'Branch' },
  app: { 'zh-CN': '手机银行', en: 'Mobile banking' },
  reached: { 'zh-CN': '已接通', en: 'Reached' },
  no_answer: { 'zh-CN': '未接通', en: 'No answer' },
  declined: { 'zh-CN': '拒绝', en: 'Declined' },
  interested: { 'zh-CN': '有意向', en: 'Interested' },
  sold: { 'zh-CN': '成交', en: 'Sold' },
  opted_out: { 'zh-CN': '退订', en: 'Opted out' },
};

const OPEN_HANDOFF = new Set(['opened', 'filed', 'awaiting_first_contact']);

/** A condition's operand as text: numbers, dates, lists and relative periods. */
function operandText(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map(operandText).join(', ');
  if (typeof value === 'object' && value !== null) {
    const period = value as { days?: number; months?: number };
    if (typeof period.days === 'number') return `${period.days}d`;
    if (typeof period.months === 'number') return `${period.months}m`;
    return JSON.stringify(value);
  }
  return String(value);
}

/**
 * The 360 view of one customer (masked identifiers as the server sends them). Loads
 * `customers.get`, the segment catalogue for labels, open hand-offs and the manager's contact plan
 * (each shown only when the caller may see it), and `customers.explain` for the chosen segment.
 *
 * @summary A customer's 360 view with "why in this segment".
 * @csspart header - Name, id, tier, class and AUM.
 * @csspart tier-badge - The current tier.
 * @csspart section - Each section (groups, history, holdings, contacts, tasks, explain).
 * @csspart explain-button - The buttons that explain a segment.
 * @csspart explanation - The explained rule tree.
 * @csspart status - Loading and "not connected" messages.
 * @csspart error - The error line with its retry button.
 * @cssprop --kq-card-max-width - Widest the card grows (default 720px).
 * @cssprop --kq-card-holds-color - Mark of a rule node that holds (falls back to --kq-color-success).
 * @cssprop --kq-card-fails-color - Mark of a rule node that fails (falls back to --kq-color-danger).
 * @event kq-error - A call failed; detail `{ routeId, code, status, message }`.
 */
export class KqCustomerCard extends KequnElement {
  static override properties = {
    customerId: { type: String, attribute: 'customer-id', reflect: true },
    explainSegment: { type: String, attribute: 'explain-segment' },
    customer: { attribute: false },
    explanation: { state: true },
    catalogue: { state: true },
    handoffs: { state: true },
    planItems: { state: true },
  };

  static override styles = [
    hostStyles,
    css`
      :host {
        max-width: var(--kq-card-max-width, 720px);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space-3);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space-3);
        align-items: baseline;
      }
      h2 {
        margin: 0;
        font-size: 1.25em;
      }
      .badge {
        color: #fff;
        border-radius: 999px;
        padding: 0 var(--_space-2);
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space-2);
        padding: 0;
        margin: 0;
        list-style: none;
      }
      .muted {
        color: var(--_text-muted);
      }
      .holds {
        color: var(--kq-card-holds-color, var(--_success));
      }
      .fails {
        color: var(--kq-card-fails-color, var(--_danger));
      }
      .explanation ul {
        padding-inline-start: 1.25em;
        margin: 0;
      }
      table {
        width: 100%;
      }
      .number {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  declare customerId: string | undefined;
  /** The segment (`strategy:segment`) to explain when the card opens. */
  declare explainSegment: string | undefined;
  /** The 360 view; set it to render without a client. */
  declare customer: Customer360 | undefined;
  declare protected explanation: SegmentExplanation | undefined;
  declare protected catalogue: SegmentCatalogue | undefined;
  declare protected handoffs: readonly Handoff[] | undefined;
  declare protected planItems: readonly PlanItem[] | undefined;

  #explainAbort: AbortController | undefined;

  constructor() {
    super();
    this.customerId = undefined;
    this.explainSegment = undefined;
    this.customer = undefined;
    this.explanation = undefined;
    this.catalogue = undefined;
    this.handoffs = undefined;
    this.planItems = undefined;
  }

  protected override loadKey(): string | undefined {
    return this.customerId === undefined || this.customerId === '' ? undefined : this.customerId;
  }

  protected override hasData(): boolean {
    return this.customer !== undefined;
  }

  protected override async load(client: KequnComponentClient, signal: AbortSignal): Promise<void> {
    const customerId = this.customerId ?? '';
    this.explanation = undefined;
    const [customer, catalogue] = await Promise.all([
      withRoute('customers.get', client.call('customers.get', { params: { customerId } })),
      segmentCatalogue(client).catch(() => undefined),
    ]);
    if (signal.aborted) return;
    this.customer = customer;
    this.catalogue = catalogue;
    const [handoffs, plan] = await Promise.all([
      client.call('handoffs.list').then(
        (answer) => answer.items,
        () => undefined,
      ),
      customer.relationshipManagerId === null
        ? Promise.resolve(undefined)
        : client
            .call('books.contactPlan', {
              params: { managerId: customer.relationshipManagerId },
              query: { limit: 200 },
            })
            .then(
              (answer) => answer.items,
              () => undefined,
            ),
    ]);
    if (signal.aborted) return;
    this.handoffs = handoffs?.filter(
      (item) => item.customerId === customerId && OPEN_HANDOFF.has(item.status),
    );
    this.planItems = plan?.filter((item) => item.customerId === customerId);
    if (this.explainSegment) void this.explain(this.explainSegment);
  }

  /** Asks the server why the customer is (or is not) in `segment` and shows the answer. */
  async explain(segment: string): Promise<void> {
    const client = this.activeClient;
    if (client === undefined || !this.customerId) return;
    this.#explainAbort?.abort();
    const abort = new AbortController();
    this.#explainAbort = abort;
    try {
      const answer = await client.call('customers.explain', {
        params: { customerId: this.customerId },
        query: { segment },
      });
      if (!abort.signal.aborted) this.explanation = answer;
    } catch (error) {
      if (!abort.signal.aborted) this.reportFailure(failureOf('customers.explain', error));
    }
  }

  #segmentLabel(ref: string): string {
    for (const strategy of this.catalogue?.strategies ?? []) {
      const found = strategy.segments.find((segment) => segment.ref === ref);
      if (found !== undefined) return found.label[this.locale];
    }
    return ref.slice(ref.indexOf(':') + 1);
  }

  #label(value: string): string {
    return channelLabels[value]?.[this.locale] ?? value;
  }

  #section(title: string, body: TemplateResult | string, id: string): TemplateResult {
    return html`<section part="section" aria-labelledby=${`${id}-title`} data-section=${id}>
      <h3 id=${`${id}-title`}>${title}</h3>
      ${body}
    </section>`;
  }

  #chips(refs: readonly string[], empty: string): TemplateResult {
    if (refs.length === 0) return html`<p class="muted">${empty}</p>`;
    return html`<ul class="chips">
      ${refs.map(
        (ref) =>
          html`<li>
            <button
              type="button"
              part="explain-button"
              data-segment=${ref}
              aria-label=${this.text(messages, 'explainSegment', { segment: this.#segmentLabel(ref) })}
              @click=${() => this.explain(ref)}
            >
              ${this.#segmentLabel(ref)}
            </button>
          </li>`,
      )}
    </ul>`;
  }

  #history(customer: Customer360): TemplateResult {
    if (customer.tier.history.length === 0)
      return html`<p class="muted">${this.text(messages, 'none')}</p>`;
    return html`<table>
      <thead>
        <tr>
          <th scope="col">${this.text(messages, 'month')}</th>
          <th scope="col">${this.text(messages, 'tier')}</th>
          <th scope="col" class="number">${this.text(messages, 'basis')}</th>
        </tr>
      </thead>
      <tbody>
        ${customer.tier.history.map(
          (point) =>
            html`<tr>
              <td>${formatMonth(this.locale, point.month)}</td>
              <td>${tierLabel(this.locale, point.tier)}</td>
              <td class="number">${formatCny(this.locale, point.basis)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  #holdings(customer: Customer360): TemplateResult {
    if (customer.holdings.length === 0)
      return html`<p class="muted">${this.text(messages, 'none')}</p>`;
    // Nearest maturity first: the re-marketing conversation (产品到期再营销) starts there.
    const holdings = [...customer.holdings].sort((a, b) =>
      (a.maturityDate ?? '9999').localeCompare(b.maturityDate ?? '9999'),
    );
    return html`<table>
      <thead>
        <tr>
          <th scope="col">${this.text(messages, 'product')}</th>
          <th scope="col">${this.text(messages, 'type')}</th>
          <th scope="col" class="number">${this.text(messages, 'amount')}</th>
          <th scope="col">${this.text(messages, 'maturity')}</th>
        </tr>
      </thead>
      <tbody>
        ${holdings.map(
          (holding) =>
            html`<tr>
              <td>${holding.productId}</td>
              <td>${holding.productType}</td>
              <td class="number">${formatCny(this.locale, holding.amount)}</td>
              <td>
                ${
                  holding.maturityDate === null
                    ? this.text(messages, 'noMaturity')
                    : formatDate(this.locale, holding.maturityDate)
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  #contacts(customer: Customer360): TemplateResult {
    if (customer.contacts.length === 0)
      return html`<p class="muted">${this.text(messages, 'none')}</p>`;
    const contacts = [...customer.contacts].sort((a, b) =>
      b.occurredAt.localeCompare(a.occurredAt),
    );
    return html`<table>
      <thead>
        <tr>
          <th scope="col">${this.text(messages, 'date')}</th>
          <th scope="col">${this.text(messages, 'channel')}</th>
          <th scope="col">${this.text(messages, 'outcome')}</th>
        </tr>
      </thead>
      <tbody>
        ${contacts.map(
          (contact) =>
            html`<tr>
              <td>${formatDate(this.locale, contact.occurredAt)}</td>
              <td>${this.#label(contact.channel)}</td>
              <td>${this.#label(contact.outcome)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  #tasks(): TemplateResult {
    if (this.handoffs === undefined && this.planItems === undefined) {
      return html`<p class="muted">${this.text(messages, 'tasksUnavailable')}</p>`;
    }
    const handoffs = this.handoffs ?? [];
    const plan = this.planItems ?? [];
    if (handoffs.length === 0 && plan.length === 0) {
      return html`<p class="muted">${this.text(messages, 'noTasks')}</p>`;
    }
    return html`<ul>
      ${handoffs.map(
        (handoff) =>
          html`<li data-task="handoff">
            ${this.text(messages, 'handoff', {
              from: tierLabel(this.locale, handoff.fromTier),
              to: tierLabel(this.locale, handoff.toTier),
              status: handoff.status,
            })}
          </li>`,
      )}
      ${plan.map(
        (item) =>
          html`<li data-task="contact">
            ${this.text(messages, 'contactDue', {
              date: formatDate(this.locale, item.due),
              overdue: item.overdue ? this.text(messages, 'overdue') : '',
            })}
            ${item.reasons.length === 0 ? nothing : html`<span class="muted"> · ${item.reasons.join('；')}</span>`}
          </li>`,
      )}
    </ul>`;
  }

  #node(node: ExplainedNode): TemplateResult {
    const rule = (node.rule ?? {}) as Record<string, unknown>;
    const mark =
      node.value === true
        ? html`<span class="holds" aria-hidden="true">✓</span
            ><span class="visually-hidden">${this.text(messages, 'yes')}</span>`
        : node.value === false
          ? html`<span class="fails" aria-hidden="true">✗</span
              ><span class="visually-hidden">${this.text(messages, 'no')}</span>`
          : html`<span class="muted" aria-hidden="true">?</span
              ><span class="visually-hidden">${this.text(messages, 'unknown')}</span>`;
    let description: string;
    if ('all' in rule) description = this.text(messages, 'all');
    else if ('any' in rule) description = this.text(messages, 'any');
    else if ('not' in rule) description = this.text(messages, 'not');
    else if ('attribute' in rule)
      description = `${String(rule['attribute'])} ${String(rule['op'])} ${operandText(rule['value'])}`;
    else if ('segment' in rule) description = this.#segmentLabel(String(rule['segment']));
    else description = JSON.stringify(rule);
    return html`<li data-path=${node.path}>
      ${mark} ${description}
      ${
        node.read === undefined
          ? nothing
          : html`<span class="muted">
              (${this.text(messages, 'read', { value: operandText(node.read.value) })})</span
            >`
      }
      ${
        node.children.length === 0
          ? nothing
          : html`<ul>
              ${node.children.map((child) => this.#node(child))}
            </ul>`
      }
    </li>`;
  }

  #explanation(): TemplateResult | typeof nothing {
    const answer = this.explanation;
    if (answer === undefined) return nothing;
    const segment = this.#segmentLabel(answer.segment);
    const attributes = Object.entries(answer.attributes);
    return this.#section(
      this.text(messages, 'explain'),
      html`<div class="explanation" part="explanation" aria-live="polite">
        <p class=${answer.member ? 'holds' : 'fails'} data-member=${String(answer.member)}>
          ${this.text(messages, answer.member ? 'member' : 'notMember', { segment })}
        </p>
        ${
          answer.explanation === null
            ? nothing
            : html`<ul>
                ${this.#node(answer.explanation)}
              </ul>`
        }
        ${
          attributes.length === 0
            ? nothing
            : html`<h4>${this.text(messages, 'attributes')}</h4>
                <ul>
                  ${attributes.map(([name, value]) => html`<li>${name}: ${operandText(value)}</li>`)}
                </ul>`
        }
      </div>`,
      'explain',
    );
  }

  protected override render() {
    const customer = this.customer;
    if (customer === undefined) return html`${this.renderStatus()}`;
    const abcd = customer.segments.filter((ref) => ref.startsWith('abcd:'));
    const groups = customer.segments.filter((ref) => ref.startsWith('featured-groups:'));
    const others = customer.segments.filter(
      (ref) => !ref.startsWith('abcd:') && !ref.startsWith('featured-groups:'),
    );
    const tier = customer.tier.current;
    return html`
      <article aria-label=${this.text(messages, 'card')}>
        <header part="header">
          <h2>${customer.profile.name}</h2>
          <span class="muted">${customer.id} · ${customer.profile.phone}</span>
          <span
            class="badge"
            part="tier-badge"
            style=${`background: ${tierColors[tier ?? ''] ?? 'var(--_text-muted)'}`}
            >${this.text(messages, 'tier')}: ${tierLabel(this.locale, tier)}</span
          >
          <span
            >${this.text(messages, 'class')}:
            ${abcd.length === 0 ? this.text(messages, 'noClass') : abcd.map((ref) => this.#segmentLabel(ref)).join(', ')}</span
          >
          <span
            >${this.text(messages, 'aum')}:
            ${formatCny(this.locale, customer.assets.currentAum)}</span
          >
          ${customer.doNotContact ? html`<strong>${this.text(messages, 'doNotContact')}</strong>` : nothing}
        </header>
        ${this.renderStatus()}
        ${this.#section(this.text(messages, 'groups'), this.#chips([...groups, ...abcd, ...others], this.text(messages, 'noGroups')), 'groups')}
        ${this.#explanation()}
        ${this.#section(this.text(messages, 'history'), this.#history(customer), 'history')}
        ${this.#section(this.text(messages, 'holdings'), this.#holdings(customer), 'holdings')}
        ${this.#section(this.text(messages, 'contacts'), this.#contacts(customer), 'contacts')}
        ${this.#section(this.text(messages, 'tasks'), this.#tasks(), 'tasks')}
      </article>
    `;
  }
}
