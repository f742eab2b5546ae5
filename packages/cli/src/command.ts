import type { ParseArgsConfig } from 'node:util';
import type { ClaimCheckManager } from '@claimcheck/manager';
import type { CliIo } from './cli-io.js';
import type { StoreLocation } from './store-location.js';

/** What a command gets: its parsed arguments, the I/O, and the manager configured from the environment. */
export interface CommandContext {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  io: CliIo;
  manager: () => Promise<ClaimCheckManager>;
  /** Where the configured store keeps its blobs, and which variable said so. */
  location: () => StoreLocation;
}

/** One `claimcheck` subcommand. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text after the usage line. */
  help: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Highest number of positional arguments. */
  maxPositionals: number;
  run: (context: CommandContext) => Promise<void>;
}
