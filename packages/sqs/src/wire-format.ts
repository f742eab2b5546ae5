import { ClaimCheckError } from '@claimcheck/core';
import type { OperationContext } from '@claimcheck/core/store-helpers';

/** The attribute the Java 2.x SNS client, the Python client and this package send by default. */
export const RESERVED_ATTRIBUTE_NAME = 'ExtendedPayloadSize';
/** The attribute the Java SQS client sends by default (`useLegacyReservedAttributeName = true`). */
export const LEGACY_RESERVED_ATTRIBUTE_NAME = 'SQSLargePayloadSize';
/** The opt-in SHA-256 of the payload, hex; Java and Python pass it through as an ordinary attribute. */
export const SHA256_ATTRIBUTE_NAME = 'ClaimCheckPayloadSha256';
/** The names a receiver asks for and removes before the application sees the message. */
export const RESERVED_ATTRIBUTE_NAMES: readonly string[] = [RESERVED_ATTRIBUTE_NAME, LEGACY_RESERVED_ATTRIBUTE_NAME, SHA256_ATTRIBUTE_NAME];

/** The pointer class of payload-offloading-java-common-lib, written by Java 2.x and Python. */
export const POINTER_CLASS = 'software.amazon.payloadoffloading.PayloadS3Pointer';
/** The pointer class of the 1.x Java clients, still accepted on receive. */
export const LEGACY_POINTER_CLASS = 'com.amazon.sqs.javamessaging.MessageS3Pointer';

const BUCKET_MARKER = '-..s3BucketName..-';
const KEY_MARKER = '-..s3Key..-';

/** Where an offloaded payload lives. */
export interface PayloadLocation {
  bucket: string;
  key: string;
}

/** A message attribute, SQS or SNS: the fields that count towards a message's size. */
export interface AttributeValue {
  DataType?: string | undefined;
  StringValue?: string | undefined;
  BinaryValue?: Uint8Array | undefined;
}

/** The message body Java writes, byte for byte: Jackson's default-typing array, no spaces. */
export function pointerBody({ bucket, key }: PayloadLocation): string {
  return JSON.stringify([POINTER_CLASS, { s3BucketName: bucket, s3Key: key }]);
}

/** Reads a pointer in any of the forms Java 1.x, Java 2.x and Python write; `INVALID_REFERENCE` otherwise. */
export function parsePointer(body: string, context: OperationContext): PayloadLocation {
  const invalid = (why: string) =>
    new ClaimCheckError({ ...context, code: 'INVALID_REFERENCE', detail: `message body is not an S3 payload pointer: ${why}` });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid('expected a two-element JSON array');
  const [className, fields] = parsed as [unknown, unknown];
  if (className !== POINTER_CLASS && className !== LEGACY_POINTER_CLASS) throw invalid(`unknown pointer class ${JSON.stringify(className)}`);
  const { s3BucketName, s3Key } = (typeof fields === 'object' && fields !== null ? fields : {}) as Record<string, unknown>;
  if (typeof s3BucketName !== 'string' || s3BucketName === '') throw invalid('s3BucketName missing');
  if (typeof s3Key !== 'string' || s3Key === '') throw invalid('s3Key missing');
  return { bucket: s3BucketName, key: s3Key };
}

/** The receipt handle the application gets for an offloaded message: the location, then the broker's handle. */
export function embedInReceiptHandle({ bucket, key }: PayloadLocation, receiptHandle: string): string {
  return `${BUCKET_MARKER}${bucket}${BUCKET_MARKER}${KEY_MARKER}${key}${KEY_MARKER}${receiptHandle}`;
}

/** True for a handle made by `embedInReceiptHandle` (here, in Java or in Python). */
export function isEmbeddedReceiptHandle(receiptHandle: string): boolean {
  return receiptHandle.includes(BUCKET_MARKER) && receiptHandle.includes(KEY_MARKER);
}

/** The broker's handle: Java's rule, everything after the second key marker, so a `-` in it survives. */
export function originalReceiptHandle(receiptHandle: string): string {
  const second = receiptHandle.indexOf(KEY_MARKER, receiptHandle.indexOf(KEY_MARKER) + 1);
  return receiptHandle.slice(second + KEY_MARKER.length);
}

/** The payload location carried by an embedded handle. */
export function locationInReceiptHandle(receiptHandle: string): PayloadLocation {
  return { bucket: betweenMarkers(receiptHandle, BUCKET_MARKER), key: betweenMarkers(receiptHandle, KEY_MARKER) };
}

function betweenMarkers(text: string, marker: string): string {
  const first = text.indexOf(marker);
  return text.slice(first + marker.length, text.indexOf(marker, first + 1));
}

/** The attribute bytes SQS counts towards a message's size: names, data types and values. */
export function attributesSize(attributes: Record<string, AttributeValue> | undefined): number {
  if (attributes === undefined) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name);
    if (value.DataType !== undefined) size += Buffer.byteLength(value.DataType);
    if (value.StringValue !== undefined) size += Buffer.byteLength(value.StringValue);
    if (value.BinaryValue !== undefined) size += value.BinaryValue.byteLength;
  }
  return size;
}
