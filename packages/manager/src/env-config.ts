import { optionsFromEnv, type Environment } from '@claimcheck/core';
import type { ManagerConfig } from './manager-config.js';
import { managerOptions } from './manager-options.js';

/**
 * Reads the manager's configuration from environment variables (see `managerOptions`), and hands the
 * same environment on as `storeEnv`, for the store's provider to read its own variables from. A
 * malformed value is an `INVALID_CONFIG` error naming the variable; it is never replaced by a default.
 * Unset and empty variables are left to the defaults.
 */
export function configFromEnv(env: Environment = process.env): ManagerConfig {
  return { ...(optionsFromEnv(managerOptions, env, 'manager') as ManagerConfig), storeEnv: env };
}
