import type { ClaimCheckManager } from '@claimcheck/manager';
import { PayloadCarrier } from './carried-payload.js';
import { defaultQueueInlineBytes } from './cloudflare-limits.js';
import type { ExecutionContextLike, MessageBatchLike, MessageLike, QueueRetryOptionsLike } from './workers-bindings.js';

/** A message whose body is resolved when asked for. */
export interface ClaimCheckMessage<Body> {
  /** The message id. */
  readonly id: string;
  /** When it was sent. */
  readonly timestamp: Date;
  /** Deliveries so far, this one included. */
  readonly attempts: number;
  /** True when the body is in the store and the message carries its reference. */
  readonly offloaded: boolean;
  /** The original body (bytes as `Uint8Array`); fetched from the store on first call. A missing blob rejects with `NOT_FOUND`. */
  body(): Promise<Body>;
  /** Acks the message; its blob is released once the handler has returned. */
  ack(): void;
  /** Retries the message; its blob is kept. */
  retry(options?: QueueRetryOptionsLike): void;
}

/** The batch the wrapped handler receives. */
export interface ClaimCheckBatch<Body> {
  /** The queue's name. */
  readonly queue: string;
  /** The messages, their bodies resolved lazily. */
  readonly messages: readonly ClaimCheckMessage<Body>[];
  /** Acks every message. */
  ackAll(): void;
  /** Retries every message. */
  retryAll(options?: QueueRetryOptionsLike): void;
}

/** Your handler, on a batch whose bodies resolve through the store. */
export type ClaimCheckQueueHandler<Env, Body> = (batch: ClaimCheckBatch<Body>, env: Env, ctx: ExecutionContextLike) => Promise<void>;

/** The `queue` handler Workers calls. */
export type QueueHandler<Env> = (batch: MessageBatchLike, env: Env, ctx: ExecutionContextLike) => Promise<void>;

/** Gives the manager for this invocation, from its bindings. */
export type ManagerForEnv<Env> = (env: Env) => ClaimCheckManager | Promise<ClaimCheckManager>;

/**
 * Wraps a `queue(batch, env, ctx)` handler. Per-message `ack` and `retry` are kept. A blob lives as
 * long as its message may be delivered again: it is deleted only after the handler returned, for a
 * message that was acked (explicitly, or implicitly by a handler that returned without deciding) and
 * never retried. A retried message keeps its blob; one that runs out of retries is dead-lettered with
 * its reference, and its blob is removed by the bucket's lifecycle rule (or by the DLQ's consumer).
 */
export function claimCheckConsumer<Env, Body = unknown>(manager: ManagerForEnv<Env>, handler: ClaimCheckQueueHandler<Env, Body>): QueueHandler<Env> {
  return async (batch, env, ctx) => {
    const carrier = new PayloadCarrier(await manager(env), defaultQueueInlineBytes, 'queue');
    const tracked = batch.messages.map((message) => new TrackedMessage<Body>(message, carrier));
    const wrapped: ClaimCheckBatch<Body> = {
      queue: batch.queue,
      messages: tracked,
      ackAll: () => { for (const message of tracked) message.ack(); },
      retryAll: (options) => { for (const message of tracked) message.retry(options); },
    };
    let returned = false;
    try {
      await handler(wrapped, env, ctx);
      returned = true;
    } finally {
      // A throwing handler gets its undecided messages retried by Workers: only explicit acks release.
      for (const message of tracked) {
        const reference = message.releasable(returned);
        if (reference !== undefined) ctx.waitUntil(release(carrier.manager, reference));
      }
    }
  };
}

async function release(manager: ClaimCheckManager, reference: Uint8Array): Promise<void> {
  try {
    await manager.delete(reference);
  } catch (error) {
    // The message is acked already; the blob is left for the bucket's lifecycle rule.
    console.warn(`claimcheck: an acked message's blob could not be released: ${String(error)}`);
  }
}

class TrackedMessage<Body> implements ClaimCheckMessage<Body> {
  readonly #message: MessageLike;
  readonly #carrier: PayloadCarrier;
  #resolved: Promise<Body> | undefined;
  #acked = false;
  #retried = false;

  constructor(message: MessageLike, carrier: PayloadCarrier) {
    this.#message = message;
    this.#carrier = carrier;
  }

  get id(): string {
    return this.#message.id;
  }

  get timestamp(): Date {
    return this.#message.timestamp;
  }

  get attempts(): number {
    return this.#message.attempts;
  }

  get offloaded(): boolean {
    return this.#carrier.referenceOf(this.#message.body) !== undefined;
  }

  body(): Promise<Body> {
    this.#resolved ??= this.#carrier.resolve(this.#message.body) as Promise<Body>;
    return this.#resolved;
  }

  ack(): void {
    this.#acked = true;
    this.#message.ack();
  }

  retry(options?: QueueRetryOptionsLike): void {
    this.#retried = true;
    this.#message.retry(options);
  }

  /** The reference to delete now, if the message is done with: acked and never retried. */
  releasable(handlerReturned: boolean): Uint8Array | undefined {
    if (this.#retried || !(this.#acked || handlerReturned)) return undefined;
    return this.#carrier.referenceOf(this.#message.body);
  }
}
