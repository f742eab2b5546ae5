export { assertBytes, checkedChunks, collectBytes } from './bytes.js';
export { ErrorCodes, type ErrorCode } from './error-codes.js';
export {
  ClaimCheckError,
  type ClaimCheckErrorOptions,
  hasErrorCode,
  isAbortedError,
  isClaimCheckError,
  isClosedError,
  isIntegrityError,
  isInvalidConfigError,
  isInvalidKeyError,
  isInvalidReferenceError,
  isNotFoundError,
  isTimeoutError,
  isUnavailableError,
} from './errors.js';
export { MemoryStore } from './memory-store.js';
export type { BlobInfo, ByteStream, ObjectStore, OperationOptions, StoreCapabilities } from './object-store.js';
export { abortedError, beginOperation, type OperationContext, throwIfAborted } from './operation-guard.js';
export { assertStoreKey, generateKey, isStoreKey } from './store-key.js';
