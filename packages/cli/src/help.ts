import { environmentVariables } from '@claimcheck/manager';
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
    ...wrap('configuration (environment):', Object.values(environmentVariables).map((name) => name + (variableHints[name] ?? ''))),
    '',
    `exit codes: ${ExitCode.ok} ok, ${ExitCode.failure} failure, ${ExitCode.usage} usage, ${ExitCode.notFound} not found, ` +
      `${ExitCode.config} configuration, ${ExitCode.integrity} integrity,`,
    `  ${ExitCode.badInput} bad reference/key/input, ${ExitCode.unavailable} store unavailable, ${ExitCode.interrupted} interrupted`,
    '',
  ].join('\n');
}

// Every variable the manager reads, so the list cannot fall behind what the CLI honours.
const variableHints: Record<string, string> = {
  BLOB_STORAGE_TYPE: ' (r2 | filesystem)',
  BLOB_STORAGE_PATH: ' (default ~/.claimcheck/data/blobs)',
};

/** `heading` and `items`, comma-separated, in lines of at most 100 characters; an item is never split. */
function wrap(heading: string, items: string[]): string[] {
  const lines: string[] = [];
  let line = heading;
  items.forEach((item, index) => {
    const text = index === items.length - 1 ? item : `${item},`;
    if (line.length + 1 + text.length > 100) {
      lines.push(line);
      line = `  ${text}`;
    } else line = `${line} ${text}`;
  });
  return [...lines, line];
}

/** `claimcheck <command> --help`. */
export function commandHelp(command: Command): string {
  return `usage: ${command.usage}\n\n${command.help}\n`;
}
