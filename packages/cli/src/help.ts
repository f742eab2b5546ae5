import { optionDefaultText, type OptionDescription, type StoreProvider } from '@claimcheck/core';
import { managerOptions } from '@claimcheck/manager';
import type { Command } from './command.js';
import { commands } from './commands/index.js';
import { ExitCode } from './exit-codes.js';

// The stores the CLI ships with. Loaded only for --help, so other commands load just the one in use.
const bundledProviders = async (): Promise<StoreProvider[]> => [
  (await import('@claimcheck/store-fs')).storeProvider,
  (await import('@claimcheck/store-r2')).storeProvider,
];

/** The top-level `claimcheck --help`; its environment section comes from the option descriptions. */
export async function mainHelp(): Promise<string> {
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
    ...environmentHelp(await bundledProviders()),
    '',
    `exit codes: ${ExitCode.ok} ok, ${ExitCode.failure} failure, ${ExitCode.usage} usage, ${ExitCode.notFound} not found, ` +
      `${ExitCode.config} configuration, ${ExitCode.integrity} integrity,`,
    `  ${ExitCode.badInput} bad reference/key/input, ${ExitCode.unavailable} store unavailable, ${ExitCode.interrupted} interrupted`,
    '',
  ].join('\n');
}

/** The configuration section: the manager's variables, then each store's, with choices and defaults. */
export function environmentHelp(providers: readonly StoreProvider[]): string[] {
  const lines = ['configuration (environment):', ...variableLines(managerOptions)];
  for (const provider of providers) {
    const names = [provider.name, ...(provider.aliases ?? [])].join(' or ');
    lines.push(`  ${provider.name} store (BLOB_STORAGE_TYPE=${names}):`, ...variableLines(provider.options).map((line) => `  ${line}`));
  }
  lines.push("  any other store: BLOB_STORAGE_TYPE=<its package's name>, resolved from the working directory; its", "    variables are in its README");
  return lines;
}

function variableLines(options: readonly OptionDescription[]): string[] {
  return options.flatMap((option) => {
    if (option.env === undefined) return [];
    const kind = option.choices?.join(' | ') ?? option.type;
    const fallback = optionDefaultText(option);
    const detail = [kind, fallback === undefined ? undefined : `default ${fallback || "''"}`, option.secret === true ? 'secret' : undefined];
    return [`  ${option.env} (${detail.filter((part) => part !== undefined).join(', ')})`];
  });
}

/** `claimcheck <command> --help`. */
export function commandHelp(command: Command): string {
  return `usage: ${command.usage}\n\n${command.help}\n`;
}
