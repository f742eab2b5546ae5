import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { codeOf } from './support/error-code.js';
import { extendedSqs, receiveAll } from './support/extended.js';
import { bodyOf, createQueue, keysIn, messagesInQueue } from './support/servers.js';

// One attribute of 1 + 6 + 3 = 10 bytes, counted with the body against the 262 144-byte threshold.
const attribute = { k: { DataType: 'String', StringValue: 'abc' } };
const threshold = 262_144;

describe('sending', () => {
  it('keeps a small message inline, byte for byte, and stores nothing', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello', MessageAttributes: attribute }));
    const [message] = await receiveAll(bare, queueUrl, 1, ['All']);
    expect(message?.Body).toBe('hello');
    expect(message?.MessageAttributes).toEqual(attribute);
    expect(await keysIn(options.s3KeyPrefix)).toEqual([]);
  });

  it('offloads a large message as Java’s pointer with an ExtendedPayloadSize attribute and the body in S3', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const body = bodyOf(300_000);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: attribute }));
    const [key] = await keysIn(options.s3KeyPrefix);
    expect(key).toMatch(new RegExp(`^${options.s3KeyPrefix}[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
    const [raw] = await receiveAll(bare, queueUrl, 1, ['All']);
    expect(raw?.Body).toBe(`["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"${options.bucket}","s3Key":"${key ?? ''}"}]`);
    expect(raw?.MessageAttributes).toEqual({ ...attribute, ExtendedPayloadSize: { DataType: 'Number', StringValue: '300000' } });
  });

  it('marks with SQSLargePayloadSize when useLegacyReservedAttributeName is set', async () => {
    const { sqs, bare } = extendedSqs({ useLegacyReservedAttributeName: true });
    const queueUrl = await createQueue(bare);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(300_000) }));
    const [raw] = await receiveAll(bare, queueUrl, 1, ['All']);
    expect(raw?.MessageAttributes).toEqual({ SQSLargePayloadSize: { DataType: 'Number', StringValue: '300000' } });
  });

  it.each([
    [threshold - 1, false],
    [threshold, false],
    [threshold + 1, true],
  ])('counts the attributes: %i bytes in all is offloaded: %s', async (total, offloaded) => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const body = bodyOf(total - 10);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: attribute }));
    expect((await keysIn(options.s3KeyPrefix)).length).toBe(offloaded ? 1 : 0);
    const [message] = await receiveAll(sqs, queueUrl, 1, ['k']);
    expect(message?.Body).toBe(body);
    expect(message?.MessageAttributes).toEqual(attribute);
  });

  it('counts UTF-8 bytes, not characters: a multi-byte body under the threshold in characters is offloaded', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const body = bodyOf(100_000, 'é€😀'); // 2 + 3 + 4 bytes in 4 UTF-16 units
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    expect((await keysIn(options.s3KeyPrefix)).length).toBe(1);
    const [raw] = await receiveAll(bare, queueUrl, 1, ['All']);
    expect(raw?.MessageAttributes?.ExtendedPayloadSize?.StringValue).toBe(String(Buffer.byteLength(body)));
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: raw?.ReceiptHandle, VisibilityTimeout: 0 }));
    const [message] = await receiveAll(sqs, queueUrl, 1);
    expect(message?.Body).toBe(body);
  });

  it('offloads a large message with 9 attributes of its own and refuses one with 10, uploading nothing', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const attributes = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`a${index}`, { DataType: 'String', StringValue: 'v' }]));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(300_000), MessageAttributes: attributes(9) }));
    expect(await codeOf(() => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(300_000), MessageAttributes: attributes(10) })))).toBe(
      'INVALID_PAYLOAD',
    );
    expect((await keysIn(options.s3KeyPrefix)).length).toBe(1);
    expect(await messagesInQueue(bare, queueUrl)).toBe(1);
    // A small message needs no slot for the marker: 10 attributes stay inline.
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'small', MessageAttributes: attributes(10) }));
    expect(await messagesInQueue(bare, queueUrl)).toBe(2);
  });

  it('refuses a message that sets a reserved attribute itself', async () => {
    const { sqs, bare } = extendedSqs();
    const queueUrl = await createQueue(bare);
    for (const name of ['ExtendedPayloadSize', 'SQSLargePayloadSize', 'ClaimCheckPayloadSha256']) {
      const send = () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes: { [name]: { DataType: 'Number', StringValue: '1' } } }));
      expect(await codeOf(send)).toBe('INVALID_PAYLOAD');
    }
    expect(await messagesInQueue(bare, queueUrl)).toBe(0);
  });

  it('offloads every message with alwaysThroughS3', async () => {
    const { sqs, bare, options } = extendedSqs({ alwaysThroughS3: true });
    const queueUrl = await createQueue(bare);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'tiny' }));
    expect((await keysIn(options.s3KeyPrefix)).length).toBe(1);
    const [message] = await receiveAll(sqs, queueUrl, 1);
    expect(message?.Body).toBe('tiny');
  });

  it('leaves the caller’s command input as it was', async () => {
    const { sqs, bare } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const input = { QueueUrl: queueUrl, MessageBody: bodyOf(300_000), MessageAttributes: { ...attribute } };
    await sqs.send(new SendMessageCommand(input));
    expect(input.MessageBody).toBe(bodyOf(300_000));
    expect(input.MessageAttributes).toEqual(attribute);
  });
});

describe('receiving and deleting', () => {
  it('gives back the original body and attributes, with the location in the receipt handle, without the caller asking for the marker', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const body = bodyOf(300_000, 'ab');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: attribute }));
    const [message] = await receiveAll(sqs, queueUrl, 1, ['k']);
    expect(message?.Body).toBe(body);
    expect(message?.MessageAttributes).toEqual(attribute);
    const [key] = await keysIn(options.s3KeyPrefix);
    expect(message?.ReceiptHandle).toMatch(new RegExp(`^-\\.\\.s3BucketName\\.\\.-${options.bucket}-\\.\\.s3BucketName\\.\\.--\\.\\.s3Key\\.\\.-${key ?? ''}-\\.\\.s3Key\\.\\.-.+`));
  });

  it('gives back inline messages as the broker sent them, a JSON body naming the marker among them, and deletes them', async () => {
    const { sqs, bare } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const bodies = ['plain text', '{"note":"ExtendedPayloadSize is only mentioned"}'];
    for (const MessageBody of bodies) await bare.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody, MessageAttributes: attribute }));
    const messages = await receiveAll(sqs, queueUrl, 2, ['k']);
    expect(messages.map(({ Body }) => Body).sort()).toEqual([...bodies].sort());
    for (const message of messages) {
      expect(message.MessageAttributes).toEqual(attribute);
      expect(message.ReceiptHandle).not.toContain('s3BucketName');
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
    expect(await messagesInQueue(bare, queueUrl)).toBe(0);
  });

  it('DeleteMessage removes the message and its payload', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(300_000) }));
    const [message] = await receiveAll(sqs, queueUrl, 1);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message?.ReceiptHandle }));
    expect(await messagesInQueue(bare, queueUrl)).toBe(0);
    expect(await keysIn(options.s3KeyPrefix)).toEqual([]);
  });

  it('DeleteMessage keeps the payload when cleanupS3Payload is off', async () => {
    const { sqs, bare, options } = extendedSqs({ cleanupS3Payload: false });
    const queueUrl = await createQueue(bare);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(300_000) }));
    const [message] = await receiveAll(sqs, queueUrl, 1);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message?.ReceiptHandle }));
    expect(await messagesInQueue(bare, queueUrl)).toBe(0);
    expect((await keysIn(options.s3KeyPrefix)).length).toBe(1);
  });

  it('a batch mixing small and large entries: each decided on its own, all received, all deleted with their payloads', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const bodies = ['small one', bodyOf(300_000, 'L'), 'small two', bodyOf(270_000, 'M')];
    // SQS caps a batch at 256 KiB in all: the offloaded entries make it fit.
    const sent = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: bodies.map((MessageBody, index) => ({ Id: `e${index}`, MessageBody })) }),
    );
    expect(sent.Successful?.length).toBe(4);
    expect((await keysIn(options.s3KeyPrefix)).length).toBe(2);
    const messages = await receiveAll(sqs, queueUrl, 4);
    expect(messages.map(({ Body }) => Body).sort()).toEqual([...bodies].sort());
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map(({ ReceiptHandle }, index) => ({ Id: `d${index}`, ReceiptHandle })) }),
    );
    expect(deleted.Successful?.length).toBe(4);
    expect(await messagesInQueue(bare, queueUrl)).toBe(0);
    expect(await keysIn(options.s3KeyPrefix)).toEqual([]);
  });

  it('ChangeMessageVisibility and its batch form take the extended receipt handle', async () => {
    const { sqs, bare } = extendedSqs();
    const queueUrl = await createQueue(bare);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(300_000) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(300_000, 'y') }));
    const [first, second] = await receiveAll(sqs, queueUrl, 2);
    expect(await messagesInQueue(bare, queueUrl)).toBe(2);
    expect((await bare.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages ?? []).toEqual([]);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: first?.ReceiptHandle, VisibilityTimeout: 0 }));
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', ReceiptHandle: second?.ReceiptHandle, VisibilityTimeout: 0 }] }),
    );
    expect((await receiveAll(sqs, queueUrl, 2)).map(({ Body }) => Body?.length)).toEqual([300_000, 300_000]);
  });
});
