import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { sendInSlices, untilBodySent } from './sliced-body.js';

/** The part size of a streamed upload; memory stays near (queue size + 1) × part size. */
export const uploadPartBytes = 8 * 1024 * 1024;
/** How many parts of one streamed upload are in flight at once. */
export const uploadQueueSize = 2;

/** Where a streamed upload goes. */
export interface UploadTarget {
  client: S3Client;
  bucket: string;
  objectName: string;
}

/** A multipart upload left open by a failed `uploadStream`: its parts cost storage until it is aborted. */
export interface OpenMultipartUpload {
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
    /** Whether the caller's source failed, so that no object can have been completed. */
    readonly fromSource: boolean,
  ) {
    super('upload failed', { cause: reason });
  }
}

/**
 * Uploads a stream of unknown length with lib-storage: one PutObject when it fits in a part,
 * a multipart upload otherwise.
 *
 * lib-storage sends its requests without a signal and, when one part fails, cancels the source
 * under the other parts, which then report a bare `AbortError` that hides the real fault. So the
 * requests go out with `signal`, `upload.abort()` stops `done()` at once when it fires, and the
 * first failure of an S3 call (or of the source) is the one reported. lib-storage is told to leave
 * the parts alone: it would abort them only after the parts in flight finish. The caller aborts the
 * open upload instead, through `UploadFailure.openUpload`, once every request has settled, so that
 * no write the server may still complete races the cleanup.
 */
export async function uploadStream(
  chunks: AsyncIterable<Uint8Array>,
  { client, bucket, objectName }: UploadTarget,
  signal: AbortSignal,
): Promise<void> {
  let sourceError: { error: unknown } | undefined;
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
          throw error;
        }
        if (next.done === true) return;
        // lib-storage holds on to chunks until a part is full, while the source goes on: a copy keeps
        // the part intact even when the source reuses its buffer for the next chunk.
        yield next.value.slice();
      }
    } finally {
      if (sourceError === undefined) await iterator.return?.();
    }
  }
  // highWaterMark 1: read the source only as fast as parts are cut, never ahead of them.
  const body = Readable.from(recorded(), { objectMode: true, highWaterMark: 1 });
  const calls = new SignalledCalls(client, signal);
  const upload = new Upload({
    client: calls.client,
    params: { Bucket: bucket, Key: objectName, Body: body, ContentType: 'application/octet-stream' },
    partSize: uploadPartBytes,
    queueSize: uploadQueueSize,
    leavePartsOnError: true,
  });
  const abort = () => void upload.abort();
  signal.addEventListener('abort', abort, { once: true });
  try {
    await upload.done();
  } catch (error) {
    await calls.settled();
    const uploadId = calls.uploadId;
    const openUpload =
      uploadId === undefined
        ? undefined
        : { abort: () => client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: objectName, UploadId: uploadId })).then(() => undefined) };
    const reason = sourceError === undefined ? (calls.firstError ?? error) : sourceError.error;
    throw new UploadFailure(reason, openUpload, sourceError !== undefined);
  } finally {
    signal.removeEventListener('abort', abort);
    body.destroy();
  }
}

/**
 * The client as lib-storage sees it: bodies go out in slices, the first failure is kept, the id of
 * the multipart upload is noted so that it can be aborted, and the requests still running are known.
 * Creating the upload and sending parts follow the signal; a single PutObject follows it until its
 * body is sent, and CompleteMultipartUpload never does (see `untilBodySent`).
 */
class SignalledCalls {
  readonly client: S3Client;
  firstError: unknown = undefined;
  uploadId: string | undefined;
  readonly #running = new Set<Promise<unknown>>();

  constructor(client: S3Client, signal: AbortSignal) {
    const send = (command: Parameters<S3Client['send']>[0]): Promise<unknown> => {
      const call = this.#send(client, command, signal);
      const settled = call.then(
        () => undefined,
        () => undefined,
      );
      this.#running.add(settled);
      void settled.then(() => this.#running.delete(settled));
      return call;
    };
    this.client = new Proxy(client, { get: (target, property) => (property === 'send' ? send : (Reflect.get(target, property) as unknown)) });
  }

  /** Resolves once every request sent so far has settled. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  async #send(client: S3Client, command: Parameters<S3Client['send']>[0], signal: AbortSignal): Promise<unknown> {
    let abortSignal: AbortSignal | undefined = signal;
    if (command instanceof PutObjectCommand) {
      const write = untilBodySent(signal);
      sendInSlices(command, write.sent);
      abortSignal = write.signal;
    } else if (command instanceof UploadPartCommand) {
      sendInSlices(command);
    } else if (command instanceof CompleteMultipartUploadCommand || command instanceof AbortMultipartUploadCommand) {
      abortSignal = undefined;
    }
    try {
      const output: unknown = await client.send(command, abortSignal === undefined ? {} : { abortSignal });
      if (command instanceof CreateMultipartUploadCommand) this.uploadId = (output as { UploadId?: string }).UploadId;
      return output;
    } catch (error) {
      this.firstError ??= error;
      throw error;
    }
  }
}
