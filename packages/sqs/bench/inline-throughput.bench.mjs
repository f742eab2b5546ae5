// pnpm bench: send + receive + delete of small (1 KiB, inline) messages through an SQSClient with the
// extended-client plugin, against a bare SQSClient on the same fauxqs, measured side by side in the
// same run (see scripts/bench.mjs for the convention). Goal: ≥ 0.95 (the plugin costs next to nothing
// when it does not offload). BENCH_ROUNDS shortens or lengthens a run; `pnpm bench --json` also
// writes bench-results/bench.json.
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { sqsExtendedPlugin } from '../dist/index.js';
import { alternateRounds, benchRounds, report, throughputRow } from '../../../scripts/bench.mjs';
import { startS3rver } from '../../../scripts/s3rver.mjs';

const rounds = benchRounds(9);
const batchesPerRound = 40; // 10 messages each
const body = 'm'.repeat(1024);

const [fauxqs, s3] = await Promise.all([startFauxqs({ port: 0, logger: false }), startS3rver({ bucket: 'claimcheck-bench' })]);
const clientConfig = { endpoint: `http://127.0.0.1:${fauxqs.port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const bare = new SQSClient(clientConfig);
const ours = new SQSClient(clientConfig);
const plugin = sqsExtendedPlugin(ours, {
  bucket: s3.bucket,
  endpoint: s3.endpoint,
  accessKeyId: s3.accessKeyId,
  secretAccessKey: s3.secretAccessKey,
  forcePathStyle: true,
});
ours.middlewareStack.use(plugin);

async function queueFor(client, name) {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name }));
  return QueueUrl;
}

// One round of one side: batches of 10 sent, received and deleted.
async function round(client, queueUrl) {
  for (let batch = 0; batch < batchesPerRound; batch++) {
    const entries = Array.from({ length: 10 }, (_, index) => ({ Id: `m${index}`, MessageBody: body }));
    await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    let received = 0;
    while (received < 10) {
      const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      received += Messages.length;
      if (Messages.length === 0) continue;
      await client.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map(({ ReceiptHandle }, index) => ({ Id: `d${index}`, ReceiptHandle })) }),
      );
    }
  }
}

const rows = [];
try {
  const bareQueue = await queueFor(bare, 'bench-bare');
  const oursQueue = await queueFor(ours, 'bench-ours');
  rows.push(
    throughputRow({
      name: `inline 1 KiB: send + receive + delete (${batchesPerRound * 10}/round)`,
      baseline: 'bare SQSClient',
      ...(await alternateRounds({ rounds, ours: () => round(ours, oursQueue), baseline: () => round(bare, bareQueue) })),
      unitsPerRound: batchesPerRound * 10,
      unit: 'message',
      goal: { atLeast: 0.95 },
    }),
  );
} finally {
  plugin.destroy();
  await Promise.all([fauxqs.stop(), s3.stop()]);
}

await report({ title: `@claimcheck/sqs benchmarks (fauxqs and s3rver on loopback; ${rounds} rounds, batches of 10)`, rows });
