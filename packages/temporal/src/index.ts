export { claimVersion } from './claim.js';
export {
  ClaimCheckStorageDriver,
  defaultDriverName,
  driverType,
  type ClaimCheckStorageDriverOptions,
} from './storage-driver.js';
