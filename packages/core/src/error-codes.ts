/**
 * The stable error codes. A code is part of the public API: a message may change in any release,
 * a code only in a major one.
 */
export const ErrorCodes = {
  /** The key is well formed but nothing is stored under it. */
  NOT_FOUND: 'NOT_FOUND',
  /** The key is not one this store could have generated. */
  INVALID_KEY: 'INVALID_KEY',
  /** The store cannot be reached or used: a missing directory, a refused connection, exhausted retries. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** The store could not authenticate or is not allowed to do the operation. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** A configuration value is missing or malformed. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /** The caller's AbortSignal fired. */
  ABORTED: 'ABORTED',
  /** The operation took longer than the configured bound. */
  TIMEOUT: 'TIMEOUT',
  /** The store was closed before the operation started. */
  CLOSED: 'CLOSED',
  /** The backend failed in a way no other code describes. */
  STORE_FAILURE: 'STORE_FAILURE',
  /** Stored bytes do not match what the reference promises. */
  INTEGRITY: 'INTEGRITY',
  /** A reference is malformed, truncated, forged or from a future format version. */
  INVALID_REFERENCE: 'INVALID_REFERENCE',
  /**
   * A payload is not acceptable as given: not bytes, a stream chunk that is not bytes, or a message an
   * integration cannot send as it stands (a reserved attribute name, too many attributes).
   */
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  /** The caller's source stream failed while the store was reading it; its error is the `cause`. */
  SOURCE_FAILURE: 'SOURCE_FAILURE',
  /** A payload, or what a reference claims, is larger than the configured bound (`maxPayloadBytes`). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The selected backend's package is not installed. */
  BACKEND_NOT_INSTALLED: 'BACKEND_NOT_INSTALLED',
} as const;

/** One of the stable error codes. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
