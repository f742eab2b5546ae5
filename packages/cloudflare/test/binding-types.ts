// Compile-time proof that the real binding types of @cloudflare/workers-types fit this package's
// structural ones: `pnpm typecheck` fails if one of them stops being assignable.
import type { CloudflareWorkersModule, ExecutionContext, MessageBatch, Queue, R2Bucket } from '@cloudflare/workers-types/latest/index.js';
import type { ExecutionContextLike, MessageBatchLike, QueueLike, R2BucketLike, WorkflowStepLike } from '../src/index.js';

/** Each binding, as a Worker's `env` or handler gets it, handed to what this package takes. */
export function bindingsFit(bucket: R2Bucket, queue: Queue, batch: MessageBatch, ctx: ExecutionContext, step: CloudflareWorkersModule.WorkflowStep): unknown[] {
  const fitting: [R2BucketLike, QueueLike, MessageBatchLike, ExecutionContextLike, WorkflowStepLike] = [bucket, queue, batch, ctx, step];
  return fitting;
}
