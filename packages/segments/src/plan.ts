// Lowering rules into one shared plan: a DAG of primitive tests and three-valued connectives.
// Identical sub-expressions across all segments become one node (hash-consing), so the fused pass
// computes, say, "AUM ≥ 500k" once per customer however many segments use it.
import { parseEpochDay, type AttributeDefinition } from '@kequn/core';
import type { Condition, EventAggregate, Period, Rule, SegmentDefinition } from './rule.js';
import type { AttributeCatalogue } from './typecheck.js';
import type { OperatorRegistry } from './operators.js';
import { SegmentError } from './errors.js';

/** Truth values as small integers: AND is min, OR is max, NOT is 2 − x (Kleene logic, like SQL). */
export const FALSE = 0;
export const UNKNOWN = 1;
export const TRUE = 2;
export type Truth = 0 | 1 | 2;

/** Bounds of a date test: fixed days, or a period relative to asOf resolved at evaluation. */
export type DayBounds =
  | { readonly type: 'fixed'; readonly from: number; readonly to: number }
  | { readonly type: 'last' | 'next'; readonly period: Period };

export interface NumberBounds {
  readonly lo: number;
  readonly hi: number;
  readonly loStrict: boolean;
  readonly hiStrict: boolean;
}

/** The primitive tests the back ends know; everything else is lowered onto these. */
export type Leaf =
  | ({ readonly kind: 'number'; readonly attribute: string } & NumberBounds)
  | { readonly kind: 'date'; readonly attribute: string; readonly bounds: DayBounds }
  | { readonly kind: 'codes'; readonly attribute: string; readonly match: 'in' | 'startsWith'; readonly values: readonly string[] }
  | { readonly kind: 'boolean'; readonly attribute: string; readonly value: boolean }
  | { readonly kind: 'members'; readonly attribute: string; readonly mode: 'any' | 'all' | 'empty'; readonly members: readonly string[] }
  | { readonly kind: 'isNull'; readonly attribute: string }
  | { readonly kind: 'anniversary'; readonly attribute: string; readonly days: number }
  | { readonly kind: 'ids'; readonly ids: readonly string[] }
  | ({ readonly kind: 'events'; readonly aggregate: Pick<EventAggregate, 'type' | 'where' | 'window' | 'measure'> } & NumberBounds)
  | { readonly kind: 'custom'; readonly attribute: string; readonly op: string; readonly operand: unknown }
  | { readonly kind: 'constant'; readonly value: Truth };

export type PlanNode =
  | { readonly kind: 'leaf'; readonly leaf: Leaf }
  | { readonly kind: 'and' | 'or'; readonly children: readonly number[] }
  | { readonly kind: 'not'; readonly child: number }
  /** A segment reference: true when the referenced root is true, else false (membership is two-valued). */
  | { readonly kind: 'member'; readonly child: number };

/** The rule tree with the plan node computing each rule node, for explain and sub-rule sizes. */
export interface LoweredRule {
  readonly path: string;
  readonly rule: Rule;
  readonly node: number;
  readonly children: readonly LoweredRule[];
}

export interface Plan {
  /** Children always come before their parents, so evaluating in order is safe. */
  readonly nodes: readonly PlanNode[];
  /** Segment id → lowered tree (its root node is the segment's membership). */
  readonly segments: ReadonlyMap<string, LoweredRule>;
}

const noBounds: NumberBounds = { lo: -Infinity, hi: Infinity, loStrict: false, hiStrict: false };

function orderedBounds(op: string, value: number | [number, number]): NumberBounds {
  if (Array.isArray(value)) return { ...noBounds, lo: value[0], hi: value[1] };
  switch (op) {
    case 'lt':
      return { ...noBounds, hi: value, hiStrict: true };
    case 'lte':
      return { ...noBounds, hi: value };
    case 'gt':
      return { ...noBounds, lo: value, loStrict: true };
    case 'gte':
      return { ...noBounds, lo: value };
    default:
      return { ...noBounds, lo: value, hi: value };
  }
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Lowest day a date column can hold above the null marker. */
const MIN_DAY = -2147483647;
const MAX_DAY = 2147483647;

function dayOf(value: unknown): number {
  return typeof value === 'string' ? (parseEpochDay(value) ?? NaN) : NaN;
}

function dayBounds(op: string, value: unknown): DayBounds {
  if (Array.isArray(value)) return { type: 'fixed', from: dayOf(value[0]), to: dayOf(value[1]) };
  const day = dayOf(value);
  switch (op) {
    case 'lt':
      return { type: 'fixed', from: MIN_DAY, to: day - 1 };
    case 'lte':
      return { type: 'fixed', from: MIN_DAY, to: day };
    case 'gt':
      return { type: 'fixed', from: day + 1, to: MAX_DAY };
    case 'gte':
      return { type: 'fixed', from: day, to: MAX_DAY };
    default:
      return { type: 'fixed', from: day, to: day };
  }
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map(String);
}

class PlanBuilder {
  readonly nodes: PlanNode[] = [];
  readonly #ids = new Map<string, number>();

  constructor(
    private readonly attributes: AttributeCatalogue,
    private readonly operators: OperatorRegistry,
  ) {}

  add(node: PlanNode): number {
    const key = JSON.stringify(node);
    const existing = this.#ids.get(key);
    if (existing !== undefined) return existing;
    this.nodes.push(node);
    this.#ids.set(key, this.nodes.length - 1);
    return this.nodes.length - 1;
  }

  leaf(leaf: Leaf): number {
    return this.add({ kind: 'leaf', leaf });
  }

  not(child: number): number {
    const inner = this.nodes[child];
    if (inner?.kind === 'not') return inner.child;
    return this.add({ kind: 'not', child });
  }

  /** and/or are commutative: children are sorted and de-duplicated so equal groups share a node. */
  connective(kind: 'and' | 'or', children: readonly number[]): number {
    const unique = [...new Set(children)].sort((a, b) => a - b);
    if (unique.length === 0) return this.leaf({ kind: 'constant', value: kind === 'and' ? 2 : 0 });
    if (unique.length === 1) return unique[0] ?? 0;
    return this.add({ kind, children: unique });
  }

  condition(condition: Condition): number {
    const definition = this.attributes.get(condition.attribute);
    if (definition === undefined) throw new SegmentError('KQ_SEGMENT_RULE_INVALID', `Unknown attribute "${condition.attribute}"; type-check the rule first.`);
    const { attribute, op, value } = condition;
    if (op === 'isNull') return this.leaf({ kind: 'isNull', attribute });
    if (op === 'isNotNull') return this.not(this.leaf({ kind: 'isNull', attribute }));
    // ne and notIn are the negation of eq and in: NOT keeps unknown unknown, as SQL's <> and NOT IN do.
    if (op === 'ne') return this.not(this.condition({ attribute, op: 'eq', value }));
    if (op === 'notIn') return this.not(this.condition({ attribute, op: 'in', value }));
    const contributed = this.operators.get(op)?.implementation;
    if (contributed !== undefined) return this.leaf({ kind: 'custom', attribute, op, operand: value });
    return this.typed(definition, op, value);
  }

  typed(definition: AttributeDefinition, op: string, value: unknown): number {
    const attribute = definition.id;
    switch (definition.type) {
      case 'number':
      case 'money':
        if (op === 'in') {
          return this.anyOf(
            value,
            (item) => this.leaf({ kind: 'number', attribute, ...orderedBounds('eq', Number(item)) }),
            () => this.leaf({ kind: 'number', attribute, ...noBounds, lo: Infinity, hi: -Infinity }),
          );
        }
        return this.leaf({ kind: 'number', attribute, ...orderedBounds(op, Array.isArray(value) ? [Number(value[0]), Number(value[1])] : Number(value)) });
      case 'date':
        return this.date(attribute, op, value);
      case 'enum':
      case 'string':
        return this.leaf({ kind: 'codes', attribute, match: op === 'startsWith' ? 'startsWith' : 'in', values: [...new Set(strings(value))].sort() });
      case 'boolean':
        return this.leaf({ kind: 'boolean', attribute, value: value === true });
      case 'set': {
        const mode = op === 'isEmpty' ? 'empty' : op === 'containsAll' ? 'all' : 'any';
        return this.leaf({ kind: 'members', attribute, mode, members: mode === 'empty' ? [] : [...new Set(strings(value))].sort() });
      }
    }
  }

  /**
   * `in` on numbers and dates: one equality per listed value. An empty list still yields unknown
   * for a null attribute (every condition on a null is unknown), so it becomes `nothing`, a test
   * with crossed bounds, rather than the constant FALSE.
   */
  anyOf(value: unknown, equality: (item: unknown) => number, nothing: () => number): number {
    const list: unknown[] = Array.isArray(value) ? value : [];
    if (list.length === 0) return nothing();
    return this.connective('or', list.map(equality));
  }

  date(attribute: string, op: string, value: unknown): number {
    if (op === 'withinLast' || op === 'withinNext') {
      return this.leaf({ kind: 'date', attribute, bounds: { type: op === 'withinLast' ? 'last' : 'next', period: value as Period } });
    }
    if (op === 'anniversaryWithin') return this.leaf({ kind: 'anniversary', attribute, days: (value as { days: number }).days });
    if (op === 'in') {
      return this.anyOf(
        value,
        (item) => this.leaf({ kind: 'date', attribute, bounds: dayBounds('eq', item) }),
        () => this.leaf({ kind: 'date', attribute, bounds: { type: 'fixed', from: 1, to: 0 } }),
      );
    }
    return this.leaf({ kind: 'date', attribute, bounds: dayBounds(op, value) });
  }
}

/** Lowers every segment into one plan; refuses reference cycles, naming the path (a → b → a). */
export function buildPlan(definitions: readonly SegmentDefinition[], attributes: AttributeCatalogue, operators: OperatorRegistry): Plan {
  const builder = new PlanBuilder(attributes, operators);
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));
  const lowered = new Map<string, LoweredRule>();
  const visiting: string[] = [];

  const lowerSegment = (id: string): LoweredRule => {
    const done = lowered.get(id);
    if (done !== undefined) return done;
    if (visiting.includes(id)) {
      const cycle = [...visiting.slice(visiting.indexOf(id)), id].join(' → ');
      throw new SegmentError('KQ_SEGMENT_CYCLE', `Segments reference each other in a cycle: ${cycle}. Remove one of the { segment } references.`);
    }
    const definition = byId.get(id);
    if (definition === undefined) throw new SegmentError('KQ_SEGMENT_UNKNOWN', `No segment "${id}" is defined; define it in the same engine or remove the reference.`);
    visiting.push(id);
    const tree = lowerRule(definition.rule, '');
    visiting.pop();
    lowered.set(id, tree);
    return tree;
  };

  const lowerRule = (rule: Rule, path: string): LoweredRule => {
    if ('all' in rule || 'any' in rule) {
      const key = 'all' in rule ? 'all' : 'any';
      const list = 'all' in rule ? rule.all : rule.any;
      const children = list.map((child, index) => lowerRule(child, join(join(path, key), index)));
      const node = builder.connective(key === 'all' ? 'and' : 'or', children.map((child) => child.node));
      return { path, rule, node, children };
    }
    if ('not' in rule) {
      const child = lowerRule(rule.not, join(path, 'not'));
      return { path, rule, node: builder.not(child.node), children: [child] };
    }
    if ('attribute' in rule) return { path, rule, node: builder.condition(rule), children: [] };
    if ('segment' in rule) {
      const target = lowerSegment(rule.segment);
      return { path, rule, node: builder.add({ kind: 'member', child: target.node }), children: [] };
    }
    if ('ids' in rule) return { path, rule, node: builder.leaf({ kind: 'ids', ids: [...new Set(rule.ids)].sort() }), children: [] };
    if ('events' in rule) {
      const { type, where, window, measure, op, value } = rule.events;
      const aggregate = { type, window, measure, ...(where === undefined ? {} : { where }) };
      const node = op === 'ne'
        ? builder.not(builder.leaf({ kind: 'events', aggregate, ...orderedBounds('eq', value) }))
        : builder.leaf({ kind: 'events', aggregate, ...orderedBounds(op, value) });
      return { path, rule, node, children: [] };
    }
    const { type, where, window, universe } = rule.noEvents;
    const universeTree = lowerRule(universe, join(join(path, 'noEvents'), 'universe'));
    const aggregate = { type, window, measure: 'count' as const, ...(where === undefined ? {} : { where }) };
    const someEvent = builder.leaf({ kind: 'events', aggregate, ...orderedBounds('gte', 1) });
    // "No event" is never unknown (a count is never null), so AND with the universe decides.
    const node = builder.connective('and', [builder.not(someEvent), universeTree.node]);
    return { path, rule, node, children: [universeTree] };
  };

  for (const definition of definitions) lowerSegment(definition.id);
  return { nodes: builder.nodes, segments: lowered };
}
