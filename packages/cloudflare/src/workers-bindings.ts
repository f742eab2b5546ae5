// The parts of the Queues and Workflows bindings this package calls, written out so that the
// package needs no type package; the types of `@cloudflare/workers-types` are assignable to them.

/** Options of a message sent to a queue. */
export interface QueueSendOptionsLike {
  /** How the body is serialised: `json` or `bytes` here. */
  contentType?: 'json' | 'bytes' | 'text' | 'v8';
  /** Delay before the message can be delivered. */
  delaySeconds?: number;
}

/** One message of `sendBatch`. */
export interface MessageSendRequestLike extends QueueSendOptionsLike {
  /** The body. */
  body: unknown;
}

/** A queue producer binding (`env.QUEUE`). */
export interface QueueLike {
  /** Sends one message. */
  send(body: unknown, options?: QueueSendOptionsLike): Promise<unknown>;
  /** Sends up to 100 messages at once. */
  sendBatch(messages: Iterable<MessageSendRequestLike>, options?: { delaySeconds?: number }): Promise<unknown>;
}

/** Options of `retry`. */
export interface QueueRetryOptionsLike {
  /** Delay before the message is delivered again. */
  delaySeconds?: number;
}

/** A message as the `queue` handler receives it. */
export interface MessageLike {
  /** The message id. */
  readonly id: string;
  /** When it was sent. */
  readonly timestamp: Date;
  /** The body as sent. */
  readonly body: unknown;
  /** How many times it has been delivered, this time included. */
  readonly attempts: number;
  /** Marks it delivered. */
  ack(): void;
  /** Asks for it again later. */
  retry(options?: QueueRetryOptionsLike): void;
}

/** The batch the `queue` handler receives. */
export interface MessageBatchLike {
  /** The queue's name. */
  readonly queue: string;
  /** Its messages. */
  readonly messages: readonly MessageLike[];
  /** Acks every message. */
  ackAll(): void;
  /** Retries every message. */
  retryAll(options?: QueueRetryOptionsLike): void;
}

/** The handler's `ctx`: work that may outlive the response. */
export interface ExecutionContextLike {
  /** Keeps the Worker alive until the promise settles. */
  waitUntil(promise: Promise<unknown>): void;
}

/** A step's retry and timeout settings, passed through unchanged. */
export type WorkflowStepConfigLike = object;

/** A Workflow's `step`, as far as `do` goes. */
export interface WorkflowStepLike {
  /** Runs the callback once, durably; a replay returns the stored result. */
  do<T>(name: string, config: WorkflowStepConfigLike, callback: () => Promise<T>): Promise<T>;
}
