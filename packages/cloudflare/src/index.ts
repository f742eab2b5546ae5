export { R2BindingStore, type R2BindingStoreOptions } from './r2-binding-store.js';
export type { ByteReaderLike, ByteStreamLike, R2BucketLike, R2MultipartUploadLike, R2ObjectBodyLike, R2ObjectLike, R2ObjectsLike, R2PutOptionsLike } from './r2-binding.js';
export type {
  ExecutionContextLike,
  MessageBatchLike,
  MessageLike,
  MessageSendRequestLike,
  QueueLike,
  QueueRetryOptionsLike,
  QueueSendOptionsLike,
  WorkflowStepConfigLike,
  WorkflowStepLike,
} from './workers-bindings.js';
export { isOffloadedPayload, type OffloadedPayload, type PayloadFormat } from './carried-payload.js';
export { cloudflareLimits } from './cloudflare-limits.js';
export { claimCheckQueue, type ClaimCheckQueue, type ClaimCheckQueueOptions, type ClaimCheckSendRequest } from './queue-producer.js';
export {
  claimCheckConsumer,
  type ClaimCheckBatch,
  type ClaimCheckMessage,
  type ClaimCheckQueueHandler,
  type ManagerForEnv,
  type QueueHandler,
} from './queue-consumer.js';
export { claimCheckWorkflow, type ClaimCheckWorkflow, type ClaimCheckWorkflowOptions } from './workflow-payloads.js';
