import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A command line split into option values and positionals. */
export interface ParsedArguments {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Parses a command's arguments, with every mistake reported in the CLI's own words. A string option
 * takes the next argument as its value whatever it looks like (`--older-than -1d` is a bad duration,
 * not an "ambiguous argument"); `-` alone is a positional (stdin); `--` ends the options.
 */
export function parseArguments(args: readonly string[], options: Options): ParsedArguments {
  const normalized: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--') {
      normalized.push(...args.slice(index));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      normalized.push(arg);
      continue;
    }
    const [name, option] = findOption(arg, options);
    const inlineValue = arg.startsWith('--') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined;
    if (option.type === 'boolean') {
      if (inlineValue !== undefined) throw new UsageError(`--${name} takes no value`);
      normalized.push(`--${name}`);
      continue;
    }
    const value = inlineValue ?? args[++index];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    normalized.push(`--${name}=${value}`);
  }
  const { values, positionals } = parseArgs({ args: normalized, options, allowPositionals: true, strict: true });
  // No command has a `multiple` option, so no value is an array.
  return { values: values as ParsedArguments['values'], positionals };
}

function findOption(arg: string, options: Options): [string, Options[string]] {
  const spelled = arg.startsWith('--') ? arg.slice(2).split('=')[0] ?? '' : arg.slice(1);
  const entry = arg.startsWith('--')
    ? Object.entries(options).find(([name]) => name === spelled)
    : Object.entries(options).find(([, option]) => option.short === spelled);
  if (entry === undefined) throw new UsageError(`unknown option ${arg.startsWith('--') ? `--${spelled}` : arg}`);
  return entry;
}
