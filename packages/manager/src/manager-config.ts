import type { ClaimCheckWarning, ObjectStore } from '@claimcheck/core';
import type { CompressionCodec } from './compression.js';
import type { ManagerEvent } from './metrics.js';

/** The storage types the manager can create by itself. */
/** The filesystem backend's layouts, as `@claimcheck/store-fs` names them. */
export const filesystemLayouts = ['flat', 'sharded'] as const;

/** How the filesystem backend arranges blobs under its directory. */
export type FilesystemLayout = (typeof filesystemLayouts)[number];

export const storageTypes = ['r2', 'filesystem'] as const;

/** `'r2'` or `'filesystem'`; empty means `'r2'`, as in the origin. */
export type StorageType = (typeof storageTypes)[number];

/** Everything `createManager` takes. Field names mirror the origin's `Config`. */
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
  /** Which backend to create; `''` or unset means `'r2'`. Ignored when `store` is given. */
  storageType?: StorageType | '';
  /** Directory for the filesystem backend. */
  filesystemBasePath?: string;
  /**
   * `'flat'` or `'sharded'` for the filesystem backend. Unset, the store uses the layout its
   * directory already holds (recorded there), else `'flat'`; set, it must agree with it.
   */
  filesystemLayout?: FilesystemLayout;
  /** R2 bucket name. */
  r2Bucket?: string;
  /** R2 endpoint, `https://<account-id>.r2.cloudflarestorage.com`. */
  r2Endpoint?: string;
  /** R2 access key id. */
  r2AccessKeyId?: string;
  /** R2 secret access key. */
  r2SecretAccessKey?: string;
  /** R2 region. Default `'auto'`. */
  r2Region?: string;
  /** Prepended to every R2 object name, so several applications can share a bucket. Default `''`. */
  r2KeyPrefix?: string;
  /** Path-style URLs (`endpoint/bucket/key`), for MinIO or Ceph behind one hostname. Default `false`. */
  r2ForcePathStyle?: boolean;
  /** Any `ObjectStore`, a third party's included; replaces storageType and its settings. */
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
  r2Region: 'auto',
} as const;
