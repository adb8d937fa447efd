// createTestKernel: a kernel for a plugin author's unit tests — plugins registered and started,
// logs captured instead of printed, domain events recorded on request, and optionally a
// synthetic bank loaded into the customer model.
import {
  createKernel,
  CustomerModel,
  type Customer,
  type Kernel,
  type KequnEventMap,
  type KequnPlugin,
  type LogRecord,
  type ServiceDefinition,
  type StateStorage,
  type Token,
} from '@kequn/core';
import { createSyntheticBank, type SyntheticBank } from './bank.js';

export interface TestKernelOptions {
  plugins: readonly KequnPlugin[];
  /** Settings per plugin id. */
  settings?: Readonly<Record<string, unknown>>;
  services?: readonly ServiceDefinition<unknown, readonly Token<unknown>[]>[];
  stateStorage?: StateStorage;
  /** Customers to load: a number makes a synthetic bank of that size; or pass your own. */
  customers?: number | Iterable<Customer>;
  seed?: number;
  /** The date the book is judged on; defaults to the synthetic bank's. */
  asOf?: string;
}

export interface TestKernel {
  readonly kernel: Kernel;
  readonly model: CustomerModel;
  /** The synthetic bank, when `customers` was a number. */
  readonly bank: SyntheticBank | undefined;
  /** Every log record, in order. Nothing is printed. */
  readonly logs: readonly LogRecord[];
  /** The error records, e.g. to assert that nothing failed: `expect(t.errors()).toEqual([])`. */
  errors(): LogRecord[];
  /** Starts recording one domain event; the returned array fills as events arrive. */
  record<K extends keyof KequnEventMap & string>(name: K): KequnEventMap[K][];
  dispose(): Promise<void>;
}

const defaultAsOf = '2026-10-31';

export async function createTestKernel(options: TestKernelOptions): Promise<TestKernel> {
  const logs: LogRecord[] = [];
  const kernel = createKernel({
    plugins: options.plugins,
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    ...(options.services === undefined ? {} : { services: options.services }),
    ...(options.stateStorage === undefined ? {} : { stateStorage: options.stateStorage }),
    logSink: (record) => void logs.push(record),
  });
  await kernel.start();
  const model = new CustomerModel(kernel);
  let bank: SyntheticBank | undefined;
  const asOf = options.asOf ?? defaultAsOf;
  if (typeof options.customers === 'number') {
    bank = createSyntheticBank({ customers: options.customers, seed: options.seed ?? 42, asOf });
    await model.load(bank.customers(), { asOf });
  } else if (options.customers !== undefined) {
    await model.load(options.customers, { asOf });
  }
  return {
    kernel,
    model,
    bank,
    logs,
    errors: () => logs.filter((record) => record.level === 'error'),
    record<K extends keyof KequnEventMap & string>(name: K) {
      const received: KequnEventMap[K][] = [];
      kernel.events.on(name, (payload) => void received.push(payload));
      return received;
    },
    dispose: () => kernel.dispose(),
  };
}
