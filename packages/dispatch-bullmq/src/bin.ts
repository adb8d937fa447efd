#!/usr/bin/env node
// kequn-worker <module>: one BullMQ dispatch worker process. See the package README.
import { runWorkerFromModule } from './run.js';

const [modulePath] = process.argv.slice(2);
if (modulePath === undefined || modulePath === '--help' || modulePath === '-h') {
  process.stderr.write('usage: kequn-worker <module>  (its default export: the worker options, or a function returning them)\n');
  process.exit(modulePath === undefined ? 1 : 0);
}
try {
  await runWorkerFromModule(modulePath);
} catch (error) {
  process.stderr.write(`kequn-worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
