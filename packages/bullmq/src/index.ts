export { registryKey } from './blob-registry.js';
export type { CompletedListener } from './completed-events.js';
export { ClaimCheckFlowProducer } from './flow-producer.js';
export type { ClaimCheckProcessor } from './job-processing.js';
export { isReferenceObject, type ReferenceObject } from './payload-codec.js';
export { ClaimCheckQueue, type ClaimCheckOptions } from './queue.js';
export { createWorker, type ClaimCheckWorkerOptions } from './worker.js';
