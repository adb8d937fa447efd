// Rule-based segment strategies: what a plugin registers on core's `segmentStrategiesPoint` when
// its segments are rules. The engine is compiled on first use against the table's own attributes
// (so attributes contributed by other plugins or registered at run time are usable) and reused.
import type { ColumnarTable, Customer, SegmentDescriptor, SegmentMemberships, SegmentStrategy } from '@kequn/core';
import { createSegmentEngine, tableAttributes, type SegmentEngine } from './engine.js';
import type { EventStore } from './event-store.js';
import type { OperatorRegistry } from './operators.js';
import type { BackendName } from './backend.js';
import type { SegmentDefinition } from './rule.js';

/**
 * Makes segments mutually exclusive in priority order: each segment's rule also requires not
 * being in any earlier one (segment references are two-valued, so the exclusion is exact).
 */
export function exclusiveInOrder(definitions: readonly SegmentDefinition[]): SegmentDefinition[] {
  return definitions.map((definition, index) => {
    if (index === 0) return definition;
    const earlier = definitions.slice(0, index).map((previous) => ({ not: { segment: previous.id } }));
    return { ...definition, rule: { all: [definition.rule, ...earlier] } };
  });
}

export interface RuleStrategyOptions {
  segments: readonly (SegmentDefinition & { label: NonNullable<SegmentDefinition['label']> })[];
  /** Priority order decides: a customer is in the first segment whose rule holds. */
  exclusive?: boolean;
  operators?: OperatorRegistry;
  events?: EventStore;
  backend?: BackendName | 'auto';
}

export interface RuleStrategy extends SegmentStrategy {
  /** The engine compiled for a table (for explain, sizes, incremental updates). */
  engineFor(table: ColumnarTable<unknown>): SegmentEngine;
}

export function createRuleStrategy(options: RuleStrategyOptions): RuleStrategy {
  const definitions = options.exclusive === true ? exclusiveInOrder(options.segments) : [...options.segments];
  const engines = new WeakMap<ColumnarTable<unknown>, SegmentEngine>();
  const engineFor = (table: ColumnarTable<unknown>): SegmentEngine => {
    let engine = engines.get(table);
    if (engine === undefined) {
      engine = createSegmentEngine({
        segments: definitions,
        attributes: tableAttributes(table),
        ...(options.operators === undefined ? {} : { operators: options.operators }),
        ...(options.events === undefined ? {} : { events: options.events }),
        ...(options.backend === undefined ? {} : { backend: options.backend }),
      });
      engines.set(table, engine);
    }
    return engine;
  };
  return {
    segments: (): readonly SegmentDescriptor[] => options.segments.map(({ id, label }) => ({ id, label })),
    evaluate: (table: ColumnarTable<Customer>): SegmentMemberships => engineFor(table).evaluate(table),
    engineFor,
  };
}
