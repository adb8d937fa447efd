// Small DOM helpers for the portal's layout: the kq-* elements do the real work.
import { t, type TextKey } from './texts.js';

/** Finds a required element of a page template; a missing one is a bug in the template. */
export function required<T extends Element>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (found === null) throw new Error(`The playground page has no ${selector}.`);
  return found;
}

/** Fills every `[data-text]` under root with the current locale's words. */
export function applyTexts(root: ParentNode): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-text]')) {
    element.textContent = t(element.dataset['text'] as TextKey);
  }
}

/** A panel: a heading and content, the one layout block of every page. */
export function panel(textKey: TextKey, content: string, className = ''): string {
  return `<section class="panel ${className}"><h2 data-text="${textKey}"></h2>${content}</section>`;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
