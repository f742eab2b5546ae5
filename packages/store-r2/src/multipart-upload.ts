import { AbortMultipartUploadCommand, type CompletedPart, type S3Client } from '@aws-sdk/client-s3';
import { FirstFailure } from './first-failure.js';
import { cutParts, PartBuffers } from './part-cutter.js';
import { SignalledCalls } from './signalled-calls.js';
import { sendWithin, type WaitLimit } from './wait-deadline.js';

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
    /** The error that explains the failure: the source's, else the first S3 call's, else the first other failure (an abort). */
    readonly reason: unknown,
    /** The multipart upload to abort, when one was created. */
    readonly openUpload: OpenMultipartUpload | undefined,
    /** Whether a PutObject or CompleteMultipartUpload went out and may have stored the object. */
    readonly mayHaveStored: boolean,
  ) {
    super('upload failed', { cause: reason });
  }
}

/** S3's largest number of parts in one multipart upload. */
const maxParts = 10_000;

const ContentType = 'application/octet-stream';

/**
 * Uploads a stream of unknown length: one PutObject when it fits in a part, a multipart upload
 * otherwise. The parts are cut here (`cutParts`), each chunk copied once, straight into a part's
 * buffer, and at most `partsInFlight` are sent at once; the source is read only as fast as a part's
 * buffer frees, so memory stays near (partsInFlight + 1) × partSizeBytes.
 *
 * The first failure of any kind (the signal, the source, an S3 call after its retries) stops the
 * upload at once: `uploadStream` rejects without waiting for a stalled source or network, and no
 * request is sent after that. The error reported is the source's, else the first S3 call's. The
 * parts are left alone: the caller aborts the open upload instead, through
 * `UploadFailure.openUpload`, which is handed over only once every request has settled, so that no
 * part the server may still complete races the cleanup. A part (or PutObject) follows the signal
 * only until its body is sent: cut later, the server could still store it, and
 * CreateMultipartUpload never follows it, so that the id of an upload the server created is known.
 */
export async function uploadStream(
  chunks: AsyncIterable<Uint8Array>,
  { client, bucket, objectName }: UploadTarget,
  signal: AbortSignal,
  { partSizeBytes, partsInFlight, limit }: UploadSettings,
): Promise<void> {
  const stopping = new FirstFailure(() => {
    calls.refuseMore();
  });
  const calls = new SignalledCalls(client, signal, limit, (error) => {
    stopping.stop(error);
  });
  const stopOnSignal = () => {
    stopping.stop(Object.assign(new Error('the upload was aborted', { cause: signal.reason }), { name: 'AbortError' }));
  };
  signal.addEventListener('abort', stopOnSignal, { once: true });
  if (signal.aborted) stopOnSignal();
  const source = chunks[Symbol.asyncIterator]();
  let sourceError: { error: unknown } | undefined;
  const sourceRead = { toEnd: false };
  const read = async (): Promise<IteratorResult<Uint8Array>> => {
    const next = source.next().then(
      (result) => {
        sourceRead.toEnd = result.done === true;
        return result;
      },
      (error: unknown) => {
        sourceError ??= { error };
        stopping.stop(error);
        throw error;
      },
    );
    return stopping.race(next);
  };
  const object = { Bucket: bucket, Key: objectName };
  try {
    const buffers = new PartBuffers(partSizeBytes);
    const parts = cutParts(read, buffers);
    const sending = new Set<Promise<void>>();
    const sent: CompletedPart[] = [];
    let uploadId: string | undefined;
    for (let next = await stopping.race(parts.next()); next.done !== true; next = await stopping.race(parts.next())) {
      const part = next.value;
      if (part.number === 1 && part.last) {
        await stopping.race(calls.putObject({ ...object, Body: part.bytes, ContentLength: part.bytes.byteLength, ContentType }));
        return;
      }
      if (part.number > maxParts) throw new Error(`the stream is longer than ${maxParts} parts of ${partSizeBytes} bytes`);
      uploadId ??= await stopping.race(calls.createMultipartUpload({ ...object, ContentType }));
      const upload = { ...object, UploadId: uploadId, PartNumber: part.number, Body: part.bytes, ContentLength: part.bytes.byteLength };
      // Settles without rejecting: a failure stops the upload through `calls` (or `stopping`), and is reported from there.
      const sendingPart = calls.uploadPart(upload).then(
        ({ ETag }) => {
          if (ETag === undefined) throw new Error(`part ${part.number} came back without an ETag`);
          sent[part.number - 1] = { PartNumber: part.number, ETag };
          buffers.release(part.bytes);
        },
      ).catch((error: unknown) => { stopping.stop(error); }).finally(() => sending.delete(sendingPart));
      sending.add(sendingPart);
      if (sending.size >= partsInFlight) await stopping.race(Promise.race(sending));
    }
    await stopping.race(Promise.all(sending));
    if (uploadId === undefined) throw new Error('a multipart upload ended without an id');
    await stopping.race(calls.completeMultipartUpload({ ...object, UploadId: uploadId, MultipartUpload: { Parts: sent } }));
  } catch (error) {
    stopping.stop(error);
    await calls.settled();
    const { uploadId } = calls;
    // A completed upload is an object now, not an upload: what is left to remove is the object.
    const openUpload = uploadId === undefined || calls.completed() ? undefined : openMultipartUpload({ client, bucket, objectName }, uploadId, limit);
    const reason = sourceError === undefined ? (calls.firstError ?? stopping.reason) : sourceError.error;
    throw new UploadFailure(reason, openUpload, calls.mayHaveStored());
  } finally {
    signal.removeEventListener('abort', stopOnSignal);
    // A source left half-read is told so, without waiting on it: it may be stalled for good.
    if (sourceError === undefined && !sourceRead.toEnd) void Promise.resolve().then(() => source.return?.()).catch(() => undefined);
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
