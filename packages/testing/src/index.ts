// The public API of @kequn/testing: a deterministic synthetic bank for tests, demos and benchmarks.
export {
  createSyntheticBank,
  syntheticBankOptionsSchema,
  type SyntheticBank,
  type SyntheticBankOptions,
} from './bank.js';
export { employerSchema, type Employer } from './organisation.js';
export { SyntheticBankOptionsError, UnknownSyntheticCustomerError } from './errors.js';
export { createRandom, type Random } from './random.js';
export { idNumberCheckCharacter } from './people.js';
export { createTestKernel, type TestKernel, type TestKernelOptions } from './test-kernel.js';
