import { ClaimCheckError, type ErrorCode, isClaimCheckError } from '@claimcheck/core';
import { abortedError, type OperationContext } from '@claimcheck/core/store-helpers';

/** The store's name: it prefixes every error message. */
export const backendName = 'filesystem';

/** The errno code of a Node system error (`ENOENT`, `EACCES`, …), or undefined for anything else. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** What one failure is about, for the error message: a key or a path relative to basePath, never an absolute path. */
export interface FailureSubject {
  /** Says what the store was doing: `could not read key …`. */
  what: string;
  /** The code for ENOENT, which means different things to different operations. Default `STORE_FAILURE`. */
  missing?: ErrorCode;
  /** The operation's signal: when it has fired, any failure is reported as `ABORTED`. */
  signal?: AbortSignal | undefined;
  /** The absolute path involved: set on the error as `path`, never put in its message. */
  path?: string | undefined;
}

/**
 * Wraps any failure as a `ClaimCheckError` with the original as `cause`. Permission errors are
 * `UNAUTHORIZED`; a read-only filesystem or a basePath that is not a directory is `UNAVAILABLE`;
 * everything else the filesystem reports is `STORE_FAILURE`.
 */
export function filesystemError(error: unknown, context: OperationContext, subject: FailureSubject): ClaimCheckError {
  if (isClaimCheckError(error)) return error;
  if (subject.signal?.aborted) return abortedError(subject.signal, context);
  const detail = `${subject.what}: ${describeFailure(error)}`;
  const { path } = subject;
  return new ClaimCheckError({ ...context, code: codeFor(errnoCode(error), subject), detail, cause: error, ...(path === undefined ? {} : { path }) });
}

function codeFor(errno: string | undefined, subject: FailureSubject): ErrorCode {
  switch (errno) {
    case 'ENOENT':
      return subject.missing ?? 'STORE_FAILURE';
    case 'EACCES':
    case 'EPERM':
      return 'UNAUTHORIZED';
    case 'EROFS':
    case 'ENOTDIR':
      return 'UNAVAILABLE';
    default:
      return 'STORE_FAILURE';
  }
}

// Node puts the absolute path in a system error's message ("EACCES: permission denied, open '/…'").
// The message keeps the code, the description and the system call, and drops the path.
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { syscall } = error as { syscall?: unknown };
  if (typeof syscall !== 'string') return error.message;
  const description = /^E[A-Z0-9]+: ([^,]*)/.exec(error.message)?.[1] ?? 'system error';
  return `${errnoCode(error) ?? 'error'}: ${description} (${syscall})`;
}
