// <kq-segment-builder>: build a segment rule — nested groups, operators typed by the attribute,
// relative dates, behavioural conditions — with the server's live size per sub-rule, validation
// messages and a JSON view. Form-associated: inside a <form> it submits the rule as JSON.
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { KequnElement, failureOf } from '../foundation/base.js';
import type { KequnComponentClient } from '../foundation/context.js';
import { formatCount } from '../foundation/format.js';
import type { Catalogue } from '../foundation/messages.js';
import { hostStyles } from '../foundation/styles.js';
import {
  emptyGroup,
  eventComparisons,
  eventMeasures,
  eventTypes,
  leafCount,
  listOperators,
  localIssues,
  newKey,
  nodeForPath,
  nodeOf,
  operatorsByKind,
  pathsOf,
  periodOperators,
  ruleOf,
  valuelessOperators,
  type AttributeDescription,
  type BuilderNode,
  type ConditionNode,
  type EventsNode,
  type GroupNode,
  type LocalIssue,
  type NoEventsNode,
  type Period,
} from './segment-rule.js';

const messages = {
  'zh-CN': {
    builder: '客群规则',
    group: '条件组',
    all: '全部满足',
    any: '任一满足',
    negate: '取反',
    mode: '组合方式',
    addCondition: '添加条件',
    addEvents: '添加行为条件',
    addNoEvents: '添加“未发生”条件',
    addGroup: '添加条件组',
    remove: '删除',
    attribute: '属性',
    chooseAttribute: '请选择属性',
    operator: '运算符',
    value: '取值',
    low: '下限',
    high: '上限',
    amount: '数量',
    unit: '单位',
    days: '天',
    months: '个月',
    eventType: '行为',
    measure: '统计',
    within: '最近',
    noEventsPrefix: '未发生，最近',
    size: '{count} 人',
    total: '共 {count} 位客户',
    previewUnavailable: '规模预览需要全行数据权限',
    showJson: '查看 JSON',
    hideJson: '隐藏 JSON',
    json: '规则 JSON',
    raw: '其他规则（仅在 JSON 中编辑）',
    required: '请至少添加一个条件',
    attributeMissing: '请选择属性',
    attributeUnknown: '属性目录中没有该属性',
    operatorNotAllowed: '该属性类型不支持此运算符',
    valueMissing: '请填写取值',
    rangeReversed: '下限不能大于上限',
    periodInvalid: '时间窗口须为正整数',
    groupEmpty: '条件组为空',
    yes: '是',
    no: '否',
    listHint: '多个值用逗号分隔',
    'op.eq': '等于',
    'op.ne': '不等于',
    'op.lt': '小于',
    'op.lte': '小于等于',
    'op.gt': '大于',
    'op.gte': '大于等于',
    'op.between': '介于',
    'op.in': '属于',
    'op.notIn': '不属于',
    'op.startsWith': '开头是',
    'op.contains': '包含',
    'op.containsAny': '包含任一',
    'op.containsAll': '包含全部',
    'op.isEmpty': '为空',
    'op.isNull': '未知',
    'op.isNotNull': '已知',
    'op.withinLast': '在最近',
    'op.withinNext': '在未来',
    'op.anniversaryWithin': '周年日在未来',
    'event.transaction': '交易',
    'event.login': '登录',
    'event.contact': '联系',
    'event.purchase': '购买',
    'event.maturity': '产品到期',
    'measure.count': '次数',
    'measure.sum': '金额合计',
    'measure.avg': '平均金额',
  },
  en: {
    builder: 'Segment rule',
    group: 'Group',
    all: 'All of',
    any: 'Any of',
    negate: 'Negate',
    mode: 'Combine',
    addCondition: 'Add condition',
    addEvents: 'Add behaviour',
    addNoEvents: 'Add "did not"',
    addGroup: 'Add group',
    remove: 'Remove',
    attribute: 'Attribute',
    chooseAttribute: 'Choose an attribute',
    operator: 'Operator',
    value: 'Value',
    low: 'From',
    high: 'To',
    amount: 'Amount',
    unit: 'Unit',
    days: 'days',
    months: 'months',
    eventType: 'Behaviour',
    measure: 'Measure',
    within: 'in the last',
    noEventsPrefix: 'none in the last',
    size: '{count} customers',
    total: '{count} customers in total',
    previewUnavailable: 'Size preview needs a bank-wide data scope',
    showJson: 'Show JSON',
    hideJson: 'Hide JSON',
    json: 'Rule JSON',
    raw: 'Other rule (edit in JSON)',
    required: 'Add at least one condition',
    attributeMissing: 'Choose an attribute',
    attributeUnknown: 'The attribute catalogue has no such attribute',
    operatorNotAllowed: 'This operator does not apply to the attribute type',
    valueMissing: 'Enter a value',
    rangeReversed: 'The lower bound is above the upper bound',
    periodInvalid: 'The window must be a positive whole number',
    groupEmpty: 'The group is empty',
    yes: 'yes',
    no: 'no',
    listHint: 'separate values with commas',
    'op.eq': 'equals',
    'op.ne': 'is not',
    'op.lt': 'less than',
    'op.lte': 'at most',
    'op.gt': 'greater than',
    'op.gte': 'at least',
    'op.between': 'between',
    'op.in': 'is one of',
    'op.notIn': 'is none of',
    'op.startsWith': 'starts with',
    'op.contains': 'contains',
    'op.containsAny': 'contains any of',
    'op.containsAll': 'contains all of',
    'op.isEmpty': 'is empty',
    'op.isNull': 'is unknown',
    'op.isNotNull': 'is known',
    'op.withinLast': 'within the last',
    'op.withinNext': 'within the next',
    'op.anniversaryWithin': 'anniversary within',
    'event.transaction': 'Transactions',
    'event.login': 'Logins',
    'event.contact': 'Contacts',
    'event.purchase': 'Purchases',
    'event.maturity': 'Maturities',
    'measure.count': 'count',
    'measure.sum': 'total amount',
    'measure.avg': 'average amount',
  },
} as const satisfies Catalogue<string>;

type MessageKey = keyof (typeof messages)['en'];
const PREVIEW_DELAY_MS = 350;

/**
 * A rule builder for segments (客群规则). Give it a client — it fetches the attribute catalogue from
 * `segments.attributes` unless `attributeCatalogue` is set — and every change is checked locally, then by `segments.validate`, and sized per node by
 * `segments.preview`. As a form-associated element it submits the rule JSON under its `name`, is
 * invalid while the rule is, and resets with its form.
 *
 * @summary Segment rule builder with live size preview, validation and JSON view; a form control.
 * @csspart group - A group of conditions.
 * @csspart condition - One condition row (attribute, behaviour or "did not").
 * @csspart size - The live size of a node.
 * @csspart issue - A validation message.
 * @csspart add-button - The buttons adding conditions and groups.
 * @csspart remove-button - The buttons removing a node.
 * @csspart json-toggle - The button showing the JSON view.
 * @csspart json - The JSON view.
 * @csspart total - The total size line.
 * @csspart status - Loading and "not connected" messages.
 * @csspart error - The error line with its retry button.
 * @cssprop --kq-builder-indent - Indent of a nested group (default 16px).
 * @cssprop --kq-builder-group-border - Border colour of a group (falls back to --kq-color-border).
 * @cssprop --kq-builder-issue-color - Validation message colour (falls back to --kq-color-danger).
 * @event kq-rule-change - The rule changed; detail `{ rule, valid }`.
 * @event kq-error - Validation or preview failed; detail `{ routeId, code, status, message }`.
 */
export class KqSegmentBuilder extends KequnElement {
  static readonly formAssociated = true;

  static override properties = {
    attributeCatalogue: { attribute: false },
    loadedCatalogue: { state: true },
    rule: { attribute: false },
    name: { type: String, reflect: true },
    required: { type: Boolean, reflect: true },
    disabled: { type: Boolean, reflect: true },
    root: { state: true },
    sizes: { state: true },
    total: { state: true },
    serverIssues: { state: true },
    previewUnavailable: { state: true },
    showJson: { state: true },
  };

  static override styles = [
    hostStyles,
    css`
      .group {
        border: 1px solid var(--kq-builder-group-border, var(--_border));
        border-radius: var(--_radius);
        padding: var(--_space-2);
        margin: var(--_space-1) 0;
      }
      .group .group {
        margin-inline-start: var(--kq-builder-indent, 16px);
      }
      .bar,
      .condition {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space-2);
        align-items: center;
        margin: var(--_space-1) 0;
      }
      .size {
        color: var(--_text-muted);
        font-variant-numeric: tabular-nums;
      }
      .issue {
        color: var(--kq-builder-issue-color, var(--_danger));
        flex-basis: 100%;
        margin: 0;
      }
      pre {
        background: var(--_surface-raised);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space-2);
        max-height: 320px;
        overflow: auto;
      }
      input[type='number'] {
        width: 8em;
      }
    `,
  ];

  /**
   * The attribute catalogue: which attributes rules may read, with type, label and values. When
   * unset the builder asks the server (`segments.attributes`); set it to offer a narrower list.
   */
  declare attributeCatalogue: readonly AttributeDescription[] | undefined;
  /** The catalogue the server answered, used while `attributeCatalogue` is unset. */
  declare protected loadedCatalogue: readonly AttributeDescription[] | undefined;
  /** The rule to start from (JSON of @kequn/segments); read the current one from `value`. */
  declare rule: unknown;
  /** The form field name. */
  declare name: string;
  /** Whether the form needs at least one condition. */
  declare required: boolean;
  declare disabled: boolean;
  declare protected root: GroupNode;
  declare protected sizes: ReadonlyMap<string, number>;
  declare protected total: number | undefined;
  declare protected serverIssues: ReadonlyMap<number, string[]>;
  declare protected previewUnavailable: boolean;
  declare protected showJson: boolean;

  #internals: ElementInternals | undefined;
  #appliedRule: unknown;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #check = 0;

  constructor() {
    super();
    this.attributeCatalogue = undefined;
    this.loadedCatalogue = undefined;
    this.rule = undefined;
    this.name = '';
    this.required = false;
    this.disabled = false;
    this.root = emptyGroup();
    this.sizes = new Map();
    this.total = undefined;
    this.serverIssues = new Map();
    this.previewUnavailable = false;
    this.showJson = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#internals ??= this.attachInternals();
    this.#sync();
  }

  /** The rule as the builder holds it now. */
  get ruleValue(): unknown {
    return ruleOf(this.root);
  }

  /** The rule as JSON text: what the form submits. */
  get value(): string {
    return JSON.stringify(this.ruleValue);
  }

  get form(): HTMLFormElement | null {
    return this.#internals?.form ?? null;
  }

  get validity(): ValidityState | undefined {
    return this.#internals?.validity;
  }

  get validationMessage(): string {
    return this.#internals?.validationMessage ?? '';
  }

  checkValidity(): boolean {
    return this.#internals?.checkValidity() ?? true;
  }

  reportValidity(): boolean {
    return this.#internals?.reportValidity() ?? true;
  }

  formResetCallback(): void {
    this.root = this.#rootOf(this.rule);
    this.#changed();
  }

  formDisabledCallback(disabled: boolean): void {
    this.disabled = disabled;
  }

  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (typeof state !== 'string') return;
    try {
      this.root = this.#rootOf(JSON.parse(state));
      this.#changed();
    } catch {
      // A restored state that is not JSON (another version's) is ignored: the builder keeps `rule`.
    }
  }

  #rootOf(rule: unknown): GroupNode {
    if (rule === undefined || rule === null) return emptyGroup();
    const node = nodeOf(rule);
    return node.kind === 'group' ? node : { ...emptyGroup(), children: [node] };
  }

  /** The catalogue in use: the property, else the server's, else none yet. */
  get #catalogue(): readonly AttributeDescription[] {
    return this.attributeCatalogue ?? this.loadedCatalogue ?? [];
  }

  get #attributeMap(): Map<string, AttributeDescription> {
    return new Map(this.#catalogue.map((attribute) => [attribute.id, attribute]));
  }

  protected override loadKey(): string | undefined {
    return this.attributeCatalogue === undefined ? 'segments.attributes' : undefined;
  }

  protected override hasData(): boolean {
    return this.loadedCatalogue !== undefined;
  }

  protected override async load(client: KequnComponentClient): Promise<void> {
    const answer = await client.call('segments.attributes');
    this.loadedCatalogue = answer.attributes;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('rule') && this.rule !== this.#appliedRule) {
      this.#appliedRule = this.rule;
      this.root = this.#rootOf(this.rule);
      this.serverIssues = new Map();
      this.#schedule();
    }
    if (
      changed.has('rule') ||
      changed.has('locale') ||
      changed.has('required') ||
      changed.has('attributeCatalogue') ||
      changed.has('loadedCatalogue')
    )
      this.#sync();
  }

  #t(key: MessageKey, values?: Readonly<Record<string, string | number>>): string {
    return this.text(messages, key, values);
  }

  /** Local issues, then the server's; the first becomes the form's validation message. */
  #issues(): Map<number, string[]> {
    const issues = new Map<number, string[]>();
    for (const [key, issue] of localIssues(this.root, this.#attributeMap))
      issues.set(key, [this.#t(issue as LocalIssue)]);
    for (const [key, list] of this.serverIssues)
      issues.set(key, [...(issues.get(key) ?? []), ...list]);
    return issues;
  }

  #sync(): void {
    const issues = this.#issues();
    const first = [...issues.values()][0]?.[0];
    const empty = this.required && leafCount(this.root) === 0;
    if (this.#internals === undefined) return;
    this.#internals.setFormValue(this.value, this.value);
    if (first !== undefined) this.#internals.setValidity({ customError: true }, first);
    else if (empty) this.#internals.setValidity({ valueMissing: true }, this.#t('required'));
    else this.#internals.setValidity({});
  }

  #changed(): void {
    this.serverIssues = new Map();
    this.requestUpdate();
    this.#sync();
    this.emit('kq-rule-change', { rule: this.ruleValue, valid: this.checkValidity() });
    this.#schedule();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#checkOnServer(), PREVIEW_DELAY_MS);
  }

  /** Validates on the server, then previews the size of every node; stale answers are dropped. */
  async #checkOnServer(): Promise<void> {
    const client = this.activeClient;
    if (client === undefined || leafCount(this.root) === 0) {
      this.sizes = new Map();
      this.total = undefined;
      return;
    }
    if (localIssues(this.root, this.#attributeMap).size > 0) return;
    const check = ++this.#check;
    const rule = this.ruleValue;
    const paths = pathsOf(this.root);
    try {
      const validation = await client.call('segments.validate', { body: { rule } });
      if (check !== this.#check) return;
      if (!validation.valid) {
        const issues = new Map<number, string[]>();
        for (const issue of validation.issues) {
          const key = nodeForPath(paths, issue.path) ?? this.root.key;
          issues.set(key, [...(issues.get(key) ?? []), issue.message]);
        }
        this.serverIssues = issues;
        this.#sync();
        this.emit('kq-rule-change', { rule, valid: false });
        return;
      }
      await this.#preview(client, rule, check);
    } catch (error) {
      if (check === this.#check) this.reportFailure(failureOf('segments.validate', error));
    }
  }

  async #preview(client: KequnComponentClient, rule: unknown, check: number): Promise<void> {
    try {
      const preview = await client.call('segments.preview', { body: { rule } });
      if (check !== this.#check) return;
      const sizes = new Map<string, number>();
      const visit = (node: { path: string; count: number; children: readonly unknown[] }): void => {
        sizes.set(node.path, node.count);
        for (const child of node.children) visit(child as typeof node);
      };
      visit(preview.sizes);
      this.sizes = sizes;
      this.total = preview.customers;
      this.previewUnavailable = false;
    } catch (error) {
      if (check !== this.#check) return;
      const failure = failureOf('segments.preview', error);
      if (failure.status === 403) this.previewUnavailable = true;
      else this.reportFailure(failure);
    }
  }

  // ── editing ────────────────────────────────────────────────────────────────────────────────

  #add(group: GroupNode, kind: 'condition' | 'events' | 'noEvents' | 'group'): void {
    const window: Period = { amount: 30, unit: 'days' };
    const node: BuilderNode =
      kind === 'group'
        ? emptyGroup('any')
        : kind === 'events'
          ? {
              kind: 'events',
              key: newKey(),
              type: 'transaction',
              measure: 'count',
              op: 'gte',
              value: 1,
              window,
            }
          : kind === 'noEvents'
            ? {
                kind: 'noEvents',
                key: newKey(),
                type: 'login',
                window: { amount: 90, unit: 'days' },
              }
            : { kind: 'condition', key: newKey(), attribute: '', op: 'eq', value: undefined };
    group.children.push(node);
    this.#changed();
  }

  #remove(parent: GroupNode, node: BuilderNode): void {
    parent.children = parent.children.filter((child) => child !== node);
    this.#changed();
  }

  #setAttribute(node: ConditionNode, id: string): void {
    const attribute = this.#attributeMap.get(id);
    node.attribute = id;
    node.op = attribute === undefined ? 'eq' : (operatorsByKind[attribute.type][0] ?? 'eq');
    node.value = periodOperators.has(node.op) ? { days: 30 } : undefined;
    this.#changed();
  }

  #setOperator(node: ConditionNode, op: string): void {
    const wasPeriod = periodOperators.has(node.op);
    const wasList = listOperators.has(node.op);
    node.op = op;
    if (periodOperators.has(op)) node.value = wasPeriod ? node.value : { days: 30 };
    else if (valuelessOperators.has(op)) node.value = undefined;
    else if (op === 'between') node.value = [undefined, undefined];
    else if (listOperators.has(op) !== wasList || wasPeriod || Array.isArray(node.value))
      node.value = undefined;
    this.#changed();
  }

  #scalar(attribute: AttributeDescription | undefined, text: string): unknown {
    if (text === '') return undefined;
    const kind = attribute?.type;
    if (kind === 'number' || kind === 'money') return Number(text);
    if (kind === 'boolean') return text === 'true';
    return text;
  }

  // ── rendering ──────────────────────────────────────────────────────────────────────────────

  #size(paths: ReadonlyMap<number, string>, node: BuilderNode): TemplateResult | typeof nothing {
    const count = this.sizes.get(paths.get(node.key) ?? '');
    if (count === undefined) return nothing;
    return html`<output class="size" part="size" data-size-for=${paths.get(node.key) ?? ''}
      >${this.#t('size', { count: formatCount(this.locale, count) })}</output
    >`;
  }

  #issueLines(issues: ReadonlyMap<number, string[]>, node: BuilderNode, id: string) {
    const list = issues.get(node.key);
    if (list === undefined) return nothing;
    return html`<p class="issue" part="issue" id=${id}>${list.join('；')}</p>`;
  }

  #removeButton(parent: GroupNode | undefined, node: BuilderNode) {
    if (parent === undefined) return nothing;
    return html`<button
      type="button"
      part="remove-button"
      ?disabled=${this.disabled}
      @click=${() => this.#remove(parent, node)}
    >
      ${this.#t('remove')}
    </button>`;
  }

  #periodInputs(
    period: Period,
    label: string,
    onChange: (period: Period) => void,
    daysOnly = false,
  ) {
    return html`<input
        type="number"
        min="1"
        step="1"
        aria-label=${`${label} ${this.#t('amount')}`}
        .value=${String(period.amount)}
        ?disabled=${this.disabled}
        @change=${(event: Event) => onChange({ ...period, amount: Number((event.target as HTMLInputElement).value) })}
      />
      <select
        aria-label=${`${label} ${this.#t('unit')}`}
        ?disabled=${this.disabled}
        @change=${(event: Event) => onChange({ ...period, unit: (event.target as HTMLSelectElement).value as Period['unit'] })}
      >
        <option value="days" ?selected=${period.unit === 'days'}>${this.#t('days')}</option>
        ${daysOnly ? nothing : html`<option value="months" ?selected=${period.unit === 'months'}>${this.#t('months')}</option>`}
      </select>`;
  }

  #valueEditor(
    node: ConditionNode,
    attribute: AttributeDescription | undefined,
    describedBy: string,
  ) {
    const op = node.op;
    const valueLabel = this.#t('value');
    if (valuelessOperators.has(op)) return nothing;
    if (periodOperators.has(op)) {
      const value = (node.value ?? {}) as { days?: number; months?: number };
      const period: Period =
        typeof value.months === 'number'
          ? { amount: value.months, unit: 'months' }
          : { amount: value.days ?? 30, unit: 'days' };
      return this.#periodInputs(
        period,
        valueLabel,
        (next) => {
          node.value = { [next.unit]: next.amount };
          this.#changed();
        },
        op === 'anniversaryWithin',
      );
    }
    const inputType =
      attribute?.type === 'date'
        ? 'date'
        : attribute?.type === 'number' || attribute?.type === 'money'
          ? 'number'
          : 'text';
    if (op === 'between') {
      const pair = Array.isArray(node.value) ? (node.value as unknown[]) : [undefined, undefined];
      const set = (index: number, text: string) => {
        const next = [...pair];
        next[index] = this.#scalar(attribute, text);
        node.value = next;
        this.#changed();
      };
      return html`<input
          type=${inputType}
          aria-label=${this.#t('low')}
          aria-describedby=${describedBy}
          .value=${pair[0] === undefined ? '' : String(pair[0])}
          ?disabled=${this.disabled}
          @change=${(event: Event) => set(0, (event.target as HTMLInputElement).value)}
        />
        <input
          type=${inputType}
          aria-label=${this.#t('high')}
          aria-describedby=${describedBy}
          .value=${pair[1] === undefined ? '' : String(pair[1])}
          ?disabled=${this.disabled}
          @change=${(event: Event) => set(1, (event.target as HTMLInputElement).value)}
        />`;
    }
    const options = attribute?.values;
    if (options !== undefined && options.length > 0) {
      const multiple = listOperators.has(op);
      const chosen = new Set((Array.isArray(node.value) ? node.value : [node.value]).map(String));
      return html`<select
        aria-label=${valueLabel}
        aria-describedby=${describedBy}
        ?multiple=${multiple}
        ?disabled=${this.disabled}
        @change=${(event: Event) => {
          const select = event.target as HTMLSelectElement;
          const values = Array.from(select.selectedOptions)
            .map((option) => option.value)
            .filter((value) => value !== '');
          node.value = multiple ? values : values[0];
          this.#changed();
        }}
      >
        ${multiple ? nothing : html`<option value="" ?selected=${node.value === undefined}>—</option>`}
        ${options.map((option) => html`<option value=${option.value} ?selected=${chosen.has(option.value)}>${option.label[this.locale]}</option>`)}
      </select>`;
    }
    if (attribute?.type === 'boolean') {
      return html`<select
        aria-label=${valueLabel}
        aria-describedby=${describedBy}
        ?disabled=${this.disabled}
        @change=${(event: Event) => {
          const text = (event.target as HTMLSelectElement).value;
          node.value = text === '' ? undefined : text === 'true';
          this.#changed();
        }}
      >
        <option value="" ?selected=${node.value === undefined}>—</option>
        <option value="true" ?selected=${node.value === true}>${this.#t('yes')}</option>
        <option value="false" ?selected=${node.value === false}>${this.#t('no')}</option>
      </select>`;
    }
    if (listOperators.has(op)) {
      return html`<input
        type="text"
        aria-label=${`${valueLabel} (${this.#t('listHint')})`}
        aria-describedby=${describedBy}
        .value=${Array.isArray(node.value) ? node.value.join(', ') : ''}
        ?disabled=${this.disabled}
        @change=${(event: Event) => {
          node.value = (event.target as HTMLInputElement).value
            .split(/[,，]/)
            .map((part) => part.trim())
            .filter((part) => part !== '')
            .map((part) => this.#scalar(attribute, part));
          this.#changed();
        }}
      />`;
    }
    return html`<input
      type=${inputType}
      aria-label=${valueLabel}
      aria-describedby=${describedBy}
      .value=${node.value === undefined ? '' : String(node.value)}
      ?disabled=${this.disabled}
      @change=${(event: Event) => {
        node.value = this.#scalar(attribute, (event.target as HTMLInputElement).value);
        this.#changed();
      }}
    />`;
  }

  #condition(
    node: ConditionNode,
    parent: GroupNode,
    paths: ReadonlyMap<number, string>,
    issues: ReadonlyMap<number, string[]>,
  ) {
    const attribute = this.#attributeMap.get(node.attribute);
    const operators = attribute === undefined ? [node.op] : operatorsByKind[attribute.type];
    const issueId = `issue-${node.key}`;
    const known = attribute !== undefined || node.attribute === '';
    return html`<div
      class="condition"
      part="condition"
      data-kind="condition"
      data-path=${paths.get(node.key) ?? ''}
    >
      <select
        aria-label=${this.#t('attribute')}
        aria-describedby=${issueId}
        ?disabled=${this.disabled}
        @change=${(event: Event) => this.#setAttribute(node, (event.target as HTMLSelectElement).value)}
      >
        <option value="" ?selected=${node.attribute === ''}>${this.#t('chooseAttribute')}</option>
        ${known ? nothing : html`<option value=${node.attribute} selected>${node.attribute}</option>`}
        ${this.#catalogue.map((each) => html`<option value=${each.id} ?selected=${each.id === node.attribute}>${each.label[this.locale]}</option>`)}
      </select>
      <select
        aria-label=${this.#t('operator')}
        ?disabled=${this.disabled || attribute === undefined}
        @change=${(event: Event) => this.#setOperator(node, (event.target as HTMLSelectElement).value)}
      >
        ${operators.map((op) => html`<option value=${op} ?selected=${op === node.op}>${this.#opLabel(op)}</option>`)}
      </select>
      ${this.#valueEditor(node, attribute, issueId)} ${this.#size(paths, node)}
      ${this.#removeButton(parent, node)} ${this.#issueLines(issues, node, issueId)}
    </div>`;
  }

  #opLabel(op: string): string {
    const key = `op.${op}` as MessageKey;
    return key in messages.en ? this.#t(key) : op;
  }

  #events(
    node: EventsNode | NoEventsNode,
    parent: GroupNode,
    paths: ReadonlyMap<number, string>,
    issues: ReadonlyMap<number, string[]>,
  ) {
    const issueId = `issue-${node.key}`;
    const typeSelect = html`<select
      aria-label=${this.#t('eventType')}
      aria-describedby=${issueId}
      ?disabled=${this.disabled}
      @change=${(event: Event) => {
        node.type = (event.target as HTMLSelectElement).value as EventsNode['type'];
        this.#changed();
      }}
    >
      ${eventTypes.map((type) => html`<option value=${type} ?selected=${type === node.type}>${this.#t(`event.${type}`)}</option>`)}
    </select>`;
    const window = this.#periodInputs(node.window, this.#t('within'), (next) => {
      node.window = next;
      this.#changed();
    });
    if (node.kind === 'noEvents') {
      return html`<div
        class="condition"
        part="condition"
        data-kind="noEvents"
        data-path=${paths.get(node.key) ?? ''}
      >
        ${typeSelect}
        <span>${this.#t('noEventsPrefix')}</span>
        ${window} ${this.#size(paths, node)} ${this.#removeButton(parent, node)}
        ${this.#issueLines(issues, node, issueId)}
      </div>`;
    }
    const values: [number, number] = Array.isArray(node.value)
      ? node.value
      : [node.value, node.value];
    const setValue = (index: number, text: string) => {
      const number = text === '' ? Number.NaN : Number(text);
      if (node.op === 'between') {
        const next: [number, number] = [values[0], values[1]];
        next[index] = number;
        node.value = next;
      } else node.value = number;
      this.#changed();
    };
    return html`<div
      class="condition"
      part="condition"
      data-kind="events"
      data-path=${paths.get(node.key) ?? ''}
    >
      ${typeSelect}
      <select
        aria-label=${this.#t('measure')}
        ?disabled=${this.disabled}
        @change=${(event: Event) => {
          node.measure = (event.target as HTMLSelectElement).value as EventsNode['measure'];
          this.#changed();
        }}
      >
        ${eventMeasures.map((measure) => html`<option value=${measure} ?selected=${measure === node.measure}>${this.#t(`measure.${measure}`)}</option>`)}
      </select>
      <select
        aria-label=${this.#t('operator')}
        ?disabled=${this.disabled}
        @change=${(event: Event) => {
          const op = (event.target as HTMLSelectElement).value as EventsNode['op'];
          node.value = op === 'between' ? [values[0], values[1]] : values[0];
          node.op = op;
          this.#changed();
        }}
      >
        ${eventComparisons.map((op) => html`<option value=${op} ?selected=${op === node.op}>${this.#opLabel(op)}</option>`)}
      </select>
      <input
        type="number"
        aria-label=${node.op === 'between' ? this.#t('low') : this.#t('value')}
        aria-describedby=${issueId}
        .value=${Number.isFinite(values[0]) ? String(values[0]) : ''}
        ?disabled=${this.disabled}
        @change=${(event: Event) => setValue(0, (event.target as HTMLInputElement).value)}
      />
      ${
        node.op === 'between'
          ? html`<input
              type="number"
              aria-label=${this.#t('high')}
              aria-describedby=${issueId}
              .value=${Number.isFinite(values[1]) ? String(values[1]) : ''}
              ?disabled=${this.disabled}
              @change=${(event: Event) => setValue(1, (event.target as HTMLInputElement).value)}
            />`
          : nothing
      }
      <span>${this.#t('within')}</span> ${window} ${this.#size(paths, node)}
      ${this.#removeButton(parent, node)} ${this.#issueLines(issues, node, issueId)}
    </div>`;
  }

  #node(
    node: BuilderNode,
    parent: GroupNode | undefined,
    paths: ReadonlyMap<number, string>,
    issues: ReadonlyMap<number, string[]>,
  ): TemplateResult {
    switch (node.kind) {
      case 'group':
        return this.#group(node, parent, paths, issues);
      case 'condition':
        return this.#condition(node, parent ?? this.root, paths, issues);
      case 'events':
      case 'noEvents':
        return this.#events(node, parent ?? this.root, paths, issues);
      case 'raw':
        return html`<div class="condition" part="condition" data-kind="raw">
          <span>${this.#t('raw')}:</span>
          <code>${JSON.stringify(node.rule)}</code> ${this.#size(paths, node)}
          ${parent === undefined ? nothing : this.#removeButton(parent, node)}
        </div>`;
    }
  }

  #group(
    group: GroupNode,
    parent: GroupNode | undefined,
    paths: ReadonlyMap<number, string>,
    issues: ReadonlyMap<number, string[]>,
  ): TemplateResult {
    const issueId = `issue-${group.key}`;
    const addButton = (kind: 'condition' | 'events' | 'noEvents' | 'group', label: MessageKey) =>
      html`<button
        type="button"
        part="add-button"
        data-add=${kind}
        ?disabled=${this.disabled}
        @click=${() => this.#add(group, kind)}
      >
        ${this.#t(label)}
      </button>`;
    return html`<div
      class="group"
      part="group"
      role="group"
      aria-label=${`${this.#t('group')}: ${this.#t(group.mode)}`}
      data-path=${paths.get(group.key) ?? ''}
    >
      <div class="bar">
        <select
          aria-label=${this.#t('mode')}
          ?disabled=${this.disabled}
          @change=${(event: Event) => {
            group.mode = (event.target as HTMLSelectElement).value as GroupNode['mode'];
            this.#changed();
          }}
        >
          <option value="all" ?selected=${group.mode === 'all'}>${this.#t('all')}</option>
          <option value="any" ?selected=${group.mode === 'any'}>${this.#t('any')}</option>
        </select>
        <label
          ><input
            type="checkbox"
            .checked=${group.negated}
            ?disabled=${this.disabled}
            @change=${(event: Event) => {
              group.negated = (event.target as HTMLInputElement).checked;
              this.#changed();
            }}
          />${this.#t('negate')}</label
        >
        ${this.#size(paths, group)} ${this.#removeButton(parent, group)}
        ${this.#issueLines(issues, group, issueId)}
      </div>
      ${group.children.map((child) => this.#node(child, group, paths, issues))}
      <div class="bar">
        ${addButton('condition', 'addCondition')} ${addButton('events', 'addEvents')}
        ${addButton('noEvents', 'addNoEvents')} ${addButton('group', 'addGroup')}
      </div>
    </div>`;
  }

  protected override render() {
    const paths = pathsOf(this.root);
    const issues = this.#issues();
    return html`
      <div role="group" aria-label=${this.#t('builder')}>
        ${this.#node(this.root, undefined, paths, issues)}
      </div>
      <p class="size" part="total" aria-live="polite">
        ${
          this.previewUnavailable
            ? this.#t('previewUnavailable')
            : this.total === undefined
              ? nothing
              : this.#t('total', { count: formatCount(this.locale, this.total) })
        }
      </p>
      ${this.renderStatus()}
      <button
        type="button"
        part="json-toggle"
        aria-expanded=${this.showJson ? 'true' : 'false'}
        @click=${() => (this.showJson = !this.showJson)}
      >
        ${this.#t(this.showJson ? 'hideJson' : 'showJson')}
      </button>
      ${this.showJson ? html`<pre part="json" tabindex="0" role="region" aria-label=${this.#t('json')}>${JSON.stringify(this.ruleValue, null, 2)}</pre>` : nothing}
    `;
  }
}
