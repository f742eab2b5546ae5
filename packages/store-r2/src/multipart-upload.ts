import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { InFlight } from '@claimcheck/core/store-helpers';
import { mayHaveWritten } from './s3-error.js';
import { untilBodySent } from './sliced-body.js';
import { type S3Command, sendWithin, type WaitLimit } from './wait-deadline.js';

/** How a streamed upload is cut and bounded. */
export interface UploadSettings {
  /** Memory stays near (partsInFlight + 1) × partSizeBytes. */
  partSizeBytes: number;
  partsInFlight: number;
  /** The deadline on each request's wait for the server. */
  limit: WaitLimit;
}

/** Where a streamed upload goes. */
export interface UploadTarget {
  client: S3Client;
  bucket: string;
  objectName: string;
}

/** A multipart upload left open by a failed `uploadStream`: its parts cost storage until it is aborted. */
export interface OpenMultipartUpload {
  /** The server's id of the upload, for an operator (or a lifecycle rule) to find it by. */
  uploadId: string;
  /** Sends AbortMultipartUpload; not tied to the operation's signal, since it runs after that fired. */
  abort: () => Promise<void>;
}

/** Why an upload failed, and what it may have left behind. */
export class UploadFailure extends Error {
  constructor(
    /** The error that explains the failure: the source's, else the first S3 call's, else lib-storage's. */
    readonly reason: unknown,
    /** The multipart upload to abort, when one was created. */
    readonly openUpload: OpenMultipartUpload | undefined,
    /** Whether a PutObject or CompleteMultipartUpload went out and may have stored the object. */
    readonly mayHaveStored: boolean,
  ) {
    super('upload failed', { cause: reason });
  }
}

/**
 * Uploads a stream of unknown length with lib-storage: one PutObject when it fits in a part,
 * a multipart upload otherwise.
 *
 * lib-storage sends its requests without a signal and, when one part fails, cancels the source
 * under the other parts, which then report a bare `AbortError` that hides the real fault; its other
 * workers go on reading the source and sending parts. So the requests go out with `signal`, and the
 * first failure of any kind (the signal, the source, an S3 call after its retries) stops the upload
 * at once: `upload.abort()` ends `done()`, and no request is sent after that. The first failure of an
 * S3 call (or of the source) is the one reported. lib-storage is told to leave the parts alone: the
 * caller aborts the open upload instead, through `UploadFailure.openUpload`, once every request has
 * settled, so that no part the server may still complete races the cleanup. A part (or PutObject)
 * follows the signal only until its body is sent: cut later, the server could still store it, and
 * CreateMultipartUpload never follows it, so that the id of an upload the server created is known.
 */
export async function uploadStream(
  chunks: AsyncIterable<Uint8Array>,
  { client, bucket, objectName }: UploadTarget,
  signal: AbortSignal,
  { partSizeBytes, partsInFlight, limit }: UploadSettings,
): Promise<void> {
  let sourceError: { error: unknown } | undefined;
  const calls = new SignalledCalls(client, signal, limit, () => {
    stop();
  });
  async function* recorded(): AsyncGenerator<Uint8Array> {
    const iterator = chunks[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await iterator.next();
        } catch (error) {
          // Only what the source throws: lib-storage cancelling the body throws an AbortError in at the yield.
          sourceError = { error };
          stop();
          throw error;
        }
        if (next.done === true) return;
        // lib-storage holds on to chunks until a part is full, while the source goes on: a copy keeps
        // the part intact even when the source reuses its buffer for the next chunk. Not `slice()`,
        // which on a Buffer is a view of the same memory, not a copy; unfilled, since it is written at once.
        const copy = Buffer.allocUnsafeSlow(next.value.byteLength);
        copy.set(next.value);
        yield copy;
      }
    } finally {
      if (sourceError === undefined) await iterator.return?.();
    }
  }
  // highWaterMark 1: read the source only as fast as parts are cut, never ahead of them.
  const body = Readable.from(recorded(), { objectMode: true, highWaterMark: 1 });
  const upload = new Upload({
    client: calls.client,
    params: { Bucket: bucket, Key: objectName, Body: body, ContentType: 'application/octet-stream' },
    partSize: partSizeBytes,
    queueSize: partsInFlight,
    leavePartsOnError: true,
  });
  function stop(): void {
    calls.refuseMore();
    void upload.abort();
  }
  signal.addEventListener('abort', stop, { once: true });
  if (signal.aborted) stop();
  try {
    await upload.done();
  } catch (error) {
    stop();
    await calls.settled();
    const { uploadId } = calls;
    // A completed upload is an object now, not an upload: what is left to remove is the object.
    const openUpload = uploadId === undefined || calls.completed() ? undefined : openMultipartUpload({ client, bucket, objectName }, uploadId, limit);
    const reason = sourceError === undefined ? (calls.firstError ?? error) : sourceError.error;
    throw new UploadFailure(reason, openUpload, calls.mayHaveStored());
  } finally {
    signal.removeEventListener('abort', stop);
    body.destroy();
  }
}

function openMultipartUpload({ client, bucket, objectName }: UploadTarget, uploadId: string, limit: WaitLimit): OpenMultipartUpload {
  return {
    uploadId,
    abort: async () => {
      const command = new AbortMultipartUploadCommand({ Bucket: bucket, Key: objectName, UploadId: uploadId });
      // NoSuchUpload: nothing is left under that id, which is what the abort is for.
      await sendWithin(client, command, { limit }).catch((error: unknown) => {
        if ((error as { name?: unknown }).name !== 'NoSuchUpload') throw error;
      });
    },
  };
}

/**
 * The client as lib-storage sees it: bodies go out in slices, each request under the wait deadline,
 * the first failure is kept and reported to `onFailure`, the id of the multipart upload is noted so
 * that it can be aborted, and the requests still running are known. Once `refuseMore()` is called,
 * nothing more is sent. Parts and a single PutObject follow the signal until their body is sent;
 * creating, completing and aborting the upload never do.
 */
class SignalledCalls {
  readonly client: S3Client;
  firstError: unknown = undefined;
  uploadId: string | undefined;
  // The outcome of the request that stores the object (PutObject or CompleteMultipartUpload), once sent.
  #finalWrite: 'sent' | 'stored' | { error: unknown } | undefined;
  readonly #inFlight = new InFlight();
  #refusing = false;

  constructor(client: S3Client, signal: AbortSignal, limit: WaitLimit, onFailure: () => void) {
    const send = (command: Parameters<S3Client['send']>[0]): Promise<unknown> => {
      if (this.#refusing) return Promise.reject(Object.assign(new Error('the upload has stopped'), { name: 'AbortError' }));
      const call = this.#send(client, command, signal, limit).catch((error: unknown) => {
        if (this.firstError === undefined) {
          this.firstError = error;
          onFailure();
        }
        throw error;
      });
      return this.#inFlight.track(call);
    };
    this.client = new Proxy(client, { get: (target, property) => (property === 'send' ? send : (Reflect.get(target, property) as unknown)) });
  }

  /** From now on, every request lib-storage tries fails without being sent. */
  refuseMore(): void {
    this.#refusing = true;
  }

  /** Whether the object may exist: the request that stores it went out and did not meet the server's refusal. */
  mayHaveStored(): boolean {
    const write = this.#finalWrite;
    return typeof write === 'object' ? mayHaveWritten(write.error) : write !== undefined;
  }

  /** Whether CompleteMultipartUpload or PutObject succeeded. */
  completed(): boolean {
    return this.#finalWrite === 'stored';
  }

  /** Resolves once every request sent so far has settled. */
  async settled(): Promise<void> {
    await this.#inFlight.settled();
  }

  // `command` is typed loosely by the Proxy; `instanceof` tells what lib-storage sent.
  async #send(client: S3Client, command: object, signal: AbortSignal, limit: WaitLimit): Promise<unknown> {
    if (command instanceof PutObjectCommand) return this.#storing(sendBody(client, command, signal, limit));
    if (command instanceof UploadPartCommand) return sendBody(client, command, signal, limit);
    if (command instanceof CreateMultipartUploadCommand) {
      const output = await sendWithin(client, command, { limit });
      this.uploadId = output.UploadId;
      return output;
    }
    if (command instanceof CompleteMultipartUploadCommand) return this.#storing(sendWithin(client, command, { limit }));
    if (command instanceof AbortMultipartUploadCommand) return sendWithin(client, command, { limit });
    return client.send(command as Parameters<S3Client['send']>[0], { abortSignal: signal });
  }

  async #storing<T>(write: Promise<T>): Promise<T> {
    this.#finalWrite = 'sent';
    try {
      const output = await write;
      this.#finalWrite = 'stored';
      return output;
    } catch (error) {
      this.#finalWrite = { error };
      throw error;
    }
  }
}

// A request with a body follows `signal` until its body is sent, then runs to its answer.
function sendBody<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  client: S3Client,
  command: S3Command<I, O>,
  signal: AbortSignal,
  limit: WaitLimit,
): Promise<O> {
  const write = untilBodySent(signal);
  return sendWithin(client, command, { signal: write.signal, limit, sliceBody: true, onBodySent: write.sent });
}
