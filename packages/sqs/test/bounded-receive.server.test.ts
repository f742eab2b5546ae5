import { S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { R2Store } from '@claimcheck/store-r2';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CountingAgent } from '../../../scripts/counting-agent.mjs';
// The TCP proxy that injects faults between a client and a loopback S3 server, shared with store-r2's suite.
import { FaultProxy } from '../../store-r2/test/support/fault-proxy.js';
import { pointerBody } from '../src/index.js';
import { codeOf } from './support/error-code.js';
import { extendedSqs } from './support/extended.js';
import { bodyOf, createQueue, keysIn, messagesInQueue, s3Target } from './support/servers.js';

const KiB = 1024;
const MiB = 1024 * KiB;
/** What one read from a socket brings at most (libuv reads 64 KiB at a time). */
const chunk = 64 * KiB;
/** Room for the response's status line and headers, which the socket also reads. */
const headers = 2 * KiB;

/**
 * An S3 client on `endpoint` (default: the payload server) whose sockets are counted. Without
 * keep-alive, so that a socket still open after a receive settles is one whose read was not stopped.
 */
function countingClient(endpoint = s3Target().endpoint): { client: S3Client; agent: CountingAgent } {
  const { region, accessKeyId, secretAccessKey } = s3Target();
  const agent = new CountingAgent({ keepAlive: false });
  // The SDK builds its Node handler from these options.
  const requestHandler = { httpAgent: agent, socketTimeout: 60_000 };
  const client = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1, requestHandler });
  onTestFinished(() => {
    client.destroy();
  });
  return { client, agent };
}

/** Plugin options that reach S3 through `client` rather than a connection of their own. */
const through = (client: S3Client) => ({ endpoint: undefined, accessKeyId: undefined, secretAccessKey: undefined, region: undefined, forcePathStyle: undefined, client });

/** A 400 MiB object under `prefix`, streamed up (never held in memory), and its key. */
async function hugeObject(prefix: string): Promise<string> {
  const { endpoint, bucket, region, accessKeyId, secretAccessKey } = s3Target();
  // Setup, not under test: a loaded machine's s3rver can take longer than the default 30 s wait deadline to answer a part,
  // and fall silent for longer than the default 10 s.
  const store = new R2Store({ endpoint, bucket, region, accessKeyId, secretAccessKey, forcePathStyle: true, keyPrefix: prefix, waitTimeoutMs: 240_000, requestTimeoutMs: 120_000 });
  const piece = new Uint8Array(MiB).fill(120);
  async function* source() {
    for (let index = 0; index < 400; index++) yield piece;
  }
  try {
    return `${prefix}${await store.putStream(source())}`;
  } finally {
    await store.close();
  }
}

/** Receives once with the plugin's client, and tells the claimcheck code it failed with. */
function receiveCode(sqs: SQSClient, queueUrl: string, abortSignal?: AbortSignal): Promise<unknown> {
  // VisibilityTimeout 0: a message the receive fails on stays visible for the next one.
  const receive = new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, VisibilityTimeout: 0 });
  return codeOf(() => sqs.send(receive, abortSignal === undefined ? {} : { abortSignal }));
}

describe('a receive reads no more of a payload than it accepts', () => {
  it('a forged pointer to a 400 MiB object that claims 1,000 bytes is refused from its Content-Length: the body is not read, memory does not grow', async () => {
    // This plugin only names the prefix (cleaned up after the test); the receivers below count their sockets.
    const { bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const key = await hugeObject(options.s3KeyPrefix);
    await bare.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: pointerBody({ bucket: options.bucket, key }),
        MessageAttributes: { ExtendedPayloadSize: { DataType: 'Number', StringValue: '1000' } },
      }),
    );
    const rssBefore = process.memoryUsage.rss();
    const bounds = [
      { maxPayloadBytes: undefined, code: 'PAYLOAD_TOO_LARGE' }, // the default 256 MiB: the object is over it
      { maxPayloadBytes: 512 * MiB, code: 'INTEGRITY' }, // within the bound, but not the 1,000 bytes promised
    ];
    for (const { maxPayloadBytes, code } of bounds) {
      const { client, agent } = countingClient();
      const { sqs: receiver } = extendedSqs({ ...through(client), maxPayloadBytes });
      const error = await receiver.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, VisibilityTimeout: 0 })).catch((failure: unknown) => failure);
      expect(error).toMatchObject({ code, bucket: options.bucket, key });
      expect((error as Error).message).toContain(`s3://${options.bucket}/${key}`);
      expect(agent.bytesRead).toBeLessThanOrEqual(1000 + chunk + headers);
      expect(agent.allClosed).toBe(true);
    }
    expect(process.memoryUsage.rss() - rssBefore).toBeLessThan(64 * MiB);
    // Refused, not lost: the message is still there, and so is the object.
    expect(await messagesInQueue(bare, queueUrl)).toBe(1);
    expect(await keysIn(key)).toEqual([key]);
    // The time is the upload of 400 MiB (44 s on the CI's RGW), not a deadline under test.
  }, 300_000);

  it('a pointer that claims more than maxPayloadBytes is refused without contacting S3', async () => {
    const { client, agent } = countingClient();
    const { sqs, bare, options } = extendedSqs({ ...through(client), maxPayloadBytes: 1000 });
    const queueUrl = await createQueue(bare);
    await bare.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: pointerBody({ bucket: options.bucket, key: `${options.s3KeyPrefix}anything` }),
        MessageAttributes: { ExtendedPayloadSize: { DataType: 'Number', StringValue: '1001' } },
      }),
    );
    expect(await receiveCode(sqs, queueUrl)).toBe('PAYLOAD_TOO_LARGE');
    expect(agent.connections).toBe(0);
  });

  it('a payload within maxPayloadBytes comes back whole', async () => {
    const { sqs, bare } = extendedSqs({ maxPayloadBytes: 300_000 });
    const queueUrl = await createQueue(bare);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(300_000) }));
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(Messages[0]?.Body).toBe(bodyOf(300_000));
  });

  it('the caller’s abortSignal stops a payload read half-way: ABORTED, the connection closed, the message kept', async () => {
    const { sqs: sender, bare } = extendedSqs();
    const queueUrl = await createQueue(bare);
    await sender.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(3 * MiB) }));
    const proxy = await FaultProxy.start(s3Target().endpoint);
    onTestFinished(() => proxy.close());
    proxy.fault = { kind: 'stall', afterBytes: 512 * KiB };
    const { client, agent } = countingClient(proxy.endpoint);
    const { sqs } = extendedSqs({ ...through(client) });
    const controller = new AbortController();
    const pending = receiveCode(sqs, queueUrl, controller.signal);
    // Polled, bounded: the body moves on loopback until the proxy stalls it.
    for (let poll = 0; poll < 1000 && agent.bytesRead < 256 * KiB; poll++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(agent.bytesRead).toBeGreaterThanOrEqual(256 * KiB);
    controller.abort();
    expect(await pending).toBe('ABORTED');
    expect(agent.allClosed).toBe(true);
    expect(await messagesInQueue(bare, queueUrl)).toBe(1);
  });

  it('when one payload of a batch fails, the reads of the others stop too', async () => {
    const { sqs: sender, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    await sender.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(3 * MiB) }));
    await bare.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: pointerBody({ bucket: options.bucket, key: `${options.s3KeyPrefix}missing` }),
        MessageAttributes: { ExtendedPayloadSize: { DataType: 'Number', StringValue: '10' } },
      }),
    );
    // fauxqs hands both out in one receive (seen here first, without taking them), so both are read side by side.
    const peek = await bare.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    expect(peek.Messages?.length).toBe(2);
    const proxy = await FaultProxy.start(s3Target().endpoint);
    onTestFinished(() => proxy.close());
    proxy.fault = { kind: 'stall', afterBytes: 512 * KiB };
    const { client, agent } = countingClient(proxy.endpoint);
    const { sqs } = extendedSqs({ ...through(client) });
    // Without the stop, this receive would wait for the stalled read's 60 s socket timeout, and the test time out.
    const receive = new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
    expect(await codeOf(() => sqs.send(receive))).toBe('NOT_FOUND');
    // A finished response's socket closes a moment later; the stalled one would stay open for 60 s.
    for (let poll = 0; poll < 500 && !agent.allClosed; poll++) await new Promise((resolve) => setTimeout(resolve, 10));
    // The stalled read was cut when the missing payload failed the receive, not left to time out.
    expect(agent.connections).toBeGreaterThanOrEqual(2);
    expect(agent.allClosed).toBe(true);
  });
});
