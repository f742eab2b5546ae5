import type { OptionDescription } from '@claimcheck/core';
import { defaultStorageType } from './builtin-stores.js';
import { compressionCodecs } from './compression.js';
import { defaults } from './manager-config.js';

/**
 * The manager's own options, described as stores describe theirs: `configFromEnv` reads them, and
 * the README's and the CLI's tables are made from them. The store's options are its provider's.
 */
export const managerOptions: readonly OptionDescription[] = Object.freeze([
  { name: 'enabled', type: 'boolean', env: 'CLAIMCHECK_ENABLED', default: defaults.enabled, doc: '`false` passes every payload through unchanged' },
  { name: 'thresholdBytes', type: 'integer', env: 'CLAIMCHECK_THRESHOLD_BYTES', default: defaults.thresholdBytes, doc: 'payloads of at most this many bytes stay inline' },
  { name: 'compressionEnabled', type: 'boolean', env: 'CLAIMCHECK_COMPRESSION_ENABLED', default: defaults.compressionEnabled, doc: 'compress offloaded payloads when that shrinks them' },
  {
    name: 'compression',
    type: 'string',
    env: 'CLAIMCHECK_COMPRESSION',
    choices: compressionCodecs,
    default: defaults.compression,
    doc: 'the codec offloads write; readers accept both, whatever this says',
  },
  {
    name: 'maxPayloadBytes',
    type: 'integer',
    env: 'CLAIMCHECK_MAX_PAYLOAD_BYTES',
    default: defaults.maxPayloadBytes,
    doc: 'the largest payload `offload` and `retrieve` hold in memory (streams are not limited)',
  },
  {
    name: 'storageType',
    type: 'string',
    env: 'BLOB_STORAGE_TYPE',
    default: defaultStorageType,
    doc: 'the store: `r2`, `filesystem` (or `fs`), an installed store package’s name, or (in code) a provider; empty means `r2`, as in the origin',
  },
  { name: 'storeOptions', type: 'object', doc: 'the store’s own options, as its provider describes them; they win over the environment' },
  { name: 'storeEnv', type: 'object', doc: 'where the store’s options are read from when `storeOptions` leaves them out (`configFromEnv` sets it)' },
  { name: 'resolveFrom', type: 'string', doc: 'the application directory a store package is resolved from (default: the working directory)' },
  { name: 'store', type: 'object', doc: 'any `ObjectStore`, a third party’s included; replaces `storageType` and the store’s options' },
  { name: 'onEvent', type: 'function', doc: 'called for every offload, inline, retrieve, delete and error (see Metrics)' },
  { name: 'onWarning', type: 'function', doc: 'handed to the store the manager creates (default: `process.emitWarning`)' },
] satisfies OptionDescription[]);
