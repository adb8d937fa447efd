// The storage contract on the in-memory store of @kequn/core.
import { createMemoryStore } from '@kequn/core';
import { describeStoreContract } from '../src/index.js';

describeStoreContract('memory', { open: async () => createMemoryStore() });
