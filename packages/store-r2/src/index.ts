export { R2Store } from './r2-store.js';
export type { R2BucketOptions, R2StoreOptions } from './r2-store-options.js';
export type { R2StoreLimits } from './store-limits.js';
// The S3 layer for integrations, first piece: a bounded read of any bucket and key (@claimcheck/sqs reads pointers with it).
export { type BoundedObjectRead, readBoundedObject } from './bounded-object-read.js';
export { S3ObjectError, type S3ObjectErrorOptions } from './s3-object-error.js';
// The S3 plumbing other claimcheck packages share (@claimcheck/sqs): one client configuration, one error mapping.
export { type ConnectionOptions, resolveOptions as resolveR2StoreOptions, type ResolvedOptions as ResolvedR2StoreOptions } from './r2-store-options.js';
export { createS3Client } from './s3-client.js';
export { type ErrorReading, toStoreError } from './s3-error.js';
