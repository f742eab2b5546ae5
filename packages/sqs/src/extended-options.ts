import { constants } from 'node:buffer';
import { ClaimCheckError, type ClaimCheckWarning, isInvalidConfigError } from '@claimcheck/core';
import { type R2BucketOptions, S3Objects } from '@claimcheck/store-r2';

/**
 * How large messages are offloaded, and where to. The S3 fields are those of `R2BucketOptions` from
 * `@claimcheck/store-r2` (endpoint, credentials, region, `forcePathStyle`, retries, timeouts, or your
 * own `client`), with the same defaults; `keyPrefix` is replaced by Java's `s3KeyPrefix`.
 */
export interface ExtendedClientOptions extends Omit<R2BucketOptions, 'keyPrefix'> {
  /** Deadline on the time one S3 request waits on the server, as `R2Store`'s `waitTimeoutMs`. Default 30 000. */
  waitTimeoutMs?: number | undefined;
  /** Prepended to the random UUID of every payload key; `[a-zA-Z0-9./_-]*`, at most 988 characters. Java: `s3KeyPrefix`. */
  s3KeyPrefix?: string | undefined;
  /** Offload when body plus attribute bytes are greater than this. Default 262 144. Java: `payloadSizeThreshold`. */
  thresholdBytes?: number | undefined;
  /** Offload every message, whatever its size. Default `false`. Java: `alwaysThroughS3`. */
  alwaysThroughS3?: boolean | undefined;
  /** Mark offloaded messages with `SQSLargePayloadSize` instead of `ExtendedPayloadSize`. Default `false`. Java: `useLegacyReservedAttributeName` (default `true` there). */
  useLegacyReservedAttributeName?: boolean | undefined;
  /** Delete the payload when its message is deleted. Default `true`. Java: `cleanupS3Payload`. */
  cleanupS3Payload?: boolean | undefined;
  /** On receive, delete a message whose payload is missing and leave it out of the result, instead of `NOT_FOUND`. Default `false`. Java: `ignorePayloadNotFound`. */
  ignorePayloadNotFound?: boolean | undefined;
  /** The buckets a received pointer may name. Default: `[bucket]`. No Java equivalent (Java reads any bucket). */
  allowedBuckets?: readonly string[] | undefined;
  /** Send the payload's SHA-256 in a `ClaimCheckPayloadSha256` attribute (it takes one of the 10 attribute slots). Default `false`. No Java equivalent. */
  sha256Attribute?: boolean | undefined;
  /**
   * The largest payload a receive reads, in bytes: a pointer that claims more, or whose object is
   * larger, fails with `PAYLOAD_TOO_LARGE` before any of the object is read. Default 268 435 456 (256 MiB).
   * No Java equivalent (Java reads any size).
   */
  maxPayloadBytes?: number | undefined;
  /** Receives what the plugin cannot report through a rejection, such as a payload left behind. Default: `process.emitWarning`. */
  onWarning?: ((warning: ClaimCheckWarning) => void) | undefined;
}

/** The options once checked, with defaults applied. */
export interface ExtendedSettings {
  bucket: string;
  /** store-r2's S3 layer: the client, its deadlines and its error mapping. */
  objects: S3Objects;
  s3KeyPrefix: string;
  thresholdBytes: number;
  alwaysThroughS3: boolean;
  sizeAttributeName: string;
  cleanupS3Payload: boolean;
  ignorePayloadNotFound: boolean;
  allowedBuckets: ReadonlySet<string>;
  sha256Attribute: boolean;
  maxPayloadBytes: number;
  onWarning: (warning: ClaimCheckWarning) => void;
}

// Java's limits: an S3 key is at most 1024 characters and the UUID takes 36 of them.
const maxKeyPrefixLength = 1024 - 36;
const keyPrefixPattern = /^[a-zA-Z0-9./_-]*$/;
// SQS's largest message; a threshold above it could never be sent inline.
const maxThresholdBytes = 1024 * 1024;
const defaultMaxPayloadBytes = 256 * 1024 * 1024;
// The most one buffer can hold: a payload is read into one.
const largestPayloadBytes = constants.MAX_LENGTH;

/** Checks the options and applies defaults; every problem is named in one `INVALID_CONFIG` error. */
export function resolveExtendedOptions(options: ExtendedClientOptions, backend: string): ExtendedSettings {
  const {
    s3KeyPrefix,
    thresholdBytes,
    alwaysThroughS3,
    useLegacyReservedAttributeName,
    cleanupS3Payload,
    ignorePayloadNotFound,
    allowedBuckets,
    sha256Attribute,
    maxPayloadBytes,
    onWarning,
    bucket,
    ...s3Options
  } = options;
  const settings = {
    bucket: bucket ?? '',
    s3KeyPrefix: s3KeyPrefix ?? '',
    thresholdBytes: thresholdBytes ?? 262_144,
    alwaysThroughS3: alwaysThroughS3 ?? false,
    sizeAttributeName: useLegacyReservedAttributeName === true ? 'SQSLargePayloadSize' : 'ExtendedPayloadSize',
    cleanupS3Payload: cleanupS3Payload ?? true,
    ignorePayloadNotFound: ignorePayloadNotFound ?? false,
    allowedBuckets: new Set(allowedBuckets ?? [bucket ?? '']),
    sha256Attribute: sha256Attribute ?? false,
    maxPayloadBytes: maxPayloadBytes ?? defaultMaxPayloadBytes,
    onWarning: guardedWarning(onWarning ?? emitProcessWarning),
  };
  const problems = settingProblems(settings, options);
  // The connection is checked by store-r2's S3 layer itself, so both packages accept the same settings;
  // its problems are reported with the plugin's, in one error.
  let objects: S3Objects | undefined;
  try {
    objects = new S3Objects({ ...s3Options, backend });
  } catch (error) {
    if (!isInvalidConfigError(error)) throw error;
    problems.push(error.message.replace(`${backend} config failed: `, ''));
  }
  if (problems.length > 0 || objects === undefined) throw new ClaimCheckError({ code: 'INVALID_CONFIG', operation: 'config', backend, detail: problems.join('; ') });
  return { ...settings, objects };
}

function settingProblems(settings: Omit<ExtendedSettings, 'objects'>, options: ExtendedClientOptions): string[] {
  const problems: string[] = [];
  if (typeof options.bucket !== 'string' || options.bucket === '') problems.push('missing bucket');
  const prefix = settings.s3KeyPrefix;
  if (typeof prefix !== 'string') problems.push('s3KeyPrefix must be a string');
  else if (prefix.length > maxKeyPrefixLength) problems.push(`s3KeyPrefix must be at most ${maxKeyPrefixLength} characters`);
  else if (!keyPrefixPattern.test(prefix)) problems.push("s3KeyPrefix may hold only letters, digits, '.', '/', '_' and '-'");
  else if (prefix.startsWith('.') || prefix.startsWith('/') || prefix.includes('..')) problems.push("s3KeyPrefix must not start with '.' or '/' or contain '..'");
  const threshold = settings.thresholdBytes;
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > maxThresholdBytes) problems.push(`thresholdBytes must be an integer from 0 to ${maxThresholdBytes}`);
  for (const flag of ['alwaysThroughS3', 'useLegacyReservedAttributeName', 'cleanupS3Payload', 'ignorePayloadNotFound', 'sha256Attribute'] as const) {
    const value = options[flag];
    if (value !== undefined && typeof value !== 'boolean') problems.push(`${flag} must be a boolean`);
  }
  const buckets = options.allowedBuckets;
  if (buckets !== undefined && (!Array.isArray(buckets) || buckets.some((bucket) => typeof bucket !== 'string' || bucket === ''))) {
    problems.push('allowedBuckets must be an array of bucket names');
  }
  const { maxPayloadBytes } = settings;
  if (!Number.isSafeInteger(maxPayloadBytes) || maxPayloadBytes < 1 || maxPayloadBytes > largestPayloadBytes) {
    problems.push(`maxPayloadBytes must be an integer from 1 to ${largestPayloadBytes}`);
  }
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') problems.push('onWarning must be a function');
  return problems;
}

function emitProcessWarning(warning: ClaimCheckWarning): void {
  process.emitWarning(warning);
}

// A warning is reported while something else is under way: a throwing handler must not break that.
function guardedWarning(onWarning: (warning: ClaimCheckWarning) => void): (warning: ClaimCheckWarning) => void {
  return (warning) => {
    try {
      onWarning(warning);
    } catch {
      // The handler's own failure has nowhere better to go.
    }
  };
}
