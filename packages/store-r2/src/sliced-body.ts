import { Readable } from 'node:stream';
import type { PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';

/** How much of a body goes to the socket in one write. */
const sliceBytes = 64 * 1024;

/** A command whose byte body can go out in slices. */
export type SliceableCommand = PutObjectCommand | UploadPartCommand;

/** What an attempt reports while it sends a sliced body. */
export interface BodyProgress {
  /** A slice has left for the socket and the next is taken: the body is moving. */
  moving?: () => void;
  /** The whole body has been handed over. */
  sent?: () => void;
}

type Stack = PutObjectCommand['middlewareStack'];
type Middleware = Parameters<Stack['add']>[0];

/** The name of the error an attempt fails with when the server stayed silent after its whole body; the SDK does not retry it. */
export const unansweredBodyErrorName = 'UnansweredBodyError';

/**
 * Makes `command` send a byte body in 64 KiB writes rather than one, and tells `progress` when an
 * attempt's body starts moving and once it has handed over the whole body. The socket's idle timeout (`requestTimeoutMs`) sees
 * progress only when a write completes, and one write of a whole body completes only when all of it
 * has left: a slow upload would look silent from start to end and time out however steadily it
 * moved. The slices are cut afresh for every attempt, from the same bytes, so a retry still sends
 * the whole body; the signature and Content-Length were already computed from it.
 *
 * An attempt that sent its whole body and then heard nothing for `requestTimeoutMs` is not retried:
 * a server that does not answer would only be sent the body again, and again. Its timeout becomes
 * an `UnansweredBodyError`, which the SDK's retry strategy does not count as transient (the
 * original is kept as `timeout`, not `cause`, which the strategy would follow).
 */
export function sendInSlices<C extends SliceableCommand>(command: C, progress: BodyProgress = {}): C {
  const middleware: Middleware = (next) => async (args) => {
    const request = args.request as { body?: unknown };
    const { body } = request;
    if (!(body instanceof Uint8Array) || body.byteLength <= sliceBytes) {
      progress.sent?.();
      return next(args);
    }
    const attempt = { sent: false };
    const markSent = () => {
      attempt.sent = true;
      progress.sent?.();
    };
    const moving = () => progress.moving?.();
    try {
      return await next({ ...args, request: { ...request, body: Readable.from(slices(body, moving, markSent), { objectMode: false }) } });
    } catch (error) {
      throw attempt.sent && isSilenceTimeout(error) ? unanswered(error) : error;
    }
  };
  // The deserialize step runs once per attempt, after signing, right before the request is sent;
  // the middleware touches only the request, which both commands build alike.
  (command.middlewareStack as unknown as Stack).add(middleware, { step: 'deserialize', priority: 'low', name: 'claimcheckSlicedBody' });
  return command;
}

// The handler's idle timeout: a TimeoutError without a socket error code (a reset has one).
function isSilenceTimeout(error: unknown): error is Error {
  return error instanceof Error && error.name === 'TimeoutError' && (error as { code?: unknown }).code === undefined;
}

function unanswered(timeout: Error): Error {
  const error = new Error(`the server did not answer after the whole body was sent: ${timeout.message}`);
  error.name = unansweredBodyErrorName;
  return Object.assign(error, { timeout });
}

// The first slice may only be buffered until the socket connects; taking the second means it left.
function* slices(body: Uint8Array, moving: () => void, onSent: () => void): Generator<Buffer> {
  for (let offset = 0; offset < body.byteLength; offset += sliceBytes) {
    if (offset === sliceBytes) moving();
    yield Buffer.from(body.buffer, body.byteOffset + offset, Math.min(sliceBytes, body.byteLength - offset));
  }
  onSent();
}

/**
 * A signal for a write that follows `signal` only until the write's body has been sent in full.
 * Cutting the request before that leaves the server an incomplete body, which it never stores.
 * Cutting it after could not stop the write, only hide whether it landed: the request then runs to
 * its answer, and the caller (who was already told `ABORTED`) deletes what it stored.
 */
export function untilBodySent(signal: AbortSignal): { signal: AbortSignal; sent: () => void } {
  const controller = new AbortController();
  const follow = () => {
    controller.abort(signal.reason);
  };
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    sent: () => {
      signal.removeEventListener('abort', follow);
    },
  };
}
