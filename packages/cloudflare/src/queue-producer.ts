import type { ClaimCheckManager } from '@claimcheck/manager';
import { type CarriedPayload, PayloadCarrier } from './carried-payload.js';
import { cloudflareLimits, defaultQueueInlineBytes, limitOption } from './cloudflare-limits.js';
import type { QueueLike } from './workers-bindings.js';

/** Options of `claimCheckQueue`. */
export interface ClaimCheckQueueOptions {
  /** A body whose encoding is larger is offloaded whatever the manager's threshold. Default 120 000. */
  maxInlineBytes?: number;
  /** A `sendBatch` whose bodies add up to more has its largest bodies offloaded until it fits. Default 248 000. */
  maxBatchBytes?: number;
}

/** One message of `ClaimCheckQueue.sendBatch`. */
export interface ClaimCheckSendRequest<Body> {
  /** The body: bytes (`Uint8Array`, `ArrayBuffer`) or a JSON value. */
  body: Body;
  /** Delay before delivery. */
  delaySeconds?: number;
}

/** A queue producer that carries bodies of any size. */
export interface ClaimCheckQueue<Body> {
  /** Sends one message; a body over the threshold goes to the store and the message carries its reference. */
  send(body: Body, options?: { delaySeconds?: number }): Promise<void>;
  /** Sends a batch; bodies over the threshold, then the largest until the batch fits 256 KB, are offloaded. */
  sendBatch(messages: Iterable<ClaimCheckSendRequest<Body>>, options?: { delaySeconds?: number }): Promise<void>;
}

/**
 * Wraps a queue binding (`env.QUEUE`). Bytes are sent with content type `bytes` and anything else as
 * `json`, so that the size checked against the limits is the size the queue counts. Pair it with
 * `claimCheckConsumer` on the receiving side.
 */
export function claimCheckQueue<Body = unknown>(queue: QueueLike, manager: ClaimCheckManager, options: ClaimCheckQueueOptions = {}): ClaimCheckQueue<Body> {
  const maxInlineBytes = limitOption(options.maxInlineBytes, defaultQueueInlineBytes, 'maxInlineBytes', cloudflareLimits.queueMessageBytes);
  const maxBatchBytes = limitOption(options.maxBatchBytes, cloudflareLimits.queueBatchBytes - 8_000, 'maxBatchBytes', cloudflareLimits.queueBatchBytes);
  const carrier = new PayloadCarrier(manager, maxInlineBytes, 'queue');
  return {
    async send(body, sendOptions = {}) {
      const carried = carrier.carry(body);
      // Most bodies stay inline and go to the queue at once: on a small message an extra await shows.
      await sendCarried(queue, carried instanceof Promise ? await carried : carried, sendOptions);
    },
    async sendBatch(messages, batchOptions = {}) {
      const requests = [...messages];
      const carried = await Promise.all(requests.map(async (request) => carrier.carry(request.body)));
      await shrinkToFit(carried, requests, carrier, maxBatchBytes);
      await queue.sendBatch(
        carried.map(({ value, contentType }, index) => ({ body: value, contentType, ...delayOf(requests[index]) })),
        batchOptions,
      );
    },
  };
}

// The content type makes the size the queue counts the size that was measured.
function sendCarried(queue: QueueLike, { value, contentType }: CarriedPayload, { delaySeconds }: { delaySeconds?: number }): Promise<unknown> {
  return queue.send(value, delaySeconds === undefined ? { contentType } : { delaySeconds, contentType });
}

// Offloads the largest inline bodies until the batch's total fits; references are a few hundred bytes.
async function shrinkToFit<Body>(carried: CarriedPayload[], requests: ClaimCheckSendRequest<Body>[], carrier: PayloadCarrier, maxBatchBytes: number): Promise<void> {
  let total = carried.reduce((sum, { size }) => sum + size, 0);
  const largestFirst = carried.map((_, index) => index).sort((a, b) => (carried[b]?.size ?? 0) - (carried[a]?.size ?? 0));
  for (const index of largestFirst) {
    if (total <= maxBatchBytes) return;
    const current = carried[index] as CarriedPayload;
    if (current.value !== (requests[index] as ClaimCheckSendRequest<Body>).body) continue; // already a reference
    const offloaded = await carrier.offload(current.value);
    total += offloaded.size - current.size;
    carried[index] = offloaded;
  }
}

function delayOf<Body>(request: ClaimCheckSendRequest<Body> | undefined): { delaySeconds?: number } {
  return request?.delaySeconds === undefined ? {} : { delaySeconds: request.delaySeconds };
}
