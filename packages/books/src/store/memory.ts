// The in-memory book store, for unit tests and one-off runs. Records are copied in and out, so a
// caller mutating what it got back cannot change what is stored.
import type { AllocationRun, Assignment, ContactState, HandoffCase } from '../records.js';
import type { BookStore } from './port.js';

/** Records are plain JSON documents, so a JSON round trip is a deep copy. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function byKey<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, value]) => copy(value));
}

export function createMemoryBookStore(): BookStore {
  const runs = new Map<string, AllocationRun>();
  const handoffs = new Map<string, HandoffCase>();
  const states = new Map<string, ContactState>();
  const assignments: Assignment[] = [];
  return {
    async saveRun(run) {
      runs.set(run.id, copy(run));
    },
    async getRun(id) {
      const run = runs.get(id);
      return run === undefined ? undefined : copy(run);
    },
    async listRuns() {
      return byKey(runs);
    },
    async saveHandoff(handoff) {
      handoffs.set(handoff.id, copy(handoff));
    },
    async getHandoff(id) {
      const handoff = handoffs.get(id);
      return handoff === undefined ? undefined : copy(handoff);
    },
    async listHandoffs(filter) {
      return byKey(handoffs).filter(
        (handoff) =>
          (filter?.status === undefined || handoff.status === filter.status) &&
          (filter?.customerId === undefined || handoff.customerId === filter.customerId),
      );
    },
    async saveContactStates(list) {
      for (const state of list) states.set(state.customerId, copy(state));
    },
    async getContactState(customerId) {
      const state = states.get(customerId);
      return state === undefined ? undefined : copy(state);
    },
    async listContactStates(managerId) {
      return byKey(states).filter((state) => state.managerId === managerId);
    },
    async appendAssignments(list) {
      for (const assignment of list) {
        const known = assignments.some((kept) => kept.customerId === assignment.customerId && kept.reference === assignment.reference);
        if (!known) assignments.push(copy(assignment));
      }
    },
    async assignmentsOf(customerId) {
      return assignments
        .filter((assignment) => assignment.customerId === customerId)
        .sort((a, b) => Date.parse(a.effectiveAt) - Date.parse(b.effectiveAt))
        .map(copy);
    },
  };
}
