// Lets Node 20 run the TypeScript benchmarks straight from source: `.js` imports resolve to the
// `.ts` file beside them and TypeScript is stripped with the compiler's transpileModule.
// Usage: node --expose-gc --import ./packages/core/bench/register-typescript.mjs <bench>.ts
import { register } from 'node:module';

register(new URL('./typescript-hooks.mjs', import.meta.url));
