import type { QueueEvents } from 'bullmq';
import type { PayloadCodec } from './payload-codec.js';

/** A `QueueEvents` `completed` listener whose `returnvalue` is the original, not what Redis holds. */
export type CompletedListener<ResultType = unknown> = (args: { jobId: string; returnvalue: ResultType; prev?: string }, id: string) => void;

/**
 * Calls `listener` for every `completed` event of `queueEvents` with the return value resolved. A result
 * that cannot be resolved, or an error `listener` throws, is emitted as `queueEvents`' `'error'`, as
 * BullMQ reports its own failures. Returns a function that stops listening.
 */
export function onCompletedResolved<ResultType>(queueEvents: QueueEvents, codec: PayloadCodec, listener: CompletedListener<ResultType>): () => void {
  // Results resolve concurrently (a large one is read from the store) but reach the listener in the
  // order BullMQ reported them; allSettled handles a failed resolve at once, so it is never "unhandled".
  let previous: Promise<unknown> = Promise.resolve();
  const onCompleted = (args: { jobId: string; returnvalue: unknown; prev?: string }, id: string) => {
    const resolved = codec.decodeFor(args.returnvalue, `the return value of job ${args.jobId}`);
    const delivered = Promise.allSettled([previous, resolved])
      .then(() => resolved)
      .then((returnvalue) => {
        listener({ ...args, returnvalue: returnvalue as ResultType }, id);
      });
    previous = delivered.catch((error: unknown) => queueEvents.emit('error', error instanceof Error ? error : new Error(String(error))));
  };
  queueEvents.on('completed', onCompleted);
  return () => queueEvents.off('completed', onCompleted);
}
