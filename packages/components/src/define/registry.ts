// defineKequnElements: registers every element (or a chosen few) under a prefix. Calling it has
// side effects; importing it does not.
import { defineElement } from '../foundation/define.js';
import { kequnElements, type KequnElementName } from '../elements/index.js';

export interface DefineOptions {
  /** Tag prefix: `kq` gives `<kq-tier-pyramid>`, `acme` gives `<acme-tier-pyramid>`. */
  prefix?: string;
  /** Only these elements; all by default. */
  elements?: readonly KequnElementName[];
}

export class KequnDefineError extends Error {
  readonly code = 'KQ_COMPONENTS_INVALID_PREFIX';
}

const PREFIX = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

// A constructor can back one tag only, so a re-prefixed tag gets its own subclass, made once per
// tag so that calling defineKequnElements again is a no-op rather than a collision.
const subclasses = new Map<string, CustomElementConstructor>();

function constructorFor(
  tagName: string,
  name: KequnElementName,
  prefix: string,
): CustomElementConstructor {
  const base: CustomElementConstructor = kequnElements[name];
  if (prefix === 'kq') return base;
  const known = subclasses.get(tagName);
  if (known !== undefined) return known;
  const subclass = class extends base {};
  subclasses.set(tagName, subclass);
  return subclass;
}

/** Registers the elements; returns the tag name of each. Never throws on an existing tag. */
export function defineKequnElements(options: DefineOptions = {}): Record<KequnElementName, string> {
  const prefix = options.prefix ?? 'kq';
  if (!PREFIX.test(prefix)) {
    throw new KequnDefineError(
      `defineKequnElements: the prefix "${prefix}" is not a valid custom element prefix; use lower-case letters and digits, such as "acme".`,
    );
  }
  const names = options.elements ?? (Object.keys(kequnElements) as KequnElementName[]);
  const tags = {} as Record<KequnElementName, string>;
  for (const name of names) {
    const tagName = `${prefix}-${name}`;
    defineElement(tagName, constructorFor(tagName, name, prefix));
    tags[name] = tagName;
  }
  return tags;
}
