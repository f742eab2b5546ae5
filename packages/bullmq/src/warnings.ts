import { ClaimCheckWarning } from '@claimcheck/core';

/** Receives what a wrapper cannot report through a rejection, such as a blob it could not delete. */
export type WarningListener = (warning: ClaimCheckWarning) => void;

/** Options of every wrapper that reports warnings. */
export interface WarningOptions {
  /** Receives the wrapper's own warnings instead of `process.emitWarning`. */
  onWarning?: WarningListener;
}

/** A function that reports a cleanup the wrapper could not do; a throwing listener cannot break the wrapper. */
export type CleanupWarner = (detail: string, cause: unknown, key?: string) => void;

/** A warner for `onWarning`, or for `process.emitWarning` when none is given. */
export function cleanupWarner({ onWarning }: WarningOptions): CleanupWarner {
  const listener: WarningListener = onWarning ?? ((warning) => { process.emitWarning(warning); });
  return (detail, cause, key) => {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const warning = new ClaimCheckWarning({ code: 'CLEANUP_FAILED', backend: 'bullmq', detail: `${detail}: ${reason}`, cause, ...(key !== undefined && { key }) });
    try {
      listener(warning);
    } catch {
      // A warning listener that throws has nowhere to report to; the wrapper carries on.
    }
  };
}
