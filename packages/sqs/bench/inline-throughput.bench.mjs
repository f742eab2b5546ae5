// Send + receive + delete throughput of small (1 KiB, inline) messages through an SQSClient with the
// extended-client plugin, as a ratio of a bare SQSClient on the same fauxqs, measured in the same run.
// Rounds alternate which side goes first; the median ratio over the rounds and its spread are
// reported. Goal: ≥ 0.95 (the plugin costs nothing when it does not offload).
// A minimal bench loop of its own; the shared bench helper under scripts/ can replace it.
import console from 'node:console';
import process from 'node:process';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { sqsExtendedPlugin } from '../dist/index.js';
import { startS3rver } from '../../../scripts/s3rver.mjs';

const rounds = 9;
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

// One round of one side: batches of 10 sent, received and deleted; returns messages per second.
async function round(client, queueUrl) {
  const start = process.hrtime.bigint();
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
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return (batchesPerRound * 10) / seconds;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const bareQueue = await queueFor(bare, 'bench-bare');
  const oursQueue = await queueFor(ours, 'bench-ours');
  await round(bare, bareQueue); // warm-up, both sides
  await round(ours, oursQueue);
  const ratios = [];
  const rates = { ours: [], bare: [] };
  for (let index = 0; index < rounds; index++) {
    const sides = index % 2 === 0 ? ['bare', 'ours'] : ['ours', 'bare'];
    const measured = {};
    for (const side of sides) measured[side] = await round(side === 'ours' ? ours : bare, side === 'ours' ? oursQueue : bareQueue);
    rates.ours.push(measured.ours);
    rates.bare.push(measured.bare);
    ratios.push(measured.ours / measured.bare);
  }
  const ratio = median(ratios);
  console.log(`inline 1 KiB send+receive+delete, ${rounds} rounds of ${batchesPerRound * 10} messages per side`);
  console.log(`  baseline (bare SDK): ${median(rates.bare).toFixed(0)} msg/s   ours (plugin): ${median(rates.ours).toFixed(0)} msg/s`);
  console.log(`  ours ÷ baseline: ${ratio.toFixed(3)} (median; spread ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})  goal ≥ 0.95: ${ratio >= 0.95 ? 'met' : 'NOT met'}`);
} finally {
  plugin.destroy();
  await Promise.all([fauxqs.stop(), s3.stop()]);
}
