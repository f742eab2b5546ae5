import type { ClaimCheckWarning, Environment, ObjectStore, StoreProvider } from '@claimcheck/core';
import type { CompressionCodec } from './compression.js';
import type { ManagerEvent } from './metrics.js';

/** Everything `createManager` takes. Field names mirror the origin's `Config`; a store's own options are its provider's. */
export interface ManagerConfig {
  /** `false` passes every payload through untouched. Default `true`. */
  enabled?: boolean;
  /** Payloads of at most this many bytes stay inline. Default 51200 (50 KiB). */
  thresholdBytes?: number;
  /** Compress offloaded payloads when that shrinks them. Default `true`. */
  compressionEnabled?: boolean;
  /** The codec offloads compress with: `'zstd'` or `'gzip'`. Default `'zstd'`. Retrieval reads both, whatever this says. */
  compression?: CompressionCodec;
  /** The largest payload `offload` and `retrieve` hold in memory; larger ones are refused (streams are not limited). Default 256 MiB. */
  maxPayloadBytes?: number;
  /**
   * Which store to create: a built-in name (`'r2'`, the default as in the origin; `'filesystem'` or
   * `'fs'`), the name of an installed package that exports a `storeProvider`, or a provider itself.
   * `''` or unset means `'r2'`. Ignored when `store` is given.
   */
  storageType?: string | StoreProvider;
  /** The store's own options, as its provider describes them (its README's Options table); they win over `storeEnv`. */
  storeOptions?: Readonly<Record<string, unknown>>;
  /** Environment variables the store's options are read from, where `storeOptions` leaves them out; `configFromEnv` sets it. */
  storeEnv?: Environment;
  /** Where a store package named by `storageType` is resolved from: a directory or file of the application. Default: the working directory. */
  resolveFrom?: string | URL;
  /** Any `ObjectStore`, a third party's included; replaces `storageType` and the store's options. */
  store?: ObjectStore;
  /** Called once per call (inline, offload, passthrough, retrieve, delete, error): the hook for OpenTelemetry or Prometheus. A hook that throws does not change the result; the error becomes a process warning. */
  onEvent?: (event: ManagerEvent) => void;
  /**
   * Receives what cannot be reported through a rejection: a failed background cleanup, a close that
   * had to cancel work, a throwing `onEvent`. Passed to the store the manager creates (not to one
   * given as `store`, which has its own). Default: `process.emitWarning`.
   */
  onWarning?: (warning: ClaimCheckWarning) => void;
}

/** The defaults, as in the origin. */
export const defaults = {
  enabled: true,
  thresholdBytes: 51_200,
  compressionEnabled: true,
  compression: 'zstd',
  maxPayloadBytes: 256 * 1024 * 1024,
} as const;
