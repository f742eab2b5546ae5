import { CreateTopicCommand, PublishBatchCommand, PublishCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { snsExtendedPlugin } from '../src/index.js';
import { codeOf } from './support/error-code.js';
import { extendedSqs, receiveAll } from './support/extended.js';
import { bodyOf, createQueue, extendedOptions, keysIn, snsClient } from './support/servers.js';

/** A topic with two subscribed queues, one with raw delivery and one with the SNS envelope. */
async function topicWithQueues(sns: SNSClient, sqs: SQSClient) {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `t-${randomUUID()}` }));
  const subscribe = async (raw: boolean) => {
    const queueUrl = await createQueue(sqs);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes?.QueueArn, Attributes: { RawMessageDelivery: String(raw) } }));
    return queueUrl;
  };
  return { topicArn: TopicArn, rawQueue: await subscribe(true), envelopeQueue: await subscribe(false) };
}

function extendedSns(options: ReturnType<typeof extendedOptions>): SNSClient {
  const sns = snsClient();
  const plugin = snsExtendedPlugin(options);
  sns.middlewareStack.use(plugin);
  onTestFinished(() => {
    plugin.destroy();
  });
  return sns;
}

describe('SNS', () => {
  it('Publish offloads a large message; a subscriber sees Java’s pointer raw, or inside the envelope, and resolves both', async () => {
    const { sqs, bare, options } = extendedSqs();
    const sns = extendedSns(options);
    const { topicArn, rawQueue, envelopeQueue } = await topicWithQueues(sns, bare);
    const body = bodyOf(300_000, 'ß');
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: body, MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } }));
    const [key] = await keysIn(options.s3KeyPrefix);
    const pointer = `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"${options.bucket}","s3Key":"${key ?? ''}"}]`;

    const [raw] = await receiveAll(bare, rawQueue, 1, ['All'], { VisibilityTimeout: 0 });
    expect(raw?.Body).toBe(pointer);
    expect(raw?.MessageAttributes?.ExtendedPayloadSize).toEqual({ DataType: 'Number', StringValue: '600000' });
    const [enveloped] = await receiveAll(bare, envelopeQueue, 1, [], { VisibilityTimeout: 0 });
    const envelope = JSON.parse(enveloped?.Body ?? '{}') as Record<string, unknown>;
    expect(envelope).toMatchObject({ Type: 'Notification', Message: pointer, MessageAttributes: { ExtendedPayloadSize: { Type: 'Number', Value: '600000' } } });

    const [fromRaw] = await receiveAll(sqs, rawQueue, 1, ['kind']);
    expect(fromRaw?.Body).toBe(body);
    expect(fromRaw?.MessageAttributes).toEqual({ kind: { DataType: 'String', StringValue: 'order' } });
    const [fromEnvelope] = await receiveAll(sqs, envelopeQueue, 1);
    const resolved = JSON.parse(fromEnvelope?.Body ?? '{}') as Record<string, unknown>;
    expect(resolved).toMatchObject({ Type: 'Notification', Message: body, MessageAttributes: { kind: { Type: 'String', Value: 'order' } } });
    expect(resolved.MessageAttributes).not.toHaveProperty('ExtendedPayloadSize');
  });

  it('PublishBatch decides each entry on its own', async () => {
    const { sqs, bare, options } = extendedSqs();
    const sns = extendedSns(options);
    const { topicArn, rawQueue } = await topicWithQueues(sns, bare);
    const bodies = ['small', bodyOf(300_000, 'L')];
    const { Successful = [] } = await sns.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: bodies.map((Message, index) => ({ Id: `e${index}`, Message })) }),
    );
    expect(Successful.length).toBe(2);
    expect((await keysIn(options.s3KeyPrefix)).length).toBe(1);
    expect((await receiveAll(sqs, rawQueue, 2)).map(({ Body }) => Body).sort()).toEqual([...bodies].sort());
  });

  it("refuses to offload a MessageStructure 'json' message, as Java does", async () => {
    const options = extendedOptions();
    const sns = extendedSns(options);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `t-${randomUUID()}` }));
    const message = JSON.stringify({ default: bodyOf(300_000) });
    expect(await codeOf(() => sns.send(new PublishCommand({ TopicArn, Message: message, MessageStructure: 'json' })))).toBe('INVALID_PAYLOAD');
    expect(await keysIn(options.s3KeyPrefix)).toEqual([]);
  });
});
