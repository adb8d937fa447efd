// A contribution point is a typed extension point: a key under `contributes` in a manifest, a zod
// schema for what a plugin declares there, and the kind of implementation it registers in
// `activate`. The kernel's own points are defined with the same function plugins use for theirs.
import { z } from 'zod';
import { localizedTextSchema, type LocalizedText } from '../model/localized-text.js';

export { localizedTextSchema, type LocalizedText };

export const contributionIdSchema = z
  .string()
  .regex(
    /^[a-z][a-zA-Z0-9]*([.:-][a-zA-Z0-9]+)*$/,
    'expected a contribution id such as "tiering", "featured-groups" or "tier.current"',
  );

/** What every declaration has: an id unique within its point. */
export interface ContributionDeclaration {
  id: string;
}

export interface ContributionPoint<
  Declaration extends ContributionDeclaration = ContributionDeclaration,
  Implementation = unknown,
> {
  readonly $$type: '@kequn/ContributionPoint';
  /** The key under `contributes`, e.g. `segmentStrategies`, or `acme.reportTemplates` for a plugin's own. */
  readonly id: string;
  /** Prefix of the derived activation events, e.g. `onSegmentStrategy` → `onSegmentStrategy:tiering`. */
  readonly activationEvent: string;
  readonly declaration: z.ZodType<Declaration>;
  /** Checks an implementation at registration; returns a problem sentence, or undefined when fine. */
  checkImplementation(implementation: unknown, declaration: Declaration): string | undefined;
  /** Phantom field: carries the implementation type for the type checker only. */
  readonly __implementation?: Implementation;
}

export function defineContributionPoint<
  Declaration extends ContributionDeclaration,
  Implementation = unknown,
>(options: {
  id: string;
  activationEvent: string;
  declaration: z.ZodType<Declaration>;
  checkImplementation?: (implementation: unknown, declaration: Declaration) => string | undefined;
}): ContributionPoint<Declaration, Implementation> {
  if (!/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/.test(options.id)) {
    throw new TypeError(
      `Contribution point id "${options.id}" must be camelCase, optionally namespaced (acme.reportTemplates).`,
    );
  }
  if (!/^on[A-Z][a-zA-Z0-9]*$/.test(options.activationEvent)) {
    throw new TypeError(
      `Activation event prefix "${options.activationEvent}" of point "${options.id}" must look like onSomething.`,
    );
  }
  return Object.freeze({
    $$type: '@kequn/ContributionPoint' as const,
    id: options.id,
    activationEvent: options.activationEvent,
    declaration: options.declaration,
    checkImplementation: options.checkImplementation ?? (() => undefined),
  });
}

export type DeclarationOf<P> = P extends ContributionPoint<infer D, unknown> ? D : never;
export type ImplementationOf<P> =
  P extends ContributionPoint<ContributionDeclaration, infer I> ? I : never;

/** Requires the named members of an implementation to be functions. */
export function requireMethods(...names: string[]) {
  return (implementation: unknown): string | undefined => {
    if (typeof implementation !== 'object' || implementation === null) {
      return `the implementation must be an object with ${names.map((n) => `${n}()`).join(', ')}`;
    }
    const missing = names.filter(
      (name) => typeof (implementation as Record<string, unknown>)[name] !== 'function',
    );
    if (missing.length === 0) return undefined;
    return `the implementation lacks ${missing.map((n) => `${n}()`).join(', ')}`;
  };
}
