// Keeping a strategy's memberships current: customers the model upserts or removes are
// re-evaluated alone, and `segment.membershipChanged` tells the rest of the kernel who moved.
import type { ColumnarTable, Disposable, EventBus, KequnEventMap } from '@kequn/core';
import { DisposableStore } from '@kequn/core';
import type { MembershipChange, SegmentEngine } from './engine.js';

export interface WatchOptions {
  /** The kernel's event bus (`kernel.events` or a plugin's `context.events`). */
  events: Pick<EventBus<KequnEventMap>, 'on' | 'emit'>;
  engine: SegmentEngine;
  /** The strategy id reported in `segment.membershipChanged`. */
  strategyId: string;
  /** The current table (read at each change: the model may have reloaded). */
  table: () => ColumnarTable<unknown>;
}

/** Emits one `segment.membershipChanged` per segment whose members changed. */
export function emitMembershipChanges(events: Pick<EventBus<KequnEventMap>, 'emit'>, strategyId: string, changes: readonly MembershipChange[]): void {
  for (const change of changes) events.emit('segment.membershipChanged', { strategyId, segmentId: change.segmentId, entered: change.entered, exited: change.exited });
}

/**
 * Re-evaluates each upserted or removed customer as it happens. The engine must have evaluated the
 * table once first. Dispose the result to stop.
 */
export function watchCustomerChanges(options: WatchOptions): Disposable {
  const store = new DisposableStore();
  const refresh = (customerId: string): void => {
    emitMembershipChanges(options.events, options.strategyId, options.engine.update(options.table(), [customerId]));
  };
  store.add(options.events.on('customer.upserted', (event) => refresh(event.customerId)));
  store.add(options.events.on('customer.removed', (event) => refresh(event.customerId)));
  return store;
}
