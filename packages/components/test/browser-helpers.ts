// Shared by the browser tests: a typed client with a dev token for a demo role, mounting elements
// in a locale, waiting for them to settle, and axe-core with the WCAG 2.1 AA tags.
import axe from 'axe-core';
import { inject } from 'vitest';
import { createKequnClient, type KequnClient } from '@kequn/client';

export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const tokens = new Map<string, Promise<string>>();

export type DemoRole =
  'head_office' | 'manager' | 'analyst' | 'branch_head' | 'operations_manager' | 'auditor';

/** Who the token is for beyond the role: a branch role's branch, a manager's id, a fixed user id. */
export interface DemoUser {
  managerId?: string;
  branchId?: string;
  userId?: string;
}

export function devToken(role: DemoRole, user: DemoUser | string = {}): Promise<string> {
  const who = typeof user === 'string' ? { managerId: user } : user;
  const key = `${role}|${who.managerId ?? ''}|${who.branchId ?? ''}|${who.userId ?? ''}`;
  let token = tokens.get(key);
  if (token === undefined) {
    token = fetch(`${inject('kequnUrl')}/auth/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role, ...who }),
    })
      .then((response) => response.json() as Promise<{ token: string }>)
      .then((answer) => answer.token);
    tokens.set(key, token);
  }
  return token;
}

export async function clientFor(
  role: DemoRole = 'head_office',
  user: DemoUser = {},
): Promise<KequnClient> {
  const token = await devToken(role, user);
  return createKequnClient({ baseUrl: inject('kequnUrl'), token });
}

/** Appends `markup` in a container with `lang`, and returns the first element matching `selector`. */
export function mount<E extends Element>(markup: string, selector: string, lang = 'zh-CN'): E {
  const container = document.createElement('div');
  container.setAttribute('lang', lang);
  container.innerHTML = markup;
  document.body.append(container);
  const element = container.querySelector<E>(selector);
  if (element === null) throw new Error(`mount: nothing matches ${selector}`);
  return element;
}

export function cleanup(): void {
  document.body.replaceChildren();
}

/** Polls until `check` returns a value other than undefined/false (the elements load asynchronously). */
export async function until<T>(
  check: () => T | undefined | false | null,
  what: string,
  tries = 200,
): Promise<T> {
  for (let attempt = 0; attempt < tries; attempt += 1) {
    const value = check();
    if (value !== undefined && value !== false && value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/**
 * Mounts a single `<tag>` in `lang`, gives it a head-office client and waits until `parts` in its
 * shadow root number `count` (its data has rendered).
 */
export async function mountLoaded<E extends Element>(
  tag: string,
  lang: string,
  parts: string,
  count: number,
  what: string,
): Promise<E> {
  const element = mount<E & { client: unknown }>(`<${tag}></${tag}>`, tag, lang);
  element.client = await clientFor();
  await until(() => shadow(element).querySelectorAll(`[part~="${parts}"]`).length === count, what);
  return element;
}

export function shadow(element: Element): ShadowRoot {
  const root = element.shadowRoot;
  if (root === null) throw new Error(`${element.localName} has no shadow root`);
  return root;
}

/** Runs axe on `element` (shadow DOM included); returns the violations as readable lines. */
export async function axeViolations(element: Element): Promise<string[]> {
  const results = await axe.run(element, { runOnly: { type: 'tag', values: wcagTags } });
  return results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} — ${violation.nodes
        .map((node) => `${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`)
        .join(' | ')}`,
  );
}

export function nextEvent<T extends Event>(target: EventTarget, name: string): Promise<T> {
  return new Promise((resolve) =>
    target.addEventListener(name, (event) => resolve(event as T), { once: true }),
  );
}
