// Where the managed book keeps its aggregates. The memory store serves tests; the SQL store runs on
// any SqlExecutor of @kequn/core, so SQLite and PostgreSQL share one implementation.
import type { AllocationRun, Assignment, ContactState, HandoffCase, HandoffStatus } from '../records.js';

export interface BookStore {
  saveRun(run: AllocationRun): Promise<void>;
  getRun(id: string): Promise<AllocationRun | undefined>;
  /** Runs in id order. */
  listRuns(): Promise<AllocationRun[]>;
  saveHandoff(handoff: HandoffCase): Promise<void>;
  getHandoff(id: string): Promise<HandoffCase | undefined>;
  /** Cases in id order, optionally of one status or one customer. */
  listHandoffs(filter?: { status?: HandoffStatus; customerId?: string }): Promise<HandoffCase[]>;
  saveContactStates(states: readonly ContactState[]): Promise<void>;
  getContactState(customerId: string): Promise<ContactState | undefined>;
  /** The states of one manager's customers, in customer id order. */
  listContactStates(managerId: string): Promise<ContactState[]>;
  /** Append-only; an assignment with the same customer and reference is kept as it was. */
  appendAssignments(assignments: readonly Assignment[]): Promise<void>;
  /** The customer's assignments in the order they took effect. */
  assignmentsOf(customerId: string): Promise<Assignment[]>;
}
