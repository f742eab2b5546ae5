import type { ErrorCode } from '@claimcheck/core';
import type { ContentEncoding } from './reference.js';

/** What happened in one manager call; handed to the `onEvent` hook. */
export type ManagerEvent =
  | { type: 'inline'; bytes: number }
  | { type: 'offload'; bytes: number; storedBytes: number; encoding: ContentEncoding; key: string; durationMs: number }
  | { type: 'passthrough'; bytes: number }
  | { type: 'retrieve'; bytes: number; storedBytes: number; key: string; durationMs: number }
  | { type: 'delete'; key: string; durationMs: number }
  | { type: 'error'; operation: string; code: ErrorCode; durationMs: number; error: Error };

/** Count, total and worst latency of one kind of call, in milliseconds. */
export interface LatencySummary {
  count: number;
  totalMs: number;
  maxMs: number;
  meanMs: number;
}

/** A point-in-time copy of the manager's counters. */
export interface MetricsSnapshot {
  /** Payloads stored and replaced by a reference. */
  offloaded: number;
  /** Payloads at or under the threshold, returned as they were. */
  inline: number;
  /** References resolved back to their payload. */
  retrieved: number;
  /** Non-reference inputs that retrieve returned as they were. */
  passedThrough: number;
  /** References whose blob was deleted. */
  deleted: number;
  /** Original bytes of offloaded payloads. */
  bytesOffloaded: number;
  /** Bytes written to the store for them (after compression). */
  bytesStored: number;
  /** Bytes of inline payloads. */
  bytesInline: number;
  /** Original bytes returned by retrieve for references. */
  bytesRetrieved: number;
  /** bytesStored / bytesOffloaded: below 1 means compression saved space; 1 when nothing was offloaded. */
  compressionRatio: number;
  /** Failures by error code. */
  errors: Partial<Record<ErrorCode, number>>;
  /** Latency of the calls that reached the store. */
  latency: { offload: LatencySummary; retrieve: LatencySummary; delete: LatencySummary };
}

type LatencyKind = keyof MetricsSnapshot['latency'];

/** The manager's counters; cheap to update on every call, copied out by `snapshot()`. */
export class ManagerMetrics {
  #offloaded = 0;
  #inline = 0;
  #retrieved = 0;
  #passedThrough = 0;
  #deleted = 0;
  #bytesOffloaded = 0;
  #bytesStored = 0;
  #bytesInline = 0;
  #bytesRetrieved = 0;
  readonly #errors: Partial<Record<ErrorCode, number>> = {};
  readonly #latency: Record<LatencyKind, { count: number; totalMs: number; maxMs: number }> = {
    offload: { count: 0, totalMs: 0, maxMs: 0 },
    retrieve: { count: 0, totalMs: 0, maxMs: 0 },
    delete: { count: 0, totalMs: 0, maxMs: 0 },
  };

  /** Updates the counters for one event. */
  record(event: ManagerEvent): void {
    switch (event.type) {
      case 'inline':
        this.#inline++;
        this.#bytesInline += event.bytes;
        return;
      case 'passthrough':
        this.#passedThrough++;
        return;
      case 'offload':
        this.#offloaded++;
        this.#bytesOffloaded += event.bytes;
        this.#bytesStored += event.storedBytes;
        this.#time('offload', event.durationMs);
        return;
      case 'retrieve':
        this.#retrieved++;
        this.#bytesRetrieved += event.bytes;
        this.#time('retrieve', event.durationMs);
        return;
      case 'delete':
        this.#deleted++;
        this.#time('delete', event.durationMs);
        return;
      case 'error':
        this.#errors[event.code] = (this.#errors[event.code] ?? 0) + 1;
    }
  }

  /** A copy of every counter. */
  snapshot(): MetricsSnapshot {
    const latency = (kind: LatencyKind): LatencySummary => {
      const { count, totalMs, maxMs } = this.#latency[kind];
      return { count, totalMs, maxMs, meanMs: count === 0 ? 0 : totalMs / count };
    };
    return {
      offloaded: this.#offloaded,
      inline: this.#inline,
      retrieved: this.#retrieved,
      passedThrough: this.#passedThrough,
      deleted: this.#deleted,
      bytesOffloaded: this.#bytesOffloaded,
      bytesStored: this.#bytesStored,
      bytesInline: this.#bytesInline,
      bytesRetrieved: this.#bytesRetrieved,
      compressionRatio: this.#bytesOffloaded === 0 ? 1 : this.#bytesStored / this.#bytesOffloaded,
      errors: { ...this.#errors },
      latency: { offload: latency('offload'), retrieve: latency('retrieve'), delete: latency('delete') },
    };
  }

  #time(kind: LatencyKind, durationMs: number): void {
    const summary = this.#latency[kind];
    summary.count++;
    summary.totalMs += durationMs;
    summary.maxMs = Math.max(summary.maxMs, durationMs);
  }
}
