import type { S3Client } from '@aws-sdk/client-s3';

/** A command as the fake sees it: its class name and input. */
export interface SentCommand {
  name: string;
  input: Record<string, unknown>;
}

/**
 * An object that stands in for an `S3Client`, answering each command with `respond`. Only for faults
 * no real server produces on demand: a repeated continuation token, a body shorter than its length.
 */
export function fakeClient(respond: (command: SentCommand) => unknown): { client: S3Client; sent: SentCommand[] } {
  const sent: SentCommand[] = [];
  const client = {
    send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const entry = { name: command.constructor.name, input: command.input };
      sent.push(entry);
      return Promise.resolve().then(() => respond(entry));
    },
    destroy() {
      // The store never destroys an injected client; nothing to release here.
    },
  };
  return { client: client as unknown as S3Client, sent };
}
