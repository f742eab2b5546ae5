import { createHash, randomUUID } from 'node:crypto';
import { DeleteMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { codeOf } from './support/error-code.js';
import { extendedSqs, receiveAll } from './support/extended.js';
import { createQueue, keysIn, messagesInQueue, otherBucket, putObject } from './support/servers.js';

const javaPointer = (bucket: string, key: string) => `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"${bucket}","s3Key":"${key}"}]`;
const pythonPointer = (bucket: string, key: string) => `["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": "${bucket}", "s3Key": "${key}"}]`;
const legacyPointer = (bucket: string, key: string) => `["com.amazon.sqs.javamessaging.MessageS3Pointer",{"s3BucketName":"${bucket}","s3Key":"${key}"}]`;
const marker = (name: string, size: number) => ({ [name]: { DataType: 'Number', StringValue: String(size) } });

describe('reading what Java and Python send', () => {
  it.each([
    ['Java 2.x defaults (SQSLargePayloadSize)', javaPointer, 'SQSLargePayloadSize'],
    ['Java 2.x with the new attribute name', javaPointer, 'ExtendedPayloadSize'],
    ['Python', pythonPointer, 'ExtendedPayloadSize'],
    ['a 1.x Java client', legacyPointer, 'SQSLargePayloadSize'],
  ])('resolves a message from %s', async (_, pointer, attributeName) => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const payload = 'grüße '.repeat(50_000);
    const key = `${options.s3KeyPrefix}${randomUUID()}`;
    await putObject(key, payload);
    await bare.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: pointer(options.bucket, key),
        MessageAttributes: { ...marker(attributeName, Buffer.byteLength(payload)), origin: { DataType: 'String', StringValue: 'other' } },
      }),
    );
    const [message] = await receiveAll(sqs, queueUrl, 1, ['origin']);
    expect(message?.Body).toBe(payload);
    expect(message?.MessageAttributes).toEqual({ origin: { DataType: 'String', StringValue: 'other' } });
  });

  it('resolves a key chosen by the sender (Python’s S3Key attribute) and deletes it with the message', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const key = `${options.s3KeyPrefix}orders/2026-11-25/order-17.json`;
    await putObject(key, '{"order":17}');
    await bare.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: pythonPointer(options.bucket, key), MessageAttributes: marker('ExtendedPayloadSize', 12) }));
    const [message] = await receiveAll(sqs, queueUrl, 1);
    expect(message?.Body).toBe('{"order":17}');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message?.ReceiptHandle }));
    expect(await messagesInQueue(bare, queueUrl)).toBe(0);
    expect(await keysIn(options.s3KeyPrefix)).toEqual([]);
  });
});

describe('pointers that must not be followed', () => {
  it('refuses a forged pointer to another bucket with INVALID_REFERENCE, and reads it once that bucket is allowed', async () => {
    const bucket = await otherBucket();
    const { sqs, bare } = extendedSqs();
    const queueUrl = await createQueue(bare);
    await putObject('secret', 'not for you', bucket);
    await bare.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: javaPointer(bucket, 'secret'), MessageAttributes: marker('ExtendedPayloadSize', 11) }));
    expect(await codeOf(() => receiveAll(sqs, queueUrl, 1, undefined, { VisibilityTimeout: 0 }))).toBe('INVALID_REFERENCE');

    const allowing = extendedSqs({ allowedBuckets: [bucket] });
    const [message] = await receiveAll(allowing.sqs, queueUrl, 1, undefined, { VisibilityTimeout: 0 });
    expect(message?.Body).toBe('not for you');
  });

  it('reports a missing payload as NOT_FOUND naming the message, and leaves the message in the queue', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    const { MessageId } = await bare.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: javaPointer(options.bucket, `${options.s3KeyPrefix}gone`), MessageAttributes: marker('ExtendedPayloadSize', 5) }),
    );
    const error = await receiveAll(sqs, queueUrl, 1).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect((error as Error).message).toContain(MessageId);
    expect(await messagesInQueue(bare, queueUrl)).toBe(1);
  });

  it('with ignorePayloadNotFound deletes the message whose payload is missing and returns the rest of the batch', async () => {
    const { sqs, bare, options } = extendedSqs({ ignorePayloadNotFound: true });
    const queueUrl = await createQueue(bare);
    await bare.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: javaPointer(options.bucket, `${options.s3KeyPrefix}gone`), MessageAttributes: marker('ExtendedPayloadSize', 5) }));
    await bare.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'still here' }));
    const messages = await receiveAll(sqs, queueUrl, 1);
    expect(messages.map(({ Body }) => Body)).toEqual(['still here']);
    expect(await messagesInQueue(bare, queueUrl)).toBe(1); // the survivor, in flight
  });

  it('refuses a payload whose size differs from its marker with INTEGRITY', async () => {
    const { sqs, bare, options } = extendedSqs();
    const queueUrl = await createQueue(bare);
    await putObject(`${options.s3KeyPrefix}short`, 'abc');
    await bare.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: javaPointer(options.bucket, `${options.s3KeyPrefix}short`), MessageAttributes: marker('ExtendedPayloadSize', 4) }));
    expect(await codeOf(() => receiveAll(sqs, queueUrl, 1))).toBe('INTEGRITY');
  });
});

describe('the opt-in SHA-256 attribute', () => {
  it('is sent as an ordinary attribute other clients pass through, and checked on receive', async () => {
    const { sqs, bare, options } = extendedSqs({ sha256Attribute: true });
    const queueUrl = await createQueue(bare);
    const body = 'z'.repeat(300_000);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const [raw] = await receiveAll(bare, queueUrl, 1, ['All'], { VisibilityTimeout: 0 });
    expect(raw?.MessageAttributes?.ClaimCheckPayloadSha256).toEqual({
      DataType: 'String',
      StringValue: createHash('sha256').update(body).digest('hex'),
    });
    const [message] = await receiveAll(sqs, queueUrl, 1, undefined, { VisibilityTimeout: 0 });
    expect(message?.Body).toBe(body);
    expect(message?.MessageAttributes).toBeUndefined();

    // Same length, other bytes: only the digest can tell.
    const [key] = await keysIn(options.s3KeyPrefix);
    await putObject(key ?? '', 'y'.repeat(300_000));
    expect(await codeOf(() => receiveAll(sqs, queueUrl, 1))).toBe('INTEGRITY');
  });
});
