// The book store over core's SqlExecutor: the same SQL on SQLite and PostgreSQL. Aggregates travel as
// JSON documents beside the columns queries filter on, and are validated when read back.
import type { SqlExecutor, SqlRow } from '@kequn/core';
import type { z } from 'zod';
import { allocationRunSchema, assignmentSchema, contactStateSchema, handoffCaseSchema } from '../records.js';
import type { BookStore } from './port.js';

function decode<T>(schema: z.ZodType<T>, rows: readonly SqlRow[]): T[] {
  return rows.map((row) => {
    const document = row['document'];
    return schema.parse(typeof document === 'string' ? JSON.parse(document) : document);
  });
}

/** Call `migrateBookStore(sql, at)` once before using the store. */
export function createSqlBookStore(sql: SqlExecutor): BookStore {
  return {
    async saveRun(run) {
      await sql.bulkWrite({ table: 'book_allocation_runs', columns: ['id', 'month', 'status', 'document'], key: ['id'], mode: 'upsert', rows: [[run.id, run.month, run.status, JSON.stringify(run)]] });
    },
    async getRun(id) {
      return decode(allocationRunSchema, await sql.query('SELECT document FROM book_allocation_runs WHERE id = $1', [id]))[0];
    },
    async listRuns() {
      return decode(allocationRunSchema, await sql.query('SELECT document FROM book_allocation_runs ORDER BY id'));
    },
    async saveHandoff(handoff) {
      await sql.bulkWrite({
        table: 'book_handoffs',
        columns: ['id', 'customer_id', 'status', 'document'],
        key: ['id'],
        mode: 'upsert',
        rows: [[handoff.id, handoff.customerId, handoff.status, JSON.stringify(handoff)]],
      });
    },
    async getHandoff(id) {
      return decode(handoffCaseSchema, await sql.query('SELECT document FROM book_handoffs WHERE id = $1', [id]))[0];
    },
    async listHandoffs(filter) {
      const conditions: string[] = [];
      const params: string[] = [];
      if (filter?.status !== undefined) {
        params.push(filter.status);
        conditions.push(`status = $${params.length}`);
      }
      if (filter?.customerId !== undefined) {
        params.push(filter.customerId);
        conditions.push(`customer_id = $${params.length}`);
      }
      const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
      return decode(handoffCaseSchema, await sql.query(`SELECT document FROM book_handoffs ${where} ORDER BY id`, params));
    },
    async saveContactStates(states) {
      if (states.length === 0) return;
      const rows = states.map((state) => [state.customerId, state.managerId, JSON.stringify(state)]);
      await sql.bulkWrite({ table: 'book_contact_states', columns: ['customer_id', 'manager_id', 'document'], key: ['customer_id'], mode: 'upsert', rows });
    },
    async getContactState(customerId) {
      return decode(contactStateSchema, await sql.query('SELECT document FROM book_contact_states WHERE customer_id = $1', [customerId]))[0];
    },
    async listContactStates(managerId) {
      return decode(contactStateSchema, await sql.query('SELECT document FROM book_contact_states WHERE manager_id = $1 ORDER BY customer_id', [managerId]));
    },
    async appendAssignments(assignments) {
      if (assignments.length === 0) return;
      const rows = assignments.map((assignment) => [assignment.customerId, assignment.reference, Date.parse(assignment.effectiveAt), JSON.stringify(assignment)]);
      await sql.bulkWrite({ table: 'book_assignments', columns: ['customer_id', 'reference', 'effective_ms', 'document'], key: ['customer_id', 'reference'], mode: 'ignore', rows });
    },
    async assignmentsOf(customerId) {
      return decode(assignmentSchema, await sql.query('SELECT document FROM book_assignments WHERE customer_id = $1 ORDER BY effective_ms, reference', [customerId]));
    },
  };
}
