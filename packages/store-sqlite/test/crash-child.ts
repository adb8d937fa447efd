// Child process of crash-safety.test.ts: node --import tsx test/crash-child.ts <path> mid|after <count>
import { rewriteCustomersUntilKilled } from '@kequn/store-contract/crash-child';
import { openSqliteStore } from '../src/index.js';

const [path, mode, count] = process.argv.slice(2);
await rewriteCustomersUntilKilled(await openSqliteStore({ path }), mode, Number(count));
