// Child process of crash-safety.test.ts: node --import tsx test/crash-child.ts <schema> mid|after <count>
import { rewriteCustomersUntilKilled } from '@kequn/store-contract/crash-child';
import { openPostgresStore } from '../src/index.js';

const [schema, mode, count] = process.argv.slice(2);
await rewriteCustomersUntilKilled(await openPostgresStore({ schema, poolSize: 2 }), mode, Number(count));
