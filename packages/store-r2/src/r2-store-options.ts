import type { S3Client } from '@aws-sdk/client-s3';
import { ClaimCheckError, type StoreBaseOptions } from '@claimcheck/core';
import { objectNamePrefixProblem } from '@claimcheck/core/store-helpers';
import type { R2StoreLimits } from './store-limits.js';

/**
 * How to reach the bucket. Every field accepts `undefined`, so options can be read straight from
 * `process.env`; what is missing is reported at construction as one `INVALID_CONFIG` error.
 */
export interface R2BucketOptions {
  /** The bucket the blobs live in. Always required. */
  bucket?: string | undefined;
  /** The S3 API endpoint, for R2 `https://<account-id>.r2.cloudflarestorage.com`. Required unless `client` is given. */
  endpoint?: string | undefined;
  /** The access key id of an API token. Required unless `client` is given. */
  accessKeyId?: string | undefined;
  /** The secret access key of the token. Required unless `client` is given; never shown in errors, logs or inspection. */
  secretAccessKey?: string | undefined;
  /** The signing region; R2 uses `auto`, the default. */
  region?: string | undefined;
  /** Prepended verbatim to every object name: `${keyPrefix}${key}`. Include a trailing `/` for a folder. Default `''`. */
  keyPrefix?: string | undefined;
  /** Address the bucket as `endpoint/bucket` rather than `bucket.endpoint` (MinIO, Ceph without wildcard DNS). Default `false`. */
  forcePathStyle?: boolean | undefined;
  /** Attempts per request, the first included, with the SDK's backoff between them. Default 3. */
  maxAttempts?: number | undefined;
  /** Bound on silence in one attempt: no byte sent or received for this long fails it. Not a bound on total time, so slow transfers that keep moving succeed. Default 10 000. */
  requestTimeoutMs?: number | undefined;
  /** Bound on opening a connection. Default 3 000. */
  connectionTimeoutMs?: number | undefined;
  /**
   * Your own configured `S3Client`, for what the options above do not cover. It replaces `endpoint`,
   * the credentials, `region`, `forcePathStyle`, `maxAttempts`, `requestTimeoutMs` and
   * `connectionTimeoutMs`, which must then be left out; the store does not destroy a client it was given.
   */
  client?: S3Client | undefined;
}

/** The options of an `R2Store`: the bucket, the store's limits, and the base's `closeTimeoutMs` and `onWarning`. */
export interface R2StoreOptions extends R2BucketOptions, R2StoreLimits, StoreBaseOptions {}

/** The options once checked, with defaults applied: an injected client, or what to build one from. */
export type ResolvedOptions = { bucket: string; keyPrefix: string } & (
  | { client: S3Client; connection?: undefined }
  | { client?: undefined; connection: ConnectionOptions }
);

/** What the store needs to build its own client. */
export interface ConnectionOptions {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  forcePathStyle: boolean;
  maxAttempts: number;
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
}

const connectionFields = [
  'endpoint',
  'accessKeyId',
  'secretAccessKey',
  'region',
  'forcePathStyle',
  'maxAttempts',
  'requestTimeoutMs',
  'connectionTimeoutMs',
] as const;

/** The defaults of the connection options, as `resolveOptions` applies them and the provider documents them. */
export const connectionDefaults = { region: 'auto', forcePathStyle: false, maxAttempts: 3, requestTimeoutMs: 10_000, connectionTimeoutMs: 3_000 } as const;

/** The connection options of `R2BucketOptions`: how to reach S3, without the bucket and prefix. */
export type ConnectionSettings = Omit<R2BucketOptions, 'bucket' | 'keyPrefix'>;

/**
 * Checks the options and applies defaults; every problem, with those the caller found already
 * (`otherProblems`), is named in one `INVALID_CONFIG` error.
 */
export function resolveOptions(options: R2BucketOptions, otherProblems: readonly string[] = []): ResolvedOptions {
  const problems: string[] = [];
  const missing: string[] = [];
  const bucket = requiredString(options, 'bucket', missing, problems);
  const keyPrefix = options.keyPrefix ?? '';
  const keyPrefixProblem = objectNamePrefixProblem(keyPrefix);
  if (keyPrefixProblem !== undefined) problems.push(keyPrefixProblem);
  const reached = resolveConnection(options, [...problems, ...otherProblems], missing, 'r2');
  return { bucket, keyPrefix, ...reached };
}

/**
 * The client to use: the one given, or the settings to build one from, defaults applied. Every
 * problem, with `problems` and `missing` found already, is one `INVALID_CONFIG` error from `backend`.
 */
export function resolveConnection(
  options: ConnectionSettings,
  problems: string[],
  missing: string[],
  backend: string,
): { client: S3Client; connection?: undefined } | { client?: undefined; connection: ConnectionOptions } {
  const reportProblems = () => {
    if (missing.length > 0) problems.unshift(`missing ${missing.join(', ')}`);
    if (problems.length === 0) return;
    throw new ClaimCheckError({ code: 'INVALID_CONFIG', operation: 'config', backend, detail: problems.join('; ') });
  };
  const { client } = options;
  if (client !== undefined) {
    const conflicting = connectionFields.filter((field) => options[field] !== undefined);
    if (conflicting.length > 0) problems.push(`client cannot be combined with ${conflicting.join(', ')}`);
    reportProblems();
    return { client };
  }
  const connection: ConnectionOptions = {
    endpoint: requiredString(options, 'endpoint', missing, problems),
    accessKeyId: requiredString(options, 'accessKeyId', missing, problems),
    secretAccessKey: requiredString(options, 'secretAccessKey', missing, problems),
    region: options.region ?? connectionDefaults.region,
    forcePathStyle: options.forcePathStyle ?? connectionDefaults.forcePathStyle,
    maxAttempts: options.maxAttempts ?? connectionDefaults.maxAttempts,
    requestTimeoutMs: options.requestTimeoutMs ?? connectionDefaults.requestTimeoutMs,
    connectionTimeoutMs: options.connectionTimeoutMs ?? connectionDefaults.connectionTimeoutMs,
  };
  problems.push(...connectionProblems(connection));
  reportProblems();
  return { connection };
}

function requiredString<Field extends 'bucket' | 'endpoint' | 'accessKeyId' | 'secretAccessKey'>(
  options: Partial<Record<Field, unknown>>,
  field: Field,
  missing: string[],
  problems: string[],
): string {
  const value = options[field];
  if (value === undefined || value === '') missing.push(field);
  else if (typeof value !== 'string') problems.push(`${field} must be a string`);
  return typeof value === 'string' ? value : '';
}

// Values are named but never echoed: a misplaced secret must not end up in an error message.
function connectionProblems(connection: ConnectionOptions): string[] {
  const problems: string[] = [];
  if (connection.endpoint !== '' && !isHttpUrl(connection.endpoint)) problems.push('endpoint must be an http or https URL');
  if (typeof connection.region !== 'string' || connection.region === '') problems.push('region must be a non-empty string');
  if (typeof connection.forcePathStyle !== 'boolean') problems.push('forcePathStyle must be a boolean');
  if (!Number.isInteger(connection.maxAttempts) || connection.maxAttempts < 1) problems.push('maxAttempts must be an integer ≥ 1');
  for (const field of ['requestTimeoutMs', 'connectionTimeoutMs'] as const) {
    const value = connection[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) problems.push(`${field} must be a positive number`);
  }
  return problems;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
