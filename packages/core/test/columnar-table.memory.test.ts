// The table's memory layout, checked through its own byte estimate (deterministic, unlike the heap):
// fixed-width columns, trimmed arrays, and identifier strings kept compactly. Figures for 1M rows
// come from bench/table-memory.ts.
import { describe, expect, it } from 'vitest';
import { customerAttributes } from '../src/attributes/index.js';
import type { Customer } from '../src/model/customer.js';
import { ColumnarTable } from '../src/table/index.js';
import { sampleCustomers } from './columnar-table.customers.js';

const rows = 200_000;
const identifierIds = new Set(['customer.id', 'profile.name', 'profile.phone', 'profile.idNumber']);
const options = { idOf: (customer: Customer) => customer.id, asOf: '2026-01-15' };

describe('ColumnarTable memory', () => {
  it('keeps the segmentation attributes under 150 bytes per customer', () => {
    const sources = customerAttributes.filter((source) => !identifierIds.has(source.id));
    const table = ColumnarTable.build(sources, sampleCustomers(rows), options);
    expect(table.memoryBytes() / table.size).toBeLessThan(150);
  });

  it('keeps all built-in attributes, unique ids, phones and ID numbers included, under 250 bytes per customer', () => {
    const table = ColumnarTable.build(customerAttributes, sampleCustomers(rows), options);
    expect(table.memoryBytes() / table.size).toBeLessThan(250);
  });
});
