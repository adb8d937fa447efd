// <kq-customer-list>: the customers in scope, masked as the server sends them, virtualized so a
// book of a million rows stays smooth, paged through the client as the user scrolls.
import { css, html, nothing } from 'lit';
import {
  virtualize,
  virtualizerRef,
  type VirtualizerHostElement,
} from '@lit-labs/virtualizer/virtualize.js';
import type { InputOf, OutputOf } from '@kequn/client';
import { KequnElement, failureOf, withRoute } from '../foundation/base.js';
import type { KequnComponentClient } from '../foundation/context.js';
import type { KequnEventMap } from '../foundation/events.js';
import { formatCny, formatCount } from '../foundation/format.js';
import { tierLabel, type Catalogue } from '../foundation/messages.js';
import { hostStyles } from '../foundation/styles.js';
import { segmentCatalogue } from '../foundation/catalogue.js';

export type CustomerRow = OutputOf<'customers.list'>['items'][number];
export type CustomerSortKey = KequnEventMap['kq-sort-change']['key'];
type SortDirection = KequnEventMap['kq-sort-change']['direction'];
type SegmentOption = { ref: string; label: string; customers: number };

const messages = {
  'zh-CN': {
    list: '客户列表',
    segment: '客群',
    allSegments: '全部客户',
    sortBy: '排序',
    name: '姓名',
    phone: '手机',
    tier: '分层',
    aum: '资产',
    ascending: '升序',
    descending: '降序',
    shown: '已加载 {count} 位客户',
    shownOf: '已加载 {count} / {total} 位客户',
    more: '加载更多…',
  },
  en: {
    list: 'Customers',
    segment: 'Segment',
    allSegments: 'All customers',
    sortBy: 'Sort by',
    name: 'Name',
    phone: 'Phone',
    tier: 'Tier',
    aum: 'AUM',
    ascending: 'ascending',
    descending: 'descending',
    shown: '{count} customers loaded',
    shownOf: '{count} of {total} customers loaded',
    more: 'Loading more…',
  },
} as const satisfies Catalogue<string>;

const tierRank: Readonly<Record<string, number>> = {
  potential: 0,
  effective: 1,
  mid: 2,
  high_end: 3,
  private: 4,
};

function compareRows(key: CustomerSortKey, locale: string) {
  const collator = new Intl.Collator(locale);
  if (key === 'name') return (a: CustomerRow, b: CustomerRow) => collator.compare(a.name, b.name);
  if (key === 'tier') {
    return (a: CustomerRow, b: CustomerRow) =>
      (tierRank[a.tier ?? ''] ?? -1) - (tierRank[b.tier ?? ''] ?? -1);
  }
  return (a: CustomerRow, b: CustomerRow) => (a.aum ?? -Infinity) - (b.aum ?? -Infinity);
}

/** Rows before the end of the loaded ones at which the next page is fetched. */
const PREFETCH = 20;
const PAGE_KEYS = new Set(['PageDown', 'PageUp']);

/**
 * A virtualized, keyboard-navigable list (role `listbox`, one `option` per customer with
 * `aria-posinset`/`aria-setsize`) of the customers in the caller's scope. Names and phones are shown
 * exactly as the server masked them. With a client, sorting asks the server (`customers.list` with
 * `sort` and `order`), so the order holds across every page, and `aria-setsize` is the server's
 * `total` of the filtered set; rows given as the `customers` property are sorted in place.
 *
 * @summary Customers in scope: virtualized, sortable, filterable by segment, masked.
 * @csspart toolbar - The filter and sort controls above the list.
 * @csspart segment-select - The segment filter.
 * @csspart sort-button - Each sort button.
 * @csspart list - The scrolling listbox.
 * @csspart row - One customer row; also `row-selected` on the chosen one.
 * @csspart summary - The "n customers loaded" line.
 * @csspart status - Loading and "not connected" messages.
 * @csspart error - The error line with its retry button.
 * @cssprop --kq-list-height - Height of the scrolling list (default 420px).
 * @cssprop --kq-list-row-height - Height of one row (default 40px).
 * @cssprop --kq-list-row-selected-background - Background of the selected row (falls back to --kq-color-selected).
 * @event kq-customer-select - A customer row was activated; detail `{ customerId }`.
 * @event kq-sort-change - The sort changed; detail `{ key, direction }`.
 * @event kq-segment-change - The segment filter changed; detail `{ segment }`.
 * @event kq-error - A call failed; detail `{ routeId, code, status, message }`.
 */
export class KqCustomerList extends KequnElement {
  static override properties = {
    segment: { type: String, reflect: true },
    tier: { type: String, reflect: true },
    query: { type: String },
    pageSize: { type: Number, attribute: 'page-size' },
    customers: { attribute: false },
    sortKey: { state: true },
    sortDirection: { state: true },
    activeIndex: { state: true },
    selectedId: { state: true },
    segments: { state: true },
    total: { state: true },
    nextAfter: { state: true },
  };

  static override styles = [
    hostStyles,
    css`
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space-2);
        align-items: center;
        margin-bottom: var(--_space-2);
      }
      button[aria-pressed='true'] {
        background: var(--_primary);
        color: var(--_on-primary);
        border-color: var(--_primary);
      }
      .rows {
        height: var(--kq-list-height, 420px);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }
      .row {
        display: grid;
        grid-template-columns: 2fr 2fr 1.5fr 1.5fr;
        gap: var(--_space-2);
        align-items: center;
        width: 100%;
        height: var(--kq-list-row-height, 40px);
        padding: 0 var(--_space-2);
        border-bottom: 1px solid var(--_border);
        cursor: pointer;
      }
      .row[aria-selected='true'] {
        background: var(
          --kq-list-row-selected-background,
          var(--kq-color-selected, var(--kq-color-blue-50, #eff6ff))
        );
      }
      .row:focus-visible {
        outline-offset: -2px;
      }
      .aum {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      .summary {
        color: var(--_text-muted);
        font-size: 0.9em;
        margin: var(--_space-1) 0 0;
      }
    `,
  ];

  /** A segment as `strategy:segment`, e.g. `tiering:mid` or `featured-groups:elderly`. */
  declare segment: string | undefined;
  /** A tier id, e.g. `high_end`. */
  declare tier: string | undefined;
  /** A customer id or the start of a name. */
  declare query: string | undefined;
  /** Rows per request (1–200). */
  declare pageSize: number;
  /** The loaded rows; set it to render rows without a client. */
  declare customers: readonly CustomerRow[];
  declare protected sortKey: CustomerSortKey | undefined;
  declare protected sortDirection: SortDirection;
  declare protected activeIndex: number;
  declare protected selectedId: string | undefined;
  declare protected segments: readonly SegmentOption[];
  declare protected total: number | undefined;
  declare protected nextAfter: string | null;

  #loadingMore = false;

  constructor() {
    super();
    this.segment = undefined;
    this.tier = undefined;
    this.query = undefined;
    this.pageSize = 100;
    this.customers = [];
    this.sortKey = undefined;
    this.sortDirection = 'asc';
    this.activeIndex = 0;
    this.selectedId = undefined;
    this.segments = [];
    this.total = undefined;
    this.nextAfter = null;
  }

  protected override loadKey(): string | undefined {
    // The sort is part of the key: the server orders every page, so a new sort is a new list.
    return JSON.stringify([
      this.segment,
      this.tier,
      this.query,
      this.pageSize,
      this.sortKey ?? 'id',
      this.sortDirection,
    ]);
  }

  protected override hasData(): boolean {
    return this.customers.length > 0;
  }

  #queryOf(after: string | undefined): InputOf<'customers.list'>['query'] {
    return {
      limit: Math.min(200, Math.max(1, Math.trunc(this.pageSize))),
      ...(this.segment ? { segment: this.segment } : {}),
      ...(this.tier ? { tier: this.tier } : {}),
      ...(this.query ? { q: this.query } : {}),
      sort: this.sortKey ?? 'id',
      order: this.sortDirection,
      ...(after === undefined ? {} : { after }),
    };
  }

  protected override async load(client: KequnComponentClient, signal: AbortSignal): Promise<void> {
    const [page, catalogue] = await Promise.all([
      withRoute(
        'customers.list',
        client.call('customers.list', { query: this.#queryOf(undefined) }),
      ),
      // The segment filter's options come from the catalogue; without it the list still works.
      segmentCatalogue(client).catch(() => undefined),
    ]);
    if (signal.aborted) return;
    this.customers = page.items;
    this.nextAfter = page.nextAfter;
    this.activeIndex = 0;
    if (catalogue !== undefined) {
      this.segments = catalogue.strategies.flatMap((strategy) =>
        strategy.segments.map((segment) => ({
          ref: segment.ref,
          label: segment.label[this.locale],
          customers: segment.customers,
        })),
      );
    }
    this.total = page.total;
  }

  async #loadMore(): Promise<void> {
    const client = this.activeClient;
    if (client === undefined || this.nextAfter === null || this.#loadingMore) return;
    this.#loadingMore = true;
    const key = this.loadKey();
    try {
      const page = await client.call('customers.list', { query: this.#queryOf(this.nextAfter) });
      if (key !== this.loadKey()) return;
      this.customers = [...this.customers, ...page.items];
      this.nextAfter = page.nextAfter;
      this.total = page.total;
    } catch (error) {
      this.reportFailure(failureOf('customers.list', error));
    } finally {
      this.#loadingMore = false;
    }
  }

  /** The rows in display order: as the server ordered them, or sorted here when given as data. */
  get rows(): readonly CustomerRow[] {
    if (this.sortKey === undefined || this.activeClient !== undefined) return this.customers;
    const compare = compareRows(this.sortKey, this.locale);
    const sign = this.sortDirection === 'asc' ? 1 : -1;
    return [...this.customers].sort((a, b) => sign * compare(a, b));
  }

  #sort(key: CustomerSortKey): void {
    this.sortDirection = this.sortKey === key && this.sortDirection === 'asc' ? 'desc' : 'asc';
    this.sortKey = key;
    this.activeIndex = 0;
    this.emit('kq-sort-change', { key, direction: this.sortDirection });
  }

  #chooseSegment(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.segment = value === '' ? undefined : value;
    this.emit('kq-segment-change', { segment: this.segment ?? null });
  }

  #select(index: number): void {
    const row = this.rows[index];
    if (row === undefined) return;
    this.activeIndex = index;
    this.selectedId = row.id;
    this.emit('kq-customer-select', { customerId: row.id });
  }

  #onRange(event: Event): void {
    const last = (event as Event & { last?: number }).last ?? 0;
    if (last >= this.customers.length - PREFETCH) void this.#loadMore();
  }

  #onKey(event: KeyboardEvent): void {
    const count = this.rows.length;
    if (count === 0) return;
    const moves: Record<string, number> = {
      ArrowDown: this.activeIndex + 1,
      ArrowUp: this.activeIndex - 1,
      Home: 0,
      End: count - 1,
      PageDown: this.activeIndex + 10,
      PageUp: this.activeIndex - 10,
    };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.#select(this.activeIndex);
      return;
    }
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const clamped = Math.min(count - 1, Math.max(0, target));
    void this.#focusRow(clamped, PAGE_KEYS.has(event.key) || event.key === 'End');
  }

  async #focusRow(index: number, far: boolean): Promise<void> {
    this.activeIndex = index;
    const host = this.renderRoot.querySelector<VirtualizerHostElement>('.rows');
    host?.[virtualizerRef]?.element(index)?.scrollIntoView({ block: far ? 'center' : 'nearest' });
    await this.updateComplete;
    // The virtualizer renders the row on its next layout pass; wait a few frames for it.
    for (let frame = 0; frame < 6; frame += 1) {
      const row = this.renderRoot.querySelector<HTMLElement>(`[data-index="${index}"]`);
      if (row !== null) {
        row.focus();
        return;
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  #row(row: CustomerRow, index: number, setSize: number) {
    const selected = row.id === this.selectedId;
    return html`<div
      class="row"
      part=${selected ? 'row row-selected' : 'row'}
      role="option"
      id=${`row-${index}`}
      data-index=${index}
      data-customer-id=${row.id}
      aria-posinset=${index + 1}
      aria-setsize=${setSize}
      aria-selected=${selected ? 'true' : 'false'}
      tabindex=${index === this.activeIndex ? 0 : -1}
      @click=${() => this.#select(index)}
      @focus=${() => (this.activeIndex = index)}
    >
      <span class="name">${row.name}</span>
      <span class="phone">${row.phone}</span>
      <span class="tier">${tierLabel(this.locale, row.tier)}</span>
      <span class="aum">${row.aum === null ? '—' : formatCny(this.locale, row.aum)}</span>
    </div>`;
  }

  #sortButton(key: CustomerSortKey) {
    const pressed = this.sortKey === key;
    const direction = pressed
      ? this.text(messages, this.sortDirection === 'asc' ? 'ascending' : 'descending')
      : '';
    return html`<button
      type="button"
      part="sort-button"
      data-sort=${key}
      aria-pressed=${pressed ? 'true' : 'false'}
      @click=${() => this.#sort(key)}
    >
      ${this.text(messages, key)}${pressed ? html` <span aria-hidden="true">${this.sortDirection === 'asc' ? '↑' : '↓'}</span><span class="visually-hidden">${direction}</span>` : nothing}
    </button>`;
  }

  protected override render() {
    const rows = this.rows;
    const setSize = this.total ?? (this.nextAfter === null ? rows.length : -1);
    const count = formatCount(this.locale, rows.length);
    return html`
      <div class="toolbar" part="toolbar">
        ${
          this.segments.length === 0
            ? nothing
            : html`<label
                >${this.text(messages, 'segment')}
                <select part="segment-select" @change=${this.#chooseSegment}>
                  <option value="" ?selected=${!this.segment}>
                    ${this.text(messages, 'allSegments')}
                  </option>
                  ${this.segments.map(
                    (option) =>
                      html`<option value=${option.ref} ?selected=${option.ref === this.segment}>
                        ${option.label} (${formatCount(this.locale, option.customers)})
                      </option>`,
                  )}
                </select></label
              >`
        }
        <span role="group" aria-label=${this.text(messages, 'sortBy')}>
          ${this.text(messages, 'sortBy')}: ${this.#sortButton('name')} ${this.#sortButton('tier')}
          ${this.#sortButton('aum')}
        </span>
      </div>
      ${this.renderStatus()}
      <div
        class="rows"
        part="list"
        role="listbox"
        aria-label=${this.text(messages, 'list')}
        aria-busy=${this.status === 'loading' ? 'true' : 'false'}
        @keydown=${this.#onKey}
        @rangeChanged=${this.#onRange}
      >
        ${virtualize({
          items: [...rows],
          keyFunction: (row: CustomerRow) => row.id,
          renderItem: (row: CustomerRow, index: number) => this.#row(row, index, setSize),
          scroller: true,
        })}
        <div virtualizer-sizer aria-hidden="true"></div>
      </div>
      <p class="summary" part="summary" aria-live="polite">
        ${
          this.total === undefined
            ? this.text(messages, 'shown', { count })
            : this.text(messages, 'shownOf', { count, total: formatCount(this.locale, this.total) })
        }
      </p>
    `;
  }
}
