import type { S3Client } from '@aws-sdk/client-s3';

/** Records the name of every command `client` sends, in order, e.g. `ListObjectsV2Command`. */
export function logCommands(client: S3Client): string[] {
  const log: string[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      log.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'claimcheckCommandLog' },
  );
  return log;
}
