// The attribute registry: which attributes exist, who registered them, and a change hook so the
// table and the rule editor can follow attributes that plugins add or take away at run time.
import type { Disposable } from '../kernel/lifecycle.js';
import { toDisposable } from '../kernel/lifecycle.js';
import { closestMatch } from './closest.js';
import { attributeDefinitionSchema } from './definition.js';
import { AttributeError } from './errors.js';
import type { AttributeSource } from './value.js';

export interface AttributeRegistrationOptions {
  /** Who registers the attribute (a plugin name); named in duplicate errors. */
  readonly owner?: string;
}

interface Registration<Row> {
  readonly source: AttributeSource<Row>;
  readonly owner: string | undefined;
}

function describeOwner(owner: string | undefined): string {
  return owner === undefined ? 'an earlier registration' : `"${owner}"`;
}

function idForMessage(source: unknown): string {
  const id =
    typeof source === 'object' && source !== null ? (source as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : '(missing id)';
}

/** Throws `KQ_ATTRIBUTE_INVALID` naming the attribute and each zod path that failed. */
export function assertValidDefinition(source: unknown): void {
  const result = attributeDefinitionSchema.safeParse(source);
  if (result.success) return;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(definition)';
    return `${path}: ${issue.message}`;
  });
  throw new AttributeError(
    'KQ_ATTRIBUTE_INVALID',
    `Attribute "${idForMessage(source)}" has an invalid definition: ${problems.join('; ')}.`,
  );
}

export class AttributeRegistry<Row> {
  readonly #registrations = new Map<string, Registration<Row>>();
  readonly #listeners = new Set<() => void>();

  /**
   * Adds an attribute after validating its definition. Disposing the result removes it again
   * (only if it is still this registration).
   */
  register(source: AttributeSource<Row>, options: AttributeRegistrationOptions = {}): Disposable {
    assertValidDefinition(source);
    const existing = this.#registrations.get(source.id);
    if (existing !== undefined) {
      throw new AttributeError(
        'KQ_ATTRIBUTE_DUPLICATE',
        `Attribute "${source.id}" is already registered by ${describeOwner(existing.owner)}; ` +
          `${describeOwner(options.owner)} tried to register it again. ` +
          'Choose another id (prefix it with your plugin name) or dispose the first registration.',
      );
    }
    const registration: Registration<Row> = { source, owner: options.owner };
    this.#registrations.set(source.id, registration);
    this.#notify();
    return toDisposable(() => {
      if (this.#registrations.get(source.id) !== registration) return;
      this.#registrations.delete(source.id);
      this.#notify();
    });
  }

  get(id: string): AttributeSource<Row> | undefined {
    return this.#registrations.get(id)?.source;
  }

  /** Like `get`, but throws `KQ_ATTRIBUTE_UNKNOWN` and suggests the closest known id. */
  require(id: string): AttributeSource<Row> {
    const source = this.get(id);
    if (source !== undefined) return source;
    const suggestion = closestMatch(id, this.#registrations.keys());
    const hint =
      suggestion === undefined
        ? 'No attributes are registered yet.'
        : `Did you mean "${suggestion}"?`;
    throw new AttributeError(
      'KQ_ATTRIBUTE_UNKNOWN',
      `Unknown attribute "${id}". ${hint} Attributes must be registered before rules or tables use them.`,
    );
  }

  has(id: string): boolean {
    return this.#registrations.has(id);
  }

  /** The registered attributes in registration order. */
  list(): readonly AttributeSource<Row>[] {
    return [...this.#registrations.values()].map((registration) => registration.source);
  }

  /** Who registered an attribute, if an owner was given. */
  ownerOf(id: string): string | undefined {
    return this.#registrations.get(id)?.owner;
  }

  /** Called after every registration and removal. */
  onDidChange(listener: () => void): Disposable {
    // Wrapped so that subscribing the same function twice gives two independent subscriptions.
    const subscription = (): void => listener();
    this.#listeners.add(subscription);
    return toDisposable(() => {
      this.#listeners.delete(subscription);
    });
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        // A failing listener must not undo a registration that already happened, nor starve the others.
        console.error('An attribute registry change listener failed:', error);
      }
    }
  }
}
