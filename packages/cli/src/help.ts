import type { Command } from './command.js';
import { commands } from './commands/index.js';
import { ExitCode } from './exit-codes.js';

/** The top-level `claimcheck --help`. */
export function mainHelp(): string {
  const width = Math.max(...commands.map(({ name }) => name.length));
  return [
    'claimcheck: store large payloads and pass small references (the claim-check pattern)',
    '',
    'usage: claimcheck <command> [options]     claimcheck --version',
    '',
    'commands:',
    ...commands.map(({ name, summary }) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'Run `claimcheck <command> --help` for a command’s options.',
    '',
    'configuration (environment): BLOB_STORAGE_TYPE (r2 | filesystem),',
    '  BLOB_STORAGE_PATH (default ~/.claimcheck/data/blobs), CLAIMCHECK_ENABLED,',
    '  CLAIMCHECK_THRESHOLD_BYTES, CLAIMCHECK_COMPRESSION_ENABLED,',
    '  R2_BUCKET, R2_ENDPOINT, R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, R2_REGION',
    '',
    `exit codes: ${ExitCode.ok} ok, ${ExitCode.failure} failure, ${ExitCode.usage} usage, ${ExitCode.notFound} not found, ` +
      `${ExitCode.config} configuration, ${ExitCode.integrity} integrity,`,
    `  ${ExitCode.badInput} bad reference/key/input, ${ExitCode.unavailable} store unavailable, ${ExitCode.interrupted} interrupted`,
    '',
  ].join('\n');
}

/** `claimcheck <command> --help`. */
export function commandHelp(command: Command): string {
  return `usage: ${command.usage}\n\n${command.help}\n`;
}
