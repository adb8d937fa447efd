// Memory of the columnar customer table against the obvious alternative — keeping the customer
// objects in an array — on the synthetic bank. Prints figures; asserts nothing.
// Run: pnpm bench:table [customers]   (node --expose-gc --import tsx packages/core/bench/table-memory.ts)
import { createKernel, CustomerModel, type Customer } from '../src/index.js';
import { createSyntheticBank } from '../../testing/src/index.js';

const customers = Number(process.argv[2] ?? 1_000_000);
const alternativeCustomers = Math.min(customers, 200_000);
const asOf = '2026-10-31';

function usedBytes(): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('Run with node --expose-gc so the heap can be measured.');
  collect();
  collect();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function columnar(): Promise<number> {
  const kernel = createKernel();
  const model = new CustomerModel(kernel);
  const bank = createSyntheticBank({ customers, seed: 42, asOf });
  const before = usedBytes();
  const started = performance.now();
  const table = await model.load(bank.customers(), { asOf });
  const seconds = (performance.now() - started) / 1000;
  const heap = usedBytes() - before;
  console.log(
    `columnar table     ${customers.toLocaleString()} customers × ${table.attributeIds().length} attributes: ` +
      `heap ${mb(heap)} (${(heap / customers).toFixed(0)} B/customer), estimate ${mb(table.memoryBytes())}, ` +
      `built in ${seconds.toFixed(1)} s (${Math.round(customers / seconds).toLocaleString()} customers/s incl. generation)`,
  );
  await kernel.dispose();
  return heap;
}

function objectArray(): number {
  const bank = createSyntheticBank({ customers: alternativeCustomers, seed: 42, asOf });
  const before = usedBytes();
  const kept: Customer[] = [];
  for (const customer of bank.customers()) kept.push(customer);
  const heap = usedBytes() - before;
  const scaled = (heap / alternativeCustomers) * customers;
  console.log(
    `array of objects   ${alternativeCustomers.toLocaleString()} customers: heap ${mb(heap)} ` +
      `(${(heap / alternativeCustomers).toFixed(0)} B/customer) → ${mb(scaled)} scaled to ${customers.toLocaleString()}`,
  );
  if (kept.length !== alternativeCustomers) throw new Error('the alternative lost customers');
  return scaled;
}

const columnarHeap = await columnar();
const objectsHeap = objectArray();
console.log(`ratio              objects / columnar = ${(objectsHeap / columnarHeap).toFixed(1)}×`);
