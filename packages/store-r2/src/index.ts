export { R2Store } from './r2-store.js';
export { storeProvider } from './store-provider.js';
export type { R2BucketOptions, R2StoreOptions } from './r2-store-options.js';
export type { R2StoreLimits } from './store-limits.js';
// The S3 layer for integrations (@claimcheck/sqs): any bucket and key, with the store's client, deadlines and error mapping.
export { S3Objects, type S3ObjectCall, type S3ObjectPut, type S3ObjectRead, type S3ObjectsOptions } from './s3-objects.js';
export { type BoundedObjectRead, readBoundedObject } from './bounded-object-read.js';
export { S3ObjectError, type S3ObjectErrorOptions } from './s3-object-error.js';
