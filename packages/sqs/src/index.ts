export type { ExtendedClientOptions } from './extended-options.js';
export type { ExtendedClientPlugin } from './extended-plugin.js';
export { snsExtendedPlugin } from './sns-plugin.js';
export { sqsExtendedPlugin } from './sqs-plugin.js';
export {
  embedInReceiptHandle,
  isEmbeddedReceiptHandle,
  LEGACY_POINTER_CLASS,
  LEGACY_RESERVED_ATTRIBUTE_NAME,
  locationInReceiptHandle,
  originalReceiptHandle,
  parsePointer,
  type PayloadLocation,
  POINTER_CLASS,
  pointerBody,
  RESERVED_ATTRIBUTE_NAME,
  SHA256_ATTRIBUTE_NAME,
} from './wire-format.js';
