// The public API of @kequn/dispatch-bullmq. Anything not exported here is internal.
export { startBullmqWorker, type BullmqDispatchWorker, type BullmqWorkerOptions, type BullmqWorkerTotals } from './worker.js';
export { bullmqWorkerSettingsSchema, DEFAULT_REDIS_URL, type BullmqWorkerSettings, type BullmqWorkerSettingsInput } from './settings.js';
export { claimFence, jobIdFor, queueNameFor, type OutboxJob } from './jobs.js';
export { DispatchBullmqError, type DispatchBullmqErrorCode } from './errors.js';
export { runWorkerFromModule } from './run.js';
