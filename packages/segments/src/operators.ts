// The operators a rule may use: the built-ins and those plugins contribute through core's
// `operatorsPoint`. Both are looked up the same way, so a contributed operator works like a built-in.
import type { AttributeType, OperatorDeclaration, OperatorImplementation } from '@kequn/core';
import type { BuiltInOperatorId, SqlOperator } from './rule.js';

/** The shape of operand an operator takes; the type checker validates `value` against it. */
export type OperandShape =
  | 'none'
  | 'scalar'
  | 'scalarList'
  | 'orderedScalar'
  | 'orderedPair'
  | 'text'
  | 'member'
  | 'memberList'
  | 'period'
  | 'dayPeriod'
  | 'custom';

export interface OperatorEntry {
  readonly id: string;
  readonly appliesTo: readonly AttributeType[];
  readonly operand: OperandShape;
  /** Set for contributed operators; built-ins are compiled by the engine itself. */
  readonly implementation?: OperatorImplementation & SqlOperator;
}

const scalarTypes: AttributeType[] = ['number', 'money', 'date', 'enum', 'string', 'boolean'];
const orderedTypes: AttributeType[] = ['number', 'money', 'date'];
const listTypes: AttributeType[] = ['number', 'money', 'date', 'enum', 'string'];
const allTypes: AttributeType[] = [...scalarTypes, 'set'];

const builtIns: Record<BuiltInOperatorId, Omit<OperatorEntry, 'id'>> = {
  eq: { appliesTo: scalarTypes, operand: 'scalar' },
  ne: { appliesTo: scalarTypes, operand: 'scalar' },
  lt: { appliesTo: orderedTypes, operand: 'orderedScalar' },
  lte: { appliesTo: orderedTypes, operand: 'orderedScalar' },
  gt: { appliesTo: orderedTypes, operand: 'orderedScalar' },
  gte: { appliesTo: orderedTypes, operand: 'orderedScalar' },
  between: { appliesTo: orderedTypes, operand: 'orderedPair' },
  in: { appliesTo: listTypes, operand: 'scalarList' },
  notIn: { appliesTo: listTypes, operand: 'scalarList' },
  startsWith: { appliesTo: ['string', 'enum'], operand: 'text' },
  contains: { appliesTo: ['set'], operand: 'member' },
  containsAny: { appliesTo: ['set'], operand: 'memberList' },
  containsAll: { appliesTo: ['set'], operand: 'memberList' },
  isEmpty: { appliesTo: ['set'], operand: 'none' },
  isNull: { appliesTo: allTypes, operand: 'none' },
  isNotNull: { appliesTo: allTypes, operand: 'none' },
  withinLast: { appliesTo: ['date'], operand: 'period' },
  withinNext: { appliesTo: ['date'], operand: 'period' },
  anniversaryWithin: { appliesTo: ['date'], operand: 'dayPeriod' },
};

export function isBuiltInOperator(id: string): id is BuiltInOperatorId {
  return Object.hasOwn(builtIns, id);
}

/** The operators known to one engine. Contributed ones may not shadow built-ins. */
export class OperatorRegistry {
  readonly #contributed = new Map<string, OperatorEntry>();

  /** Adds a contributed operator: its manifest declaration and its implementation. */
  register(declaration: OperatorDeclaration, implementation: OperatorImplementation & SqlOperator): void {
    if (isBuiltInOperator(declaration.id) || this.#contributed.has(declaration.id)) {
      throw new TypeError(
        `The operator "${declaration.id}" is already defined; give the contributed operator its own id (e.g. "acme.${declaration.id}").`,
      );
    }
    this.#contributed.set(declaration.id, {
      id: declaration.id,
      appliesTo: declaration.appliesTo,
      operand: 'custom',
      implementation,
    });
  }

  get(id: string): OperatorEntry | undefined {
    if (isBuiltInOperator(id)) return { id, ...builtIns[id] };
    return this.#contributed.get(id);
  }

  /** Every operator id, built-ins first, for pickers and error hints. */
  ids(): string[] {
    return [...Object.keys(builtIns), ...this.#contributed.keys()];
  }

  /** Operators usable on an attribute type, for a rule builder's operator picker. */
  forType(type: AttributeType): string[] {
    return this.ids().filter((id) => this.get(id)?.appliesTo.includes(type) === true);
  }
}

/** A registry holding the built-ins and every operator the kernel's plugins contribute. */
export async function operatorsOf(kernel: {
  operators: { all(): Promise<Array<{ declaration: OperatorDeclaration; implementation: OperatorImplementation }>> };
}): Promise<OperatorRegistry> {
  const registry = new OperatorRegistry();
  for (const { declaration, implementation } of await kernel.operators.all()) registry.register(declaration, implementation);
  return registry;
}
