// Registering tags. Only the define entry points (src/define/*) and defineKequnElements call this.
// Registration is idempotent and never throws on a collision: a portal (or two micro-frontends)
// may load the package twice, and the first copy keeps the tag while the second warns.
import { KEQUN_COMPONENTS_VERSION } from './version.js';

function versionOf(constructor: CustomElementConstructor): string {
  const version = (constructor as { kequnVersion?: unknown }).kequnVersion;
  return typeof version === 'string' ? `@kequn/components ${version}` : 'another library';
}

/** Defines `tagName` unless it is defined; returns whether this call defined it. */
export function defineElement(tagName: string, constructor: CustomElementConstructor): boolean {
  if (typeof customElements === 'undefined') return false;
  const existing = customElements.get(tagName);
  if (existing === constructor) return false;
  if (existing !== undefined) {
    console.warn(
      `<${tagName}> is already defined by ${versionOf(existing)}; this copy ` +
        `(@kequn/components ${KEQUN_COMPONENTS_VERSION}) left it alone. Load one copy of the ` +
        `package, or register this one under another prefix with defineKequnElements({ prefix }).`,
    );
    return false;
  }
  customElements.define(tagName, constructor);
  return true;
}
