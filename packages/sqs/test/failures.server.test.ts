import { createServer } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, type SendMessageBatchCommandInput, type SendMessageBatchCommandOutput, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { codeOf } from './support/error-code.js';
import { extendedSqs } from './support/extended.js';
import { bodyOf, createQueue, keysIn, messagesInQueue, s3Target } from './support/servers.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** A real S3 client on the payload server whose DeleteObject fails: the one fault the server will not produce on demand. */
function clientThatCannotDelete(): S3Client {
  const { endpoint, region, accessKeyId, secretAccessKey } = s3Target();
  const client = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'DeleteObjectCommand') throw Object.assign(new Error('injected delete failure'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
      return next(args);
    },
    { step: 'initialize', name: 'failDeletes' },
  );
  return client;
}

describe('nothing is lost and nothing is orphaned', () => {
  it('when S3 fails the send fails and nothing is sent', async () => {
    const port = await closedPort();
    const { sqs, bare } = extendedSqs({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 });
    const queueUrl = await createQueue(bare);
    expect(await codeOf(() => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(300_000) })))).toBe('UNAVAILABLE');
    expect(await messagesInQueue(bare, queueUrl)).toBe(0);
  });

  it('when the send fails after the upload the payload is deleted and the broker’s error is what the caller sees', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = `${await createQueue(bare)}-missing`;
    expect(await codeOf(() => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(300_000) })))).toBe('QueueDoesNotExist');
    expect(await keysIn(options.s3KeyPrefix)).toEqual([]);
  });

  it('when the payload cannot be deleted either, the error names it as left behind', async () => {
    const { sqs, bare, options } = extendedSqs({ endpoint: undefined, accessKeyId: undefined, secretAccessKey: undefined, region: undefined, forcePathStyle: undefined, client: clientThatCannotDelete() });
    const queueUrl = `${await createQueue(bare)}-missing`;
    const error = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(300_000) })).catch((failure: unknown) => failure);
    const [key] = await keysIn(options.s3KeyPrefix);
    expect(error).toMatchObject({ code: 'STORE_FAILURE' });
    expect((error as Error).message).toContain(`s3://${options.bucket}/${key ?? 'no key'}`);
    expect(((error as Error).cause as AggregateError).errors.map(({ name }: Error) => name)).toEqual(['QueueDoesNotExist', 'ClaimCheckError']);
  });

  it('an aborted send leaves neither a message nor a payload', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const controller = new AbortController();
    controller.abort();
    const send = () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(300_000) }), { abortSignal: controller.signal });
    expect(await codeOf(send)).toBe('AbortError');
    expect(await messagesInQueue(bare, queueUrl)).toBe(0);
    expect(await keysIn(options.s3KeyPrefix)).toEqual([]);
  });

  it('a batch entry the broker refuses has its payload deleted, the others are sent', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    // fauxqs refuses no single entry of a valid batch, so the broker's per-entry refusal of 'bad' is injected beneath the plugin.
    sqs.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as SendMessageBatchCommandInput;
        const result = await next({ ...args, input: { ...input, Entries: input.Entries?.filter(({ Id }) => Id !== 'bad') } });
        const failed = { Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue', Message: 'refused' };
        return { ...result, output: { ...(result.output as SendMessageBatchCommandOutput), Failed: [failed] } };
      },
      { step: 'initialize', priority: 'low', name: 'refuseEntryBad' },
    );
    const { Successful = [], Failed = [] } = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'good', MessageBody: bodyOf(300_000) }, { Id: 'bad', MessageBody: bodyOf(300_000, 'b') }] }),
    );
    expect(Successful.map(({ Id }) => Id)).toEqual(['good']);
    expect(Failed).toEqual([{ Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue', Message: 'refused' }]);
    expect(await messagesInQueue(bare, queueUrl)).toBe(1);
    expect((await keysIn(options.s3KeyPrefix)).length).toBe(1);
  });
});
