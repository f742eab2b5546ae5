// `@claimcheck/core/store-helpers`: building blocks for stores and pipelines that read callers'
// streams or map their own failures. A store on `AbstractObjectStore` rarely needs them.
export { assertBytes, checkedChunks, collectBytes } from './bytes.js';
export { abortedError, type OperationContext, throwIfAborted, untilAborted } from './operation-guard.js';
export { InFlight } from './store-base/in-flight.js';
export { maxObjectNameBytes, maxObjectNamePrefixBytes, objectNamePrefixProblem, objectNamer } from './object-name.js';
export { assertKeyPrefix, assertStoreKey } from './store-key.js';
export { emitProcessWarning } from './warnings.js';
