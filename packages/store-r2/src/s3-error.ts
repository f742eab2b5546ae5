import { ClaimCheckError, type ErrorCode, isClaimCheckError } from '@claimcheck/core';
import { abortedError, type OperationContext } from '@claimcheck/core/store-helpers';
import { unansweredBodyErrorName } from './sliced-body.js';

/** How an S3 failure is read, beyond the codes every operation shares. */
export interface ErrorReading extends OperationContext {
  /** The bucket, named when it turns out not to exist. */
  bucket: string;
  /** A missing object means `NOT_FOUND`: true only for operations that read a key. */
  missingObjectIsNotFound?: boolean;
  /** The key the operation is about, named when it is not found. */
  key?: string;
  /** A bare 404 means the bucket is missing: true for HeadBucket, which has no error body. */
  notFoundIsMissingBucket?: boolean;
}

// Node's socket errors that mean the server could not be reached or dropped the connection.
const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

const credentialErrorNames = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'InvalidToken',
  'ExpiredToken',
  'AuthorizationHeaderMalformed',
  'Forbidden',
  'Unauthorized',
]);

/** What the SDK and Node put on their errors, read defensively: an injected client may throw anything. */
interface ErrorFacts {
  name: string;
  message: string;
  code: string | undefined;
  status: number | undefined;
  attempts: number | undefined;
}

function factsOf(error: unknown): ErrorFacts {
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const metadata = (typeof record.$metadata === 'object' && record.$metadata !== null ? record.$metadata : {}) as Record<
    string,
    unknown
  >;
  return {
    name: typeof record.name === 'string' ? record.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
    code: typeof record.code === 'string' ? record.code : undefined,
    status: typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined,
    attempts: typeof metadata.attempts === 'number' ? metadata.attempts : undefined,
  };
}

function codeFor(facts: ErrorFacts, reading: ErrorReading): ErrorCode {
  const { name, code, status } = facts;
  // Checked before the timeout: the SDK renames a reset connection (ECONNRESET, EPIPE) to TimeoutError.
  if (code !== undefined && connectionErrorCodes.has(code)) return 'UNAVAILABLE';
  if (name === 'TimeoutError' || name === unansweredBodyErrorName || code === 'ETIMEDOUT') return 'TIMEOUT';
  if (name === 'NoSuchBucket' || (reading.notFoundIsMissingBucket === true && status === 404)) return 'INVALID_CONFIG';
  // Only the server's word that the object is missing: a 404 from a proxy or a wrong path is not that.
  if (reading.missingObjectIsNotFound === true && (name === 'NoSuchKey' || (name === 'NotFound' && status === 404))) return 'NOT_FOUND';
  if (credentialErrorNames.has(name) || status === 401 || status === 403) return 'UNAUTHORIZED';
  if (status !== undefined && status >= 500) return 'UNAVAILABLE';
  return 'STORE_FAILURE';
}

function detailFor(code: ErrorCode, facts: ErrorFacts, reading: ErrorReading): string {
  const parts = [code === 'INVALID_CONFIG' ? `bucket ${JSON.stringify(reading.bucket)} does not exist` : ''];
  if (code === 'NOT_FOUND' && reading.key !== undefined) parts.push(`key ${reading.key} not found:`);
  parts.push(facts.message === '' || facts.message === 'UnknownError' ? facts.name : `${facts.name}: ${facts.message}`);
  if (facts.status !== undefined) parts.push(`(HTTP ${facts.status})`);
  if (facts.attempts !== undefined && facts.attempts > 1) parts.push(`after ${facts.attempts} attempts`);
  return parts.filter((part) => part !== '').join(' ');
}

/**
 * Turns whatever an S3 call threw into a `ClaimCheckError` with the right code, the original as
 * `cause`. A fired signal wins: whatever the SDK made of it, the caller aborted.
 */
export function toStoreError(error: unknown, reading: ErrorReading, signal?: AbortSignal): ClaimCheckError {
  const context = { operation: reading.operation, backend: reading.backend };
  if (signal?.aborted === true) return abortedError(signal, context);
  if (isClaimCheckError(error)) return error;
  const facts = factsOf(error);
  const code = codeFor(facts, reading);
  return new ClaimCheckError({ ...context, code, detail: detailFor(code, facts, reading), cause: error });
}

/**
 * Whether a write that failed with `error` may still have stored its object: anything but the
 * server's own refusal (a 4xx answer), since a lost response or a cancelled request leaves no trace
 * of whether the server finished.
 */
export function mayHaveWritten(error: unknown): boolean {
  const { status } = factsOf(error);
  return status === undefined || status >= 500;
}
