// Events after VS Code's event.ts: an Event<T> is a function you call to subscribe, and it returns
// a Disposable. Listeners are isolated: one that throws (or rejects) is reported with its owner,
// and the others still run.
import { EventEmitter } from 'eventemitter3';
import { emptyDisposable, toDisposable, type Disposable } from './lifecycle.js';
import { KequnError, describeError } from './errors.js';

export type Listener<T> = (event: T) => unknown;

export interface SubscribeOptions {
  /** Who subscribed: a plugin id. Used to attribute listener failures. */
  owner?: string;
  /** Add the subscription to this store so it is disposed with its owner. */
  disposables?: { add(d: Disposable): Disposable };
}

export type Event<T> = (listener: Listener<T>, options?: SubscribeOptions) => Disposable;

/** Called when a listener throws; the default logs to the console. */
export type ListenerErrorHandler = (error: KequnError) => void;

const defaultListenerErrorHandler: ListenerErrorHandler = (error) => console.error(error);

function invokeIsolated<T>(
  listener: Listener<T>,
  payload: T,
  eventName: string,
  owner: string | undefined,
  onError: ListenerErrorHandler,
): void {
  const report = (cause: unknown): void => {
    const who = owner === undefined ? 'a listener' : `a listener of plugin "${owner}"`;
    onError(
      new KequnError(
        'KQ_EVENT_LISTENER_FAILED',
        `${who} for "${eventName}" failed: ${describeError(cause)}. The other listeners still ran.`,
        { cause, ...(owner === undefined ? {} : { pluginId: owner }), hook: eventName },
      ),
    );
  };
  try {
    const result = listener(payload);
    if (result instanceof Promise) result.catch(report);
  } catch (error) {
    report(error);
  }
}

/** A typed single-event emitter. */
export class Emitter<T> {
  readonly #emitter = new EventEmitter();
  #disposed = false;

  constructor(
    private readonly name = 'event',
    private readonly onListenerError: ListenerErrorHandler = defaultListenerErrorHandler,
  ) {}

  readonly event: Event<T> = (listener, options = {}) => {
    if (this.#disposed) return emptyDisposable;
    const wrapped = (payload: T): void =>
      invokeIsolated(listener, payload, this.name, options.owner, this.onListenerError);
    this.#emitter.on('fire', wrapped);
    const subscription = toDisposable(() => {
      this.#emitter.off('fire', wrapped);
    });
    options.disposables?.add(subscription);
    return subscription;
  };

  fire(payload: T): void {
    if (this.#disposed) return;
    this.#emitter.emit('fire', payload);
  }

  get listenerCount(): number {
    return this.#emitter.listenerCount('fire');
  }

  dispose(): void {
    this.#disposed = true;
    this.#emitter.removeAllListeners();
  }
}

/**
 * A bus of named, typed events (`customer.upserted`, `tier.changed`, …). The map type is open to
 * declaration merging, so a plugin can add its own events to `KequnEventMap`.
 */
export class EventBus<EventMap extends object> {
  readonly #emitter = new EventEmitter();

  constructor(
    private readonly onListenerError: ListenerErrorHandler = defaultListenerErrorHandler,
  ) {}

  on<K extends keyof EventMap & string>(
    name: K,
    listener: Listener<EventMap[K]>,
    options: SubscribeOptions = {},
  ): Disposable {
    const wrapped = (payload: EventMap[K]): void =>
      invokeIsolated(listener, payload, name, options.owner, this.onListenerError);
    this.#emitter.on(name, wrapped);
    const subscription = toDisposable(() => {
      this.#emitter.off(name, wrapped);
    });
    options.disposables?.add(subscription);
    return subscription;
  }

  /** The subscribe function for one event name, as an Event<T>. */
  event<K extends keyof EventMap & string>(name: K): Event<EventMap[K]> {
    return (listener, options) => this.on(name, listener, options);
  }

  emit<K extends keyof EventMap & string>(name: K, payload: EventMap[K]): void {
    this.#emitter.emit(name, payload);
  }

  listenerCount(name: keyof EventMap & string): number {
    return this.#emitter.listenerCount(name);
  }

  dispose(): void {
    this.#emitter.removeAllListeners();
  }
}
