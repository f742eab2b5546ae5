// pnpm bench: an SQSClient with the extended-client plugin against a bare SQSClient on the same fauxqs
// (in a process of its own, with s3rver as the bucket), side by side in one run (see scripts/bench.mjs
// for the convention):
//  1. 1 KiB bodies, which stay inline: SendMessage, SendMessageBatch (10 × 1 KiB) and ReceiveMessage
//     (from a queue filled before each timed round, so both sides receive the same messages), as
//     messages per second, ours ÷ bare; goal ≥ 0.95 (the plugin costs next to nothing when it does
//     not offload);
//  2. 1 MiB bodies, which the plugin stores in S3: the bytes each message takes on SQS, and the
//     end-to-end latency (send → receive → body in hand), one message at a time. The bare client
//     carries 1 MiB inline: fauxqs's default MaximumMessageSize is SQS's limit, 1 MiB (256 KiB before
//     August 2025); a queue still at 256 KiB refuses it, which the run checks and prints.
// BENCH_ROUNDS shortens or lengthens a run; `pnpm bench --json` also writes bench-results/bench.json.
// A 1 KiB row that misses its goal is explained after the table by the top frames of a CPU profile of
// the plugin's client doing that row's work (fauxqs and s3rver run in processes of their own).
import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { sqsExtendedPlugin } from '../dist/index.js';
import { alternateRounds, benchRounds, explainMisses, report, throughputRow, valueRow } from '../../../scripts/bench.mjs';
import { startS3rver } from '../../../scripts/s3rver.mjs';
import { startFauxqsProcess } from './fauxqs.mjs';

const smallRounds = benchRounds(9);
const latencyRounds = benchRounds(15);
const inFlight = 8; // requests each side keeps open at once in the small-message rounds
const sendsPerRound = 1000;
const batchesPerRound = 200; // of 10 messages
const receivedPerRound = 2000;
const smallBody = 'm'.repeat(1024);
const largeBody = 'L'.repeat(1024 * 1024);

const [fauxqs, s3] = await Promise.all([startFauxqsProcess(), startS3rver({ bucket: 'claimcheck-bench' })]);
// fauxqs checks no signatures; queues are addressed through the endpoint, not the queue URL's host.
const clientConfig = { endpoint: fauxqs.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, useQueueUrlAsEndpoint: false };
const bare = new SQSClient(clientConfig);
const ours = new SQSClient(clientConfig);
// Creates, fills, purges and deletes queues between timed rounds, so that neither side's connections do.
const admin = new SQSClient(clientConfig);
const plugin = sqsExtendedPlugin(ours, {
  bucket: s3.bucket,
  endpoint: s3.endpoint,
  region: s3.region,
  accessKeyId: s3.accessKeyId,
  secretAccessKey: s3.secretAccessKey,
  forcePathStyle: true,
});
ours.middlewareStack.use(plugin);

async function createQueue(attributes = {}) {
  const { QueueUrl } = await admin.send(new CreateQueueCommand({ QueueName: `bench-${randomUUID()}`, Attributes: attributes }));
  if (QueueUrl === undefined) throw new Error('CreateQueue returned no URL');
  return QueueUrl;
}

/** Keeps `inFlight` tasks running, each starting another while `more()` says so. */
async function keepBusy(more, task) {
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (more()) await task();
    }),
  );
}

/** Runs `task` `count` times, `inFlight` at a time. */
function times(count, task) {
  let started = 0;
  return keepBusy(() => started++ < count, task);
}

const sendRound = (client, queueUrl) => () => times(sendsPerRound, () => client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: smallBody })));

const batchEntries = Array.from({ length: 10 }, (_, index) => ({ Id: `m${index}`, MessageBody: smallBody }));
const sendBatchRound = (client, queueUrl) => () =>
  times(batchesPerRound, async () => {
    const { Failed = [] } = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batchEntries }));
    if (Failed.length > 0) throw new Error(`batch entries refused: ${JSON.stringify(Failed)}`);
  });

/** Receives, up to 10 a call, until `count` messages came back: all the queue holds. */
async function receiveCount(client, queueUrl, count) {
  let received = 0;
  let emptyReplies = 0;
  await keepBusy(
    () => received < count,
    async () => {
      const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      received += Messages.length;
      if (Messages.length === 0 && ++emptyReplies > 100) throw new Error(`received ${received} of ${count} messages`);
    },
  );
}

/** A fresh queue holding `count` 1 KiB messages, sent by the bare client (inline, both sides read them alike). */
async function filledQueue(count) {
  const queueUrl = await createQueue();
  await times(count / 10, () => admin.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batchEntries })));
  return queueUrl;
}

/** Sends one 1 MiB message and receives it: the time until its body is in hand. */
async function largeRoundTrip(client, queueUrl) {
  await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: largeBody }));
  for (let attempt = 0; attempt < 10; attempt++) {
    const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
    const [message] = Messages;
    if (message === undefined) continue;
    if (message.Body !== largeBody) throw new Error(`received a body of ${message.Body?.length} characters, not the 1 MiB sent`);
    return message.ReceiptHandle;
  }
  throw new Error('the 1 MiB message did not come back');
}

/** The bytes SQS counts for a message as it is stored: body, and each attribute's name, type and value. */
function sqsBytes({ Body = '', MessageAttributes = {} }) {
  let bytes = Buffer.byteLength(Body);
  for (const [name, { DataType = '', StringValue = '', BinaryValue }] of Object.entries(MessageAttributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(DataType) + Buffer.byteLength(StringValue) + (BinaryValue?.byteLength ?? 0);
  }
  return bytes;
}

/** What a 1 MiB message sent through `client` takes on SQS, read back by a bare client. */
async function bytesOnSqs(client) {
  const queueUrl = await createQueue();
  await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: largeBody }));
  const { Messages = [] } = await admin.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }));
  const [message] = Messages;
  if (message === undefined) throw new Error('the 1 MiB message did not come back');
  await admin.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  return sqsBytes(message);
}

/** The broker's answer to a bare 1 MiB send to a queue at SQS's former 256 KiB limit. */
async function formerLimitAnswer() {
  const queueUrl = await createQueue({ MaximumMessageSize: '262144' });
  try {
    await admin.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: largeBody }));
    return 'accepted';
  } catch (error) {
    return `refused (${error.name}: ${error.message})`;
  } finally {
    await admin.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  }
}

const sides = { bare, ours };
const rows = [];
const names = {
  send: `SendMessage 1 KiB (${sendsPerRound}/round, ${inFlight} in flight)`,
  batch: `SendMessageBatch 10 × 1 KiB (${batchesPerRound * 10}/round, ${inFlight} in flight)`,
  receive: `ReceiveMessage 1 KiB (${receivedPerRound}/round, 10 a call, ${inFlight} in flight)`,
};
// What a miss profiles: the plugin's client doing the row's work, three rounds' worth, on a queue of its own.
const profiledRounds = 3;
const onOwnQueue = (round) => ({
  before: createQueue,
  work: async (queueUrl) => {
    for (let index = 0; index < profiledRounds; index++) await round(ours, queueUrl)();
  },
  after: (QueueUrl) => admin.send(new DeleteQueueCommand({ QueueUrl })),
});
const profiled = new Map([
  [names.send, onOwnQueue(sendRound)],
  [names.batch, onOwnQueue(sendBatchRound)],
  [
    names.receive,
    {
      before: () => filledQueue(receivedPerRound * profiledRounds),
      work: (queueUrl) => receiveCount(ours, queueUrl, receivedPerRound * profiledRounds),
      after: (QueueUrl) => admin.send(new DeleteQueueCommand({ QueueUrl })),
    },
  ],
]);
try {
  const sendQueues = { ours: await createQueue(), bare: await createQueue() };
  const purgeSendQueues = () => Promise.all(Object.values(sendQueues).map((QueueUrl) => admin.send(new PurgeQueueCommand({ QueueUrl }))));
  rows.push(
    throughputRow({
      name: names.send,
      baseline: 'bare SQSClient',
      ...(await alternateRounds({ rounds: smallRounds, ours: sendRound(ours, sendQueues.ours), baseline: sendRound(bare, sendQueues.bare), beforeEach: purgeSendQueues })),
      unitsPerRound: sendsPerRound,
      unit: 'message',
      goal: { atLeast: 0.95 },
    }),
  );
  rows.push(
    throughputRow({
      name: names.batch,
      baseline: 'bare SQSClient',
      ...(await alternateRounds({
        rounds: smallRounds,
        ours: sendBatchRound(ours, sendQueues.ours),
        baseline: sendBatchRound(bare, sendQueues.bare),
        beforeEach: purgeSendQueues,
      })),
      unitsPerRound: batchesPerRound * 10,
      unit: 'message',
      goal: { atLeast: 0.95 },
    }),
  );
  await Promise.all(Object.values(sendQueues).map((QueueUrl) => admin.send(new DeleteQueueCommand({ QueueUrl }))));

  // Each timed receive drains a queue filled just before it, untimed; the drained one is deleted.
  let filled;
  const refill = async () => {
    if (filled !== undefined) await admin.send(new DeleteQueueCommand({ QueueUrl: filled }));
    filled = await filledQueue(receivedPerRound);
  };
  rows.push(
    throughputRow({
      name: names.receive,
      baseline: 'bare SQSClient',
      ...(await alternateRounds({
        rounds: smallRounds,
        ours: () => receiveCount(ours, filled, receivedPerRound),
        baseline: () => receiveCount(bare, filled, receivedPerRound),
        beforeEach: refill,
      })),
      unitsPerRound: receivedPerRound,
      unit: 'message',
      goal: { atLeast: 0.95 },
    }),
  );
  await admin.send(new DeleteQueueCommand({ QueueUrl: filled }));

  const oursBytes = await bytesOnSqs(ours);
  const bareBytes = await bytesOnSqs(bare);
  rows.push(valueRow({ name: '1 MiB: bytes on SQS per message (pointer + attributes)', baseline: 'bare SQSClient, 1 MiB inline', ours: oursBytes, theirs: bareBytes, unit: 'bytes' }));
  const formerLimit = await formerLimitAnswer();

  // Each round's message is deleted (through the client that received it) before the next round.
  const largeQueues = { ours: await createQueue(), bare: await createQueue() };
  let received;
  const deleteReceived = async () => {
    if (received === undefined) return;
    const { side, receiptHandle } = received;
    const { Failed = [] } = await sides[side].send(
      new DeleteMessageBatchCommand({ QueueUrl: largeQueues[side], Entries: [{ Id: 'd', ReceiptHandle: receiptHandle }] }),
    );
    if (Failed.length > 0) throw new Error(`delete refused: ${JSON.stringify(Failed)}`);
    received = undefined;
  };
  const largeRound = (side) => async () => {
    received = { side, receiptHandle: await largeRoundTrip(sides[side], largeQueues[side]) };
  };
  rows.push(
    throughputRow({
      name: '1 MiB: end-to-end latency (send → receive → body in hand), one at a time',
      baseline: 'bare SQSClient, 1 MiB inline',
      ...(await alternateRounds({ rounds: latencyRounds, ours: largeRound('ours'), baseline: largeRound('bare'), beforeEach: deleteReceived })),
      unit: 'message',
    }),
  );
  await deleteReceived();

  await report({
    title: `@claimcheck/sqs benchmarks (fauxqs in its own process and s3rver on loopback, plugin threshold 256 KiB; ${smallRounds} rounds of 1 KiB, ${latencyRounds} of 1 MiB latency)`,
    rows,
  });
  console.log(`\nbare 1 MiB SendMessage to a queue at SQS's former 256 KiB limit (MaximumMessageSize 262144): ${formerLimit}`);
  // While fauxqs and s3rver still run: the profiles are of the plugin's client talking to them.
  await explainMisses(rows, profiled);
} finally {
  plugin.destroy();
  await Promise.all([fauxqs.stop(), s3.stop()]);
}
