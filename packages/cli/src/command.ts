import type { ParseArgsConfig } from 'node:util';
import type { ClaimCheckManager } from '@claimcheck/manager';
import type { CliIo } from './cli-io.js';
import type { StoreDescription } from '@claimcheck/core';

/** What a command gets: its parsed arguments, the I/O, and the manager configured from the environment. */
export interface CommandContext {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  io: CliIo;
  manager: () => Promise<ClaimCheckManager>;
  /** What the configured store is and where it keeps its blobs, with the settings behind it (its provider's description). */
  location: () => Promise<StoreDescription>;
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
