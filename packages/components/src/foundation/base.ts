// The base of every kq-* element (Lion's core mixins, in one class): the client from `.client` or
// the nearest <kq-provider>, the locale, typed events and one keyed loader per element that
// cancels stale requests. Constructors only set fields; all DOM work waits for connection.
import {
  LitElement,
  html,
  nothing,
  type PropertyDeclarations,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import { ContextConsumer } from '@lit/context';
import { kequnClientContext, type KequnComponentClient } from './context.js';
import { kequnEvent, type KequnEventMap, type KequnEventName } from './events.js';
import { resolveLocale, unwatchLocale, watchLocale, type KequnLocale } from './locale.js';
import { commonMessages, interpolate, type Catalogue, type CommonMessageKey } from './messages.js';
import { KEQUN_COMPONENTS_VERSION } from './version.js';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** A failed call as the element shows it: the problem's code and status when the server sent one. */
export interface LoadFailure {
  readonly routeId: string;
  readonly code: string;
  readonly status: number | null;
  readonly message: string;
}

export function failureOf(routeId: string, error: unknown): LoadFailure {
  if (typeof error === 'object' && error !== null) {
    const { code, status, message } = error as {
      code?: unknown;
      status?: unknown;
      message?: unknown;
    };
    return {
      routeId,
      code: typeof code === 'string' ? code : 'KQ_COMPONENTS_CALL_FAILED',
      status: typeof status === 'number' ? status : null,
      message: typeof message === 'string' ? message : String(error),
    };
  }
  return { routeId, code: 'KQ_COMPONENTS_CALL_FAILED', status: null, message: String(error) };
}

export class KequnElement extends LitElement {
  /** The version of this copy, named in collision warnings. */
  static readonly kequnVersion: string = KEQUN_COMPONENTS_VERSION;

  static override properties: PropertyDeclarations = {
    client: { attribute: false },
    locale: { state: true },
    status: { state: true },
    failure: { state: true },
  };

  /** The Kequn client; when unset, the one of the nearest `<kq-provider>`. */
  declare client: KequnComponentClient | undefined;
  declare protected locale: KequnLocale;
  declare protected status: LoadStatus;
  declare protected failure: LoadFailure | undefined;

  #providedClient: KequnComponentClient | undefined;
  #loadedKey: string | undefined;
  #loadedClient: KequnComponentClient | undefined;
  #abort: AbortController | undefined;

  constructor() {
    super();
    this.client = undefined;
    this.locale = 'zh-CN';
    this.status = 'idle';
    this.failure = undefined;
    new ContextConsumer(this, {
      context: kequnClientContext,
      subscribe: true,
      callback: (client) => {
        this.#providedClient = client;
        this.requestUpdate();
      },
    });
  }

  /** Where loading stands: idle, loading, ready or error. */
  get loadStatus(): LoadStatus {
    return this.status;
  }

  /** The client in use: `.client` first, then the provider's. */
  get activeClient(): KequnComponentClient | undefined {
    return this.client ?? this.#providedClient;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.locale = resolveLocale(this);
    watchLocale(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    unwatchLocale(this);
    this.#abort?.abort();
    this.#loadedKey = undefined;
  }

  /** Resolves the locale again; call after moving the element or changing a `lang` in a shadow root. */
  refreshLocale(): void {
    if (this.isConnected) this.locale = resolveLocale(this);
  }

  /** Loads again with the same inputs (the retry button). */
  reload(): void {
    this.#loadedKey = undefined;
    this.requestUpdate();
  }

  /**
   * What the element's data depends on (ids, filters), or undefined when it has nothing to load
   * (data given as properties, or inputs missing). A new key or client starts a new load.
   */
  protected loadKey(): string | undefined {
    return undefined;
  }

  /** Whether the element has something to show without loading (data given as properties). */
  protected hasData(): boolean {
    return false;
  }

  /** Fetches the element's data; `signal` aborts when the inputs change or the element leaves. */
  protected async load(_client: KequnComponentClient, _signal: AbortSignal): Promise<void> {}

  // In willUpdate, not updated: the status it sets renders in this same update.
  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const key = this.loadKey();
    const client = this.activeClient;
    if (key === undefined || client === undefined) return;
    if (key === this.#loadedKey && client === this.#loadedClient) return;
    this.#loadedKey = key;
    this.#loadedClient = client;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.status = 'loading';
    this.failure = undefined;
    this.load(client, abort.signal).then(
      () => {
        if (!abort.signal.aborted) this.status = 'ready';
      },
      (error: unknown) => {
        if (abort.signal.aborted) return;
        this.reportFailure(failureOf(this.routeOfFailure(error), error));
      },
    );
  }

  /** The route a failed load called; elements that call several name it on the error they throw. */
  protected routeOfFailure(error: unknown): string {
    const routeId = (error as { kequnRouteId?: unknown } | null)?.kequnRouteId;
    return typeof routeId === 'string' ? routeId : this.localName;
  }

  protected reportFailure(failure: LoadFailure): void {
    this.status = 'error';
    this.failure = failure;
    this.emit('kq-error', { ...failure });
  }

  protected emit<Name extends KequnEventName>(name: Name, detail: KequnEventMap[Name]): boolean {
    return this.dispatchEvent(kequnEvent(name, detail));
  }

  protected text<Key extends string>(
    catalogue: Catalogue<Key>,
    key: Key,
    values?: Readonly<Record<string, string | number>>,
  ): string {
    return interpolate(catalogue[this.locale][key], values);
  }

  protected common(
    key: CommonMessageKey,
    values?: Readonly<Record<string, string | number>>,
  ): string {
    return this.text(commonMessages, key, values);
  }

  /** The status line every element shows while loading, without a client, or after a failure. */
  protected renderStatus(): TemplateResult | typeof nothing {
    if (this.status === 'loading') {
      return html`<p class="status" part="status" role="status">${this.common('loading')}</p>`;
    }
    if (this.status === 'error' && this.failure !== undefined) {
      const message = this.failure.status === 403 ? this.common('forbidden') : this.failure.message;
      return html`<div class="error" part="error" role="alert">
        <span>${this.common('failed', { message })}</span>
        <code>${this.failure.code}</code>
        <button type="button" part="retry-button" @click=${() => this.reload()}>
          ${this.common('retry')}
        </button>
      </div>`;
    }
    if (this.activeClient === undefined && this.loadKey() !== undefined && !this.hasData()) {
      return html`<p class="status" part="status">${this.common('noClient')}</p>`;
    }
    return nothing;
  }
}

/** Marks an error with the route whose call failed, so the element can say which one. */
export function withRoute<T>(routeId: string, promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    if (typeof error === 'object' && error !== null) {
      Object.defineProperty(error, 'kequnRouteId', { value: routeId, configurable: true });
    }
    throw error;
  });
}
