import type { $Command, S3Client, S3ClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-s3';
import { type SliceableCommand, sendInSlices } from './sliced-body.js';

/** A bound on the time one S3 request may wait on the server, and the option that set it (named in the error). */
export interface WaitLimit {
  timeoutMs: number;
  option: string;
}

/** How `sendWithin` sends one command. */
export interface SendWithinOptions {
  /** The caller's signal, or none for a request that must run to its answer (CompleteMultipartUpload, AbortMultipartUpload). */
  signal?: AbortSignal | undefined;
  limit: WaitLimit;
  /** Send a byte body in slices (`sendInSlices`), so that moving bytes pause the deadline and the idle bound sees progress. */
  sliceBody?: boolean;
  /** Called once an attempt has handed over its whole body. */
  onBodySent?: () => void;
}

/** An S3 command whose output is `O`. */
export type S3Command<I extends ServiceInputTypes, O extends ServiceOutputTypes> = $Command<I, O, S3ClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes>;
type AnyCommand = Parameters<S3Client['send']>[0];
type Stack = AnyCommand['middlewareStack'];
type Middleware = Parameters<Stack['add']>[0];

/** The name of the error a request fails with when its wait deadline ran out; read as `TIMEOUT`. */
const deadlineErrorName = 'TimeoutError';

/**
 * A clock on the time one request waits on the server: connecting, waiting for an answer, retries
 * and the backoff between them. It stops while the request's body is moving, which only the silence
 * bound (`requestTimeoutMs`) governs, and for good once the server answers with a success: the
 * response body that follows is not waited for, it moves.
 */
class WaitDeadline {
  readonly #controller = new AbortController();
  readonly #limit: WaitLimit;
  #leftMs: number;
  #since: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(limit: WaitLimit) {
    this.#limit = limit;
    this.#leftMs = limit.timeoutMs;
    this.resume();
  }

  /** Fires when the deadline runs out. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Bytes of the body are moving: this time does not count. */
  pause(): void {
    if (this.#since === undefined) return;
    this.#leftMs -= performance.now() - this.#since;
    this.#since = undefined;
    clearTimeout(this.#timer);
  }

  /** Waiting on the server again. */
  resume(): void {
    if (this.#stopped || this.#since !== undefined || this.signal.aborted) return;
    this.#since = performance.now();
    this.#timer = setTimeout(() => {
      this.#expire();
    }, Math.max(0, this.#leftMs));
  }

  /** The server answered, or the request is over: the clock stops for good. */
  stop(): void {
    this.pause();
    this.#stopped = true;
  }

  /** The error a request cut by this deadline rejects with. */
  error(cause: unknown): Error {
    const { option, timeoutMs } = this.#limit;
    const error = new Error(`the server gave no answer within ${option} (${timeoutMs} ms of waiting, retries included)`, { cause });
    error.name = deadlineErrorName;
    return error;
  }

  #expire(): void {
    this.#since = undefined;
    this.#controller.abort(this.error(undefined));
  }
}

/**
 * Sends one command under a `WaitDeadline`: it fails with a `TimeoutError` (`TIMEOUT`) once it has
 * waited on the server for `limit.timeoutMs` in all, whatever the silence bound and the number of
 * attempts, while time spent moving its body, however long, does not count.
 */
export async function sendWithin<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  client: S3Client,
  command: S3Command<I, O>,
  options: SendWithinOptions,
): Promise<O> {
  const deadline = new WaitDeadline(options.limit);
  watchAttempts(command, deadline);
  if (options.sliceBody === true) {
    sendInSlices(command as unknown as SliceableCommand, {
      moving: () => {
        deadline.pause();
      },
      sent: () => {
        deadline.resume();
        options.onBodySent?.();
      },
    });
  }
  const abortSignal = options.signal === undefined ? deadline.signal : AbortSignal.any([options.signal, deadline.signal]);
  try {
    return await client.send(command, { abortSignal });
  } catch (error) {
    throw deadline.signal.aborted && options.signal?.aborted !== true ? deadline.error(error) : error;
  } finally {
    deadline.stop();
  }
}

// Each attempt waits from its start; a success answer stops the clock, anything else (a failure,
// an error answer that will be retried) leaves it running through the backoff to the next attempt.
function watchAttempts<I extends ServiceInputTypes, O extends ServiceOutputTypes>(command: S3Command<I, O>, deadline: WaitDeadline): void {
  const middleware: Middleware = (next) => async (args) => {
    deadline.resume();
    try {
      const result = await next(args);
      const status = (result.response as { statusCode?: unknown }).statusCode;
      if (typeof status === 'number' && status < 300) deadline.stop();
      return result;
    } catch (error) {
      deadline.resume();
      throw error;
    }
  };
  // Deserialize step, low priority: around the handler itself, once per attempt, inside the retries.
  (command.middlewareStack as unknown as Stack).add(middleware, { step: 'deserialize', priority: 'low', name: 'claimcheckWaitDeadline' });
}
