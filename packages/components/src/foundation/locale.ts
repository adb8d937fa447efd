// Locale of an element: its own `lang`, the closest ancestor with `lang` (across shadow roots),
// then `<html lang>`. Deliberately not @lit/localize: that runtime is one locale per page, and a
// portal may show a Chinese and an English widget side by side.
export type KequnLocale = 'zh-CN' | 'en';

export const kequnLocales: readonly KequnLocale[] = ['zh-CN', 'en'];

/** `zh`, `zh-Hans`, `zh-CN` → zh-CN; any other tag → en; empty → undefined (keep looking). */
export function normalizeLocale(tag: string | null | undefined): KequnLocale | undefined {
  if (tag === null || tag === undefined || tag.trim() === '') return undefined;
  return tag.trim().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function parentAcrossShadow(node: Element): Element | null {
  if (node.parentElement !== null) return node.parentElement;
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

export function resolveLocale(element: Element): KequnLocale {
  for (let node: Element | null = element; node !== null; node = parentAcrossShadow(node)) {
    const locale = normalizeLocale(node.getAttribute('lang'));
    if (locale !== undefined) return locale;
  }
  return normalizeLocale(document.documentElement.getAttribute('lang')) ?? 'zh-CN';
}

/** Something told when a `lang` attribute changes anywhere in the document. */
export interface LocaleListener {
  refreshLocale(): void;
}

const listeners = new Set<LocaleListener>();
let observer: MutationObserver | undefined;

/**
 * One observer for the whole page, started by the first connected element: `lang` changes are rare,
 * and a portal switching language flips `<html lang>` once for every widget.
 */
export function watchLocale(listener: LocaleListener): void {
  listeners.add(listener);
  if (observer !== undefined) return;
  observer = new MutationObserver(() => {
    for (const each of listeners) each.refreshLocale();
  });
  observer.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['lang'],
    subtree: true,
  });
}

export function unwatchLocale(listener: LocaleListener): void {
  listeners.delete(listener);
  if (listeners.size > 0 || observer === undefined) return;
  observer.disconnect();
  observer = undefined;
}
