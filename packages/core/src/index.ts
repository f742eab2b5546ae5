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
export { AbstractObjectStore, type StoreBaseOptions } from './store-base/abstract-object-store.js';
export type { StoreOperation } from './store-base/operation-scope.js';
export { generateKey, isStoreKey } from './store-key.js';
export { ClaimCheckWarning, type ClaimCheckWarningOptions, type WarningCode } from './warnings.js';
