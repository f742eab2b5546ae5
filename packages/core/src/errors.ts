import { ErrorCodes, type ErrorCode } from './error-codes.js';

// A registry-wide symbol, so that errors from a second copy of this package are still recognised.
const brand = Symbol.for('@claimcheck/core/error');

/** What every claimcheck error is built from. */
export interface ClaimCheckErrorOptions {
  /** The stable code. */
  code: ErrorCode;
  /** The operation that failed: `put`, `get`, `listKeys`, `config`, … */
  operation: string;
  /** The backend or component: `memory`, `filesystem`, `r2`, `manager`, … */
  backend: string;
  /** What went wrong, without the `backend operation failed:` prefix. */
  detail: string;
  /** The original error. */
  cause?: unknown;
  /** The filesystem path involved, when there is one; kept out of the message so logs don't leak it. */
  path?: string;
}

/** The base of every claimcheck error; `code` is the stable contract, the message is for people. */
export class ClaimCheckError extends Error {
  declare readonly [brand]: true;
  /** The stable code. */
  readonly code: ErrorCode;
  /** The operation that failed. */
  readonly operation: string;
  /** The backend or component that failed. */
  readonly backend: string;
  /** The filesystem path involved, when there is one; never part of the message. */
  readonly path?: string;

  constructor({ code, operation, backend, detail, cause, path }: ClaimCheckErrorOptions) {
    super(`${backend} ${operation} failed: ${detail}`, cause === undefined ? undefined : { cause });
    this.name = 'ClaimCheckError';
    this.code = code;
    this.operation = operation;
    this.backend = backend;
    if (path !== undefined) this.path = path;
    Object.defineProperty(this, brand, { value: true });
  }
}

const knownCodes = new Set<string>(Object.values(ErrorCodes));

/** True for any claimcheck error, including one thrown by another copy of this package. */
export function isClaimCheckError(error: unknown): error is ClaimCheckError {
  if (error instanceof ClaimCheckError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { [brand]?: unknown; code?: unknown };
  return candidate[brand] === true && typeof candidate.code === 'string' && knownCodes.has(candidate.code);
}

/** True when `error` is a claimcheck error with the given code. */
export function hasErrorCode(error: unknown, code: ErrorCode): error is ClaimCheckError {
  return isClaimCheckError(error) && error.code === code;
}

/** Nothing is stored under the key. */
export const isNotFoundError = (error: unknown): error is ClaimCheckError => hasErrorCode(error, 'NOT_FOUND');
/** The key could not have come from the store. */
export const isInvalidKeyError = (error: unknown): error is ClaimCheckError => hasErrorCode(error, 'INVALID_KEY');
/** The store cannot be reached or used. */
export const isUnavailableError = (error: unknown): error is ClaimCheckError => hasErrorCode(error, 'UNAVAILABLE');
/** A configuration value is missing or malformed. */
export const isInvalidConfigError = (error: unknown): error is ClaimCheckError => hasErrorCode(error, 'INVALID_CONFIG');
/** The caller aborted the operation. */
export const isAbortedError = (error: unknown): error is ClaimCheckError => hasErrorCode(error, 'ABORTED');
/** The operation ran out of time. */
export const isTimeoutError = (error: unknown): error is ClaimCheckError => hasErrorCode(error, 'TIMEOUT');
/** The store was closed. */
export const isClosedError = (error: unknown): error is ClaimCheckError => hasErrorCode(error, 'CLOSED');
/** Stored bytes failed their integrity check. */
export const isIntegrityError = (error: unknown): error is ClaimCheckError => hasErrorCode(error, 'INTEGRITY');
/** A reference could not be parsed or trusted. */
export const isInvalidReferenceError = (error: unknown): error is ClaimCheckError =>
  hasErrorCode(error, 'INVALID_REFERENCE');
