import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

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

/**
 * Uploads a stream of unknown length with lib-storage: one PutObject when it fits in a part,
 * a multipart upload otherwise. When the stream or a part fails, lib-storage aborts the multipart
 * upload before `done()` rejects, so no parts are left behind. When the stream failed, its error is
 * the one thrown, even if that abort failed too (the bucket's lifecycle rule then clears the parts).
 */
export async function uploadStream(chunks: AsyncIterable<Uint8Array>, { client, bucket, objectName }: UploadTarget): Promise<void> {
  let sourceError: unknown;
  async function* recorded(): AsyncGenerator<Uint8Array> {
    try {
      // lib-storage holds on to chunks until a part is full, while the source goes on: a copy keeps
      // the part intact even when the source reuses its buffer for the next chunk.
      for await (const chunk of chunks) yield chunk.slice();
    } catch (error) {
      sourceError = error;
      throw error;
    }
  }
  // highWaterMark 1: read the source only as fast as parts are cut, never ahead of them.
  const body = Readable.from(recorded(), { objectMode: true, highWaterMark: 1 });
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: objectName, Body: body, ContentType: 'application/octet-stream' },
    partSize: uploadPartBytes,
    queueSize: uploadQueueSize,
    leavePartsOnError: false,
  });
  try {
    await upload.done();
  } catch (error) {
    throw sourceError ?? error;
  } finally {
    body.destroy();
  }
}
