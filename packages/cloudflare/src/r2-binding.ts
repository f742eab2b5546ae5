// The parts of the Workers R2 binding this package calls, written out so that the package needs no
// type package and accepts the `R2Bucket` of any `@cloudflare/workers-types` version (or a double).

/** An object's metadata as the binding returns it from `head`, `put` and `list`. */
export interface R2ObjectLike {
  /** The object name. */
  readonly key: string;
  /** Its size in bytes. */
  readonly size: number;
  /** When it was written. */
  readonly uploaded: Date;
}

/** An object with its body, as `get` returns it. */
export interface R2ObjectBodyLike extends R2ObjectLike {
  /** The body, streamed. */
  readonly body: ByteStreamLike;
  /** The whole body. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A `ReadableStream` of bytes, as far as reading it goes. */
export interface ByteStreamLike {
  /** A reader that locks the stream. */
  getReader(): ByteReaderLike;
  /** Stops the stream and drops what is left. */
  cancel(reason?: unknown): Promise<void>;
}

/** The reader of a `ByteStreamLike`. */
export interface ByteReaderLike {
  /** The next chunk, or the end. */
  read(): Promise<{ done: false; value: Uint8Array } | { done: true; value?: undefined }>;
  /** Unlocks the stream. */
  releaseLock(): void;
}

/** One page of `list`. */
export interface R2ObjectsLike {
  /** The objects of this page. */
  readonly objects: readonly R2ObjectLike[];
  /** True when more pages follow. */
  readonly truncated: boolean;
  /** Where the next page starts, when `truncated`. */
  readonly cursor?: string;
}

/** A multipart upload in progress. */
export interface R2MultipartUploadLike {
  /** Uploads one part; every part but the last must have the same size. */
  uploadPart(partNumber: number, value: Uint8Array): Promise<{ partNumber: number; etag: string }>;
  /** Completes the object from its parts. */
  complete(uploadedParts: { partNumber: number; etag: string }[]): Promise<R2ObjectLike>;
  /** Abandons the upload and its parts. */
  abort(): Promise<void>;
}

/** The options of `put` this package uses. */
export interface R2PutOptionsLike {
  /** `{ etagDoesNotMatch: '*' }`: write only if nothing is stored under the name yet. */
  onlyIf?: { etagDoesNotMatch: string };
  /** The content type served with the object. */
  httpMetadata?: { contentType: string };
}

/** The `R2Bucket` binding (`env.BUCKET`), as far as `R2BindingStore` uses it. */
export interface R2BucketLike {
  /** Metadata only; `null` when there is no object. */
  head(key: string): Promise<R2ObjectLike | null>;
  /** The object and its body; `null` when there is none. */
  get(key: string): Promise<R2ObjectBodyLike | null>;
  /** Writes an object; `null` when an `onlyIf` condition failed. */
  put(key: string, value: Uint8Array, options?: R2PutOptionsLike): Promise<R2ObjectLike | null>;
  /** Deletes objects; a missing one is not an error. */
  delete(keys: string | string[]): Promise<void>;
  /** One page of names under a prefix. */
  list(options?: { prefix?: string; cursor?: string; delimiter?: string; limit?: number }): Promise<R2ObjectsLike>;
  /** Starts a multipart upload. */
  createMultipartUpload(key: string, options?: R2PutOptionsLike): Promise<R2MultipartUploadLike>;
}
