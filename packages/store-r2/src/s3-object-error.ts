import { ClaimCheckError, type ClaimCheckErrorOptions } from '@claimcheck/core';

/** What an `S3ObjectError` is built from: a `ClaimCheckError`'s options and the object's bucket and key. */
export interface S3ObjectErrorOptions extends ClaimCheckErrorOptions {
  /** The bucket the object is in. */
  bucket: string;
  /** The object's key in that bucket. */
  key: string;
}

/**
 * A `ClaimCheckError` about one S3 object, naming its `bucket` and `key` as fields (and in the
 * message), so that an operator can find the object a forged or damaged pointer named.
 */
export class S3ObjectError extends ClaimCheckError {
  /** The bucket the object is in. */
  readonly bucket: string;
  /** The object's key in that bucket. */
  readonly key: string;

  constructor({ bucket, key, ...options }: S3ObjectErrorOptions) {
    super(options);
    this.name = 'S3ObjectError';
    this.bucket = bucket;
    this.key = key;
  }
}
