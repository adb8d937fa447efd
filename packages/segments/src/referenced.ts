// The attributes a set of segments reads, so a table can be built with those columns only.
import type { Rule, SegmentDefinition } from './rule.js';

function collect(rule: Rule, into: Set<string>): void {
  if ('all' in rule) for (const child of rule.all) collect(child, into);
  else if ('any' in rule) for (const child of rule.any) collect(child, into);
  else if ('not' in rule) collect(rule.not, into);
  else if ('attribute' in rule) into.add(rule.attribute);
  else if ('noEvents' in rule) collect(rule.noEvents.universe, into);
}

/**
 * Every attribute id the segments' rules read, sorted. Segment references need nothing more (the
 * referenced segment is in the same list); events are read from the EventStore, not the table.
 * Pass it to `customerModel.load(customers, { asOf, attributes })` to leave the other columns out.
 */
export function referencedAttributes(segments: readonly SegmentDefinition[]): string[] {
  const attributes = new Set<string>();
  for (const segment of segments) collect(segment.rule, attributes);
  return [...attributes].sort();
}
