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
export { createFromOptions, createStore, resolveStoreOptions, type CreateStoreOptions, type StoreConfiguration } from './create-store.js';
export { MemoryStore } from './memory-store.js';
export { memoryStoreProvider } from './memory-store-provider.js';
export { describeStore, optionDefaultText, optionsTable, type StoreDescription } from './option-docs.js';
export { checkOptions, optionsFromEnv, type Environment } from './option-values.js';
export type { BlobInfo, ByteStream, ObjectStore, OperationOptions, PutOptions, StoreCapabilities } from './object-store.js';
export { AbstractObjectStore, type StoreBaseOptions } from './store-base/abstract-object-store.js';
export type { StoreOperation } from './store-base/operation-scope.js';
export { generateKey, isKeyPrefix, isStoreKey, maxKeyPrefixLength, maxKeyPrefixSegments } from './store-key.js';
export {
  defineStoreProvider,
  isStoreProvider,
  providerNames,
  storeBaseOptions,
  type OptionDescription,
  type OptionType,
  type StoreProvider,
} from './store-provider.js';
export { ClaimCheckWarning, type ClaimCheckWarningOptions, type WarningCode } from './warnings.js';
