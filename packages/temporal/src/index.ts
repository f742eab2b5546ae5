export { claimVersion } from './claim.js';
export { createCodecServer, type CodecRequestInfo, type CodecServerHandler, type CodecServerOptions } from './codec-server.js';
export { keyPrefixFor, keySegment, type KeyLayout } from './key-prefix.js';
export type { ManagerOrStore } from './manager-source.js';
export { nodeListener } from './node-listener.js';
export { ClaimCheckPayloadCodec, claimCheckEncoding, type ClaimCheckPayloadCodecOptions } from './payload-codec.js';
export {
  ClaimCheckStorageDriver,
  defaultDriverName,
  driverType,
  type ClaimCheckStorageDriverOptions,
} from './storage-driver.js';
