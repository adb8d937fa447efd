// The public API of @kequn/api: the HTTP contract shared by @kequn/server and @kequn/client.
// It holds schemas and data only (zod), no server runtime, so a browser bundle can import it.
export * from './contract.js';
export * from './roles.js';
export * from './schemas.js';
export * from './contracts/index.js';
export { routeById, type ContractOf } from './lookup.js';
