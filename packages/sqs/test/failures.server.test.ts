import { createServer } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import {
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchCommandInput,
  type SendMessageBatchCommandOutput,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ClaimCheckWarning } from '@claimcheck/core';
import { describe, expect, it, onTestFinished } from 'vitest';
// The TCP proxy that injects faults between a client and a loopback S3 server, shared with store-r2's suite.
import { FaultProxy } from '../../store-r2/test/support/fault-proxy.js';
import type { ExtendedClientOptions } from '../src/index.js';
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

/** Makes the broker refuse the batch entry with id 'bad' (fauxqs refuses no single entry of a valid batch), beneath the plugin. */
function refuseEntryBad(sqs: SQSClient): void {
  sqs.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as SendMessageBatchCommandInput;
      const result = await next({ ...args, input: { ...input, Entries: input.Entries?.filter(({ Id }) => Id !== 'bad') } });
      const failed = { Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue', Message: 'refused' };
      return { ...result, output: { ...(result.output as SendMessageBatchCommandOutput), Failed: [failed] } };
    },
    { step: 'initialize', priority: 'low', name: 'refuseEntryBad' },
  );
}

/** Receives with `sqs` until a message comes back: bounded by attempts of one second's long poll each, not by a fixed sleep. */
async function firstReceived(sqs: SQSClient, queueUrl: string, attempts = 30): Promise<Message | undefined> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    if (Messages.length > 0) return Messages[0];
  }
  return undefined;
}

/** The warnings `process.emitWarning` emits while the test runs. */
function processWarnings(): Error[] {
  const seen: Error[] = [];
  const listener = (warning: Error) => seen.push(warning);
  process.on('warning', listener);
  onTestFinished(() => {
    process.off('warning', listener);
  });
  return seen;
}

const options = (extra: ExtendedClientOptions): ExtendedClientOptions => extra;

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
    refuseEntryBad(sqs);
    const { Successful = [], Failed = [] } = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'good', MessageBody: bodyOf(300_000) }, { Id: 'bad', MessageBody: bodyOf(300_000, 'b') }] }),
    );
    expect(Successful.map(({ Id }) => Id)).toEqual(['good']);
    expect(Failed).toEqual([{ Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue', Message: 'refused' }]);
    expect(await messagesInQueue(bare, queueUrl)).toBe(1);
    expect((await keysIn(options.s3KeyPrefix)).length).toBe(1);
  });

  it('when S3 fails for a whole batch nothing of it is sent, not even the small entries', async () => {
    const port = await closedPort();
    const { sqs, bare } = extendedSqs({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 });
    const queueUrl = await createQueue(bare);
    const entries = [{ Id: 'small', MessageBody: 'small' }, { Id: 'large', MessageBody: bodyOf(300_000) }];
    expect(await codeOf(() => sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })))).toBe('UNAVAILABLE');
    expect(await messagesInQueue(bare, queueUrl)).toBe(0);
  });

  it.each(['unreachable', 'cut mid-body'] as const)(
    'when the payload read fails (%s) the message is not deleted, and comes back after its visibility timeout',
    async (fault) => {
      const { sqs: healthy, bare, options: sent } = extendedSqs();
      const queueUrl = await createQueue(bare);
      const body = bodyOf(1_000_000, 'v');
      await healthy.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      const proxy = await FaultProxy.start(s3Target().endpoint);
      const { endpoint } = proxy;
      // Unreachable: nothing listens there any more. Cut: the response ends a quarter of the way in.
      if (fault === 'unreachable') await proxy.close();
      else onTestFinished(() => proxy.close());
      proxy.fault = { kind: 'cut', afterBytes: 256 * 1024 };
      const { sqs: failing } = extendedSqs({ endpoint, maxAttempts: 1 });
      // A short visibility timeout, so that the message is soon visible again.
      const receive = new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, VisibilityTimeout: 1 });
      expect(await codeOf(() => failing.send(receive))).toBe('UNAVAILABLE');
      expect(await messagesInQueue(bare, queueUrl)).toBe(1);
      expect((await keysIn(sent.s3KeyPrefix)).length).toBe(1);
      const again = await firstReceived(healthy, queueUrl);
      expect(again?.Body).toBe(body);
    },
  );

  it('a payload left behind by a refused batch entry goes to onWarning, and nothing to process.emitWarning', async () => {
    const warnings: ClaimCheckWarning[] = [];
    const emitted = processWarnings();
    const noDeletes = options({ endpoint: undefined, accessKeyId: undefined, secretAccessKey: undefined, region: undefined, forcePathStyle: undefined, client: clientThatCannotDelete() });
    const { sqs, bare, options: used } = extendedSqs({ ...noDeletes, onWarning: (warning) => warnings.push(warning) });
    const queueUrl = await createQueue(bare);
    refuseEntryBad(sqs);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'good', MessageBody: 'small' }, { Id: 'bad', MessageBody: bodyOf(300_000) }] }));
    const [left] = await keysIn(used.s3KeyPrefix);
    expect(warnings).toMatchObject([{ name: 'ClaimCheckWarning', code: 'CLEANUP_FAILED', backend: 'sqs', key: left }]);
    expect(warnings[0]?.message).toContain(`s3://${used.bucket}/${left ?? 'no key'}`);
    // process.emitWarning emits on the next tick: one turn later, nothing came.
    await new Promise((resolve) => setImmediate(resolve));
    expect(emitted).toEqual([]);
  });

  it('without onWarning, a payload left behind goes to process.emitWarning', async () => {
    const emitted = processWarnings();
    const noDeletes = options({ endpoint: undefined, accessKeyId: undefined, secretAccessKey: undefined, region: undefined, forcePathStyle: undefined, client: clientThatCannotDelete() });
    const { sqs, bare } = extendedSqs(noDeletes);
    const queueUrl = await createQueue(bare);
    refuseEntryBad(sqs);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'good', MessageBody: 'small' }, { Id: 'bad', MessageBody: bodyOf(300_000) }] }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(emitted).toMatchObject([{ name: 'ClaimCheckWarning', code: 'CLEANUP_FAILED' }]);
  });
});
