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
