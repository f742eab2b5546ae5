/** The stable codes of `ClaimCheckWarning`s. */
export type WarningCode =
  /** A write was cancelled or failed, and removing what it may have left behind failed too. */
  | 'CLEANUP_FAILED'
  /** `close()` cancelled operations that were still running when it gave up waiting for them. */
  | 'CLOSE_INCOMPLETE'
  /** A hook the caller passed (a metrics callback, say) threw; the operation's result did not change. */
  | 'HOOK_FAILED';

/** What a warning is built from. */
export interface ClaimCheckWarningOptions {
  code: WarningCode;
  /** The store's name. */
  backend: string;
  /** What happened, for people. */
  detail: string;
  /** The key of the blob concerned, when there is one: what an operator needs to find it. */
  key?: string;
  cause?: unknown;
}

/**
 * Something went wrong that no caller can be told about through a rejection: a background cleanup
 * failed, or `close()` had to cancel work. Stores hand it to their `onWarning` option, which by
 * default passes it to `process.emitWarning`.
 */
export class ClaimCheckWarning extends Error {
  /** The stable code. */
  readonly code: WarningCode;
  /** The store's name. */
  readonly backend: string;
  /** The key of the blob concerned, when there is one. */
  readonly key?: string;

  constructor({ code, backend, detail, key, cause }: ClaimCheckWarningOptions) {
    super(`${backend}: ${detail}`, cause === undefined ? undefined : { cause });
    this.name = 'ClaimCheckWarning';
    this.code = code;
    this.backend = backend;
    if (key !== undefined) this.key = key;
  }
}

/** Where warnings go when a store is given no `onWarning`. */
export function emitProcessWarning(warning: ClaimCheckWarning): void {
  process.emitWarning(warning);
}
