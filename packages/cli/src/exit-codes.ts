import type { ErrorCode } from '@claimcheck/core';

/** The exit codes of the `claimcheck` command; documented in the README. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  config: 4,
  integrity: 5,
  badInput: 6,
  unavailable: 7,
  interrupted: 130,
} as const;

const byErrorCode: Partial<Record<ErrorCode, number>> = {
  NOT_FOUND: ExitCode.notFound,
  INVALID_CONFIG: ExitCode.config,
  BACKEND_NOT_INSTALLED: ExitCode.config,
  INTEGRITY: ExitCode.integrity,
  INVALID_REFERENCE: ExitCode.badInput,
  INVALID_KEY: ExitCode.badInput,
  INVALID_PAYLOAD: ExitCode.badInput,
  SOURCE_FAILURE: ExitCode.badInput,
  PAYLOAD_TOO_LARGE: ExitCode.badInput,
  UNAVAILABLE: ExitCode.unavailable,
  UNAUTHORIZED: ExitCode.unavailable,
  TIMEOUT: ExitCode.unavailable,
  ABORTED: ExitCode.interrupted,
};

/** The exit code for a failure with the given claimcheck error code. */
export function exitCodeFor(code: ErrorCode): number {
  return byErrorCode[code] ?? ExitCode.failure;
}
