import { defineStoreProvider, storeBaseOptions } from '@claimcheck/core';
import { R2Store } from './r2-store.js';
import { connectionDefaults, type R2StoreOptions } from './r2-store-options.js';
import { limitDefaults } from './store-limits.js';

/**
 * The R2 store's provider: `BLOB_STORAGE_TYPE=r2`, or no type at all (the origin's default), selects
 * it, and every option of `R2Store` is described here once, with its environment variable.
 */
export const storeProvider = defineStoreProvider<R2StoreOptions>({
  name: 'r2',
  options: [
    { name: 'bucket', type: 'string', env: 'R2_BUCKET', required: true, location: true, doc: 'the bucket the blobs live in' },
    {
      name: 'endpoint',
      type: 'string',
      env: 'R2_ENDPOINT',
      required: { unless: 'client' },
      location: true,
      doc: 'the S3 API endpoint, for R2 `https://<account-id>.r2.cloudflarestorage.com`',
    },
    { name: 'accessKeyId', type: 'string', env: 'R2_ACCESS_KEY_ID', required: { unless: 'client' }, doc: 'the access key id of an API token' },
    {
      name: 'secretAccessKey',
      type: 'string',
      env: 'R2_SECRET_ACCESS_KEY',
      required: { unless: 'client' },
      secret: true,
      doc: 'the secret access key of the token',
    },
    { name: 'region', type: 'string', env: 'R2_REGION', default: connectionDefaults.region, doc: 'the signing region; R2 uses `auto`' },
    {
      name: 'keyPrefix',
      type: 'string',
      env: 'R2_KEY_PREFIX',
      default: '',
      location: true,
      namespace: true,
      doc: 'prepended to every object name, so the store keeps to its part of a shared bucket (`team-a/claimcheck/`)',
    },
    {
      name: 'forcePathStyle',
      type: 'boolean',
      env: 'R2_FORCE_PATH_STYLE',
      default: connectionDefaults.forcePathStyle,
      doc: 'path-style URLs (`endpoint/bucket/key`), for MinIO or Ceph behind one hostname',
    },
    { name: 'maxAttempts', type: 'integer', env: 'R2_MAX_ATTEMPTS', default: connectionDefaults.maxAttempts, doc: 'attempts per request, the first included, with backoff between them' },
    {
      name: 'requestTimeoutMs',
      type: 'integer',
      env: 'R2_REQUEST_TIMEOUT_MS',
      default: connectionDefaults.requestTimeoutMs,
      doc: 'bound on silence in one attempt: no byte sent or received for this long fails it (slow transfers that keep moving succeed)',
    },
    { name: 'connectionTimeoutMs', type: 'integer', env: 'R2_CONNECTION_TIMEOUT_MS', default: connectionDefaults.connectionTimeoutMs, doc: 'bound on opening a connection' },
    {
      name: 'waitTimeoutMs',
      type: 'integer',
      env: 'R2_WAIT_TIMEOUT_MS',
      default: limitDefaults.waitTimeoutMs,
      doc: 'deadline on the time one request waits on the server (connecting, an unanswered request, retries and backoff); a moving body does not count',
    },
    { name: 'healthTimeoutMs', type: 'integer', env: 'R2_HEALTH_TIMEOUT_MS', default: limitDefaults.healthTimeoutMs, doc: 'the same deadline for `health()`' },
    {
      name: 'partSizeBytes',
      type: 'integer',
      env: 'R2_PART_SIZE_BYTES',
      default: limitDefaults.partSizeBytes,
      doc: 'part size of a streamed upload (`putStream`), from 5 MiB (S3’s minimum) to 5 GiB',
    },
    {
      name: 'partsInFlight',
      type: 'integer',
      env: 'R2_PARTS_IN_FLIGHT',
      default: limitDefaults.partsInFlight,
      doc: 'parts of one streamed upload sent at once; memory stays near (partsInFlight + 1) × partSizeBytes',
    },
    {
      name: 'client',
      type: 'object',
      doc: 'your own configured `S3Client`; it replaces the endpoint, credentials, region, path style, attempts and the two silence bounds, and is not destroyed by `close()`',
    },
    ...storeBaseOptions('R2_'),
  ],
  create: (options) => new R2Store(options),
});
