// Reading segment memberships from the kernel's customer model, through its public API only: the
// ABCD classes (plugin `abcd`) and the dormant flag (plugin `dormant`) become plain inputs of the plan.
import type { CustomerModel } from '@kequn/core';
import { abcdClassIds, type AbcdClass } from './settings.js';

function isAbcdClass(value: string): value is AbcdClass {
  return (abcdClassIds as readonly string[]).includes(value);
}

/** Customer id → ABCD class, from a strategy whose segments are `a`…`d` (default `abcd`). */
export async function classesFromModel(model: CustomerModel, strategyId = 'abcd'): Promise<Map<string, AbcdClass>> {
  const memberships = await model.evaluate(strategyId);
  const classes = new Map<string, AbcdClass>();
  for (const [segmentId, members] of memberships) {
    const classId = segmentId.toLowerCase();
    if (!isAbcdClass(classId)) continue;
    for (const index of members) {
      const customerId = model.table.idAt(index);
      if (!classes.has(customerId)) classes.set(customerId, classId);
    }
  }
  return classes;
}

/** The ids of one segment's members, e.g. `segmentMembers(model, 'dormant', 'dormant')`. */
export async function segmentMembers(model: CustomerModel, strategyId: string, segmentId: string): Promise<Set<string>> {
  const members = (await model.evaluate(strategyId)).get(segmentId);
  const ids = new Set<string>();
  if (members === undefined) return ids;
  for (const index of members) ids.add(model.table.idAt(index));
  return ids;
}
