import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { inject, onTestFinished } from 'vitest';
import type { S3Endpoint } from '../../../../scripts/s3-target.mjs';
import type { ExtendedClientOptions } from '../../src/index.js';

/** The S3 server holding the payloads. */
export type S3Target = S3Endpoint;

declare module 'vitest' {
  export interface ProvidedContext {
    s3Target: S3Target;
    brokerEndpoint: string;
  }
}

/** The S3 server the global setup started or was pointed at. */
export const s3Target = (): S3Target => inject('s3Target');

// fauxqs checks no signatures; the region only names queues and topics.
const brokerConfig = () => ({ endpoint: inject('brokerEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

/** A bare SQS client on fauxqs; it addresses queues through the endpoint, not the queue URL's host. */
export const sqsClient = (): SQSClient => new SQSClient({ ...brokerConfig(), useQueueUrlAsEndpoint: false });

/** A bare SNS client on fauxqs. */
export const snsClient = (): SNSClient => new SNSClient(brokerConfig());

/** A bare S3 client on the payload server. */
export function s3Client(region = s3Target().region): S3Client {
  const { endpoint, accessKeyId, secretAccessKey } = s3Target();
  return new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
}

/**
 * A fresh queue with SQS's former 256 KiB limit, so that a message which should have been offloaded
 * is refused by the broker and the test fails.
 */
export async function createQueue(sqs: SQSClient, attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `q-${randomUUID()}`, Attributes: { MaximumMessageSize: '262144', ...attributes } }),
  );
  if (QueueUrl === undefined) throw new Error('CreateQueue returned no URL');
  return QueueUrl;
}

/** Messages in the queue, visible and in flight: how the tests see that a delete really happened. */
export async function messagesInQueue(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
}

/** The keys under `prefix` in `bucket`. */
export async function keysIn(prefix: string, bucket = s3Target().bucket): Promise<string[]> {
  const { Contents = [] } = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return Contents.map(({ Key }) => Key ?? '');
}

/** Writes an object directly, as another client would. */
export async function putObject(key: string, body: string | Uint8Array, bucket = s3Target().bucket): Promise<void> {
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

/** A second bucket on the payload server, for forged pointers and allowlists. */
export async function otherBucket(): Promise<string> {
  const bucket = `other-${randomUUID().slice(0, 8)}`;
  // Signed for us-east-1, whose CreateBucket carries no LocationConstraint: RGW refuses `auto` as one.
  await s3Client('us-east-1').send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/**
 * Extended-client options on the payload server with a key prefix of the test's own, so that its
 * bucket listing sees only its payloads; whatever the test leaves is deleted when it finishes.
 */
export function extendedOptions(extra: ExtendedClientOptions = {}): ExtendedClientOptions & { bucket: string; s3KeyPrefix: string } {
  const { endpoint, bucket, region, accessKeyId, secretAccessKey } = s3Target();
  const s3KeyPrefix = `t-${randomUUID()}/`;
  onTestFinished(async () => {
    for (const key of await keysIn(s3KeyPrefix)) await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  });
  return { endpoint, region, accessKeyId, secretAccessKey, forcePathStyle: true, ...extra, bucket, s3KeyPrefix };
}

/** A body of exactly `bytes` UTF-8 bytes. */
export const bodyOf = (bytes: number, fill = 'x'): string => fill.repeat(bytes);
