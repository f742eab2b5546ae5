import { ClaimCheckError } from '@claimcheck/core';

/**
 * Cloudflare's limits this package lifts, and the inline sizes it keeps under them: the margin
 * leaves room for what the platform adds to a body (the content type, ids, serialisation).
 */
export const cloudflareLimits = Object.freeze({
  /** A Queues message body: 128 KB. */
  queueMessageBytes: 128_000,
  /** A `sendBatch` call: 256 KB over all its messages. */
  queueBatchBytes: 256_000,
  /** A Workflows step result, or an event payload: 1 MiB. */
  workflowPayloadBytes: 1_048_576,
});

/** The largest body a queue message carries inline; a larger one is offloaded whatever the manager's threshold. */
export const defaultQueueInlineBytes = cloudflareLimits.queueMessageBytes - 8_000;
/** The largest step result or event payload carried inline. */
export const defaultWorkflowInlineBytes = cloudflareLimits.workflowPayloadBytes - 16_384;

/** A whole number of bytes in 1..limit, or the default; `INVALID_CONFIG` otherwise. */
export function limitOption(value: number | undefined, fallback: number, name: string, limit: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > limit) {
    throw new ClaimCheckError({ code: 'INVALID_CONFIG', operation: 'config', backend: 'cloudflare', detail: `${name} must be a whole number of bytes from 1 to ${limit}, got ${String(value)}` });
  }
  return value;
}
