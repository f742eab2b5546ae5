import { ClaimCheckError } from '@claimcheck/core';

/**
 * How long a large result outlives its job by default: one hour, so a `QueueEvents` consumer that
 * reconnects or lags behind (a deploy, a restart) can still read the results it hears of.
 */
export const defaultResultRetentionMs = 60 * 60 * 1000;

/** Options that say how long blobs outlive their jobs. */
export interface RetentionOptions {
  /**
   * How long, in milliseconds, a large return value's blob is kept after the job completed, even once
   * BullMQ has removed the job: the window in which `QueueEvents` consumers can resolve it. While
   * BullMQ keeps the job, the blob is kept whatever its age. Default one hour.
   */
  resultRetentionMs?: number;
}

/** `value` when it is a positive, finite number of milliseconds; otherwise `INVALID_CONFIG` naming `name`. */
export function positiveMilliseconds(value: unknown, name: string, operation: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new ClaimCheckError({
    code: 'INVALID_CONFIG',
    operation,
    backend: 'bullmq',
    detail: `${name} must be a positive, finite number of milliseconds, not ${String(value)}`,
  });
}

/** The configured result retention, checked, or the default. */
export function resultRetentionOf(options: RetentionOptions, operation: string): number {
  return options.resultRetentionMs === undefined ? defaultResultRetentionMs : positiveMilliseconds(options.resultRetentionMs, 'resultRetentionMs', operation);
}
