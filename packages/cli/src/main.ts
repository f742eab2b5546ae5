import { isClaimCheckError, type StoreDescription } from '@claimcheck/core';
import { configFromEnv, createManager, type ClaimCheckManager } from '@claimcheck/manager';
import { parseArguments } from './arguments.js';
import type { CliIo } from './cli-io.js';
import { commands } from './commands/index.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { failureMessage } from './failure-message.js';
import { commandHelp, mainHelp } from './help.js';
import { UsageError } from './usage-error.js';
import { version } from './version.js';

/** Runs one `claimcheck` invocation and resolves with its exit code; it never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.stdout.write(`claimcheck ${version}\n`);
    return ExitCode.ok;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const command = commands.find((candidate) => candidate.name === rest[0]);
    io.stdout.write(command ? commandHelp(command) : await mainHelp());
    return ExitCode.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) return fail(io, `USAGE: unknown command ${JSON.stringify(name)} (run claimcheck --help)`, ExitCode.usage);

  let manager: Promise<ClaimCheckManager> | undefined;
  // The manager reads everything from the environment; what the store is comes from its provider.
  const openManager = () => (manager ??= Promise.resolve().then(() => createManager(configFromEnv(io.env))));
  const location = async (): Promise<StoreDescription> => (await openManager()).describeStore();
  try {
    const { values, positionals } = parseArguments(rest, { ...command.options, help: { type: 'boolean', short: 'h' } });
    if (values.help === true) {
      io.stdout.write(commandHelp(command));
      return ExitCode.ok;
    }
    if (positionals.length > command.maxPositionals) throw new UsageError(`too many arguments`);
    await command.run({
      positionals,
      values,
      io,
      manager: openManager,
      location,
    });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof UsageError) return fail(io, `USAGE: ${error.message} (usage: ${command.usage})`, ExitCode.usage);
    if (isClaimCheckError(error)) {
      // A store that was opened can say which it is; a failure to open one says so itself.
      const where = await manager?.then((opened) => opened.describeStore()).catch(() => undefined);
      return fail(io, failureMessage(error, command.name, where), exitCodeFor(error.code));
    }
    // A system error (ENOENT on an input file, EPIPE, …) still carries its code.
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    return fail(io, `${typeof code === 'string' ? code : 'ERROR'}: ${command.name} failed: ${message}`, ExitCode.failure);
  } finally {
    // Closing releases connections; a failure to close changes nothing the command already did.
    await (await manager?.catch(() => undefined))?.close().catch(() => undefined);
  }
}

// One line per error, whatever the message holds, so logs and scripts can rely on it.
function fail(io: CliIo, message: string, exitCode: number): number {
  io.stderr.write(`claimcheck: ${message.replace(/\s+/g, ' ')}\n`);
  return exitCode;
}
