// Per-row UI state (working, failed, a form open…) kept in an immutable map: a new map on every
// change, so Lit sees the reactive property change and re-renders the row.

/** `rows` with `id` set to `state`, or without `id` when `state` is undefined. */
export function withRowState<State>(
  rows: ReadonlyMap<string, State>,
  id: string,
  state: State | undefined,
): ReadonlyMap<string, State> {
  const next = new Map(rows);
  if (state === undefined) next.delete(id);
  else next.set(id, state);
  return next;
}

/**
 * Once `host` has rendered its pending change, focuses what `selector` finds in its shadow root:
 * the keyboard follows a row whose form opened or closed, or whose status note appeared.
 */
export async function focusAfterUpdate(
  host: { readonly updateComplete: Promise<boolean>; readonly renderRoot: ParentNode },
  selector: string,
): Promise<void> {
  await host.updateComplete;
  host.renderRoot.querySelector<HTMLElement>(selector)?.focus();
}
