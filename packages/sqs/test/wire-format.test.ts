import { describe, expect, it } from 'vitest';
import {
  embedInReceiptHandle,
  isEmbeddedReceiptHandle,
  locationInReceiptHandle,
  originalReceiptHandle,
  parsePointer,
  pointerBody,
} from '../src/index.js';

const context = { operation: 'ReceiveMessage', backend: 'sqs' };
const location = { bucket: 'my-bucket', key: 'prefix/7d6c2f4e-0b1a-4c53-9d3e-2f1a6b8c9e01' };

describe('the pointer body', () => {
  it('is byte for byte what the Java 2.x client writes', () => {
    expect(pointerBody(location)).toBe(
      '["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"my-bucket","s3Key":"prefix/7d6c2f4e-0b1a-4c53-9d3e-2f1a6b8c9e01"}]',
    );
  });

  it('is read in the Python form, with ", " and ": " separators', () => {
    const python = '["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": "my-bucket", "s3Key": "prefix/7d6c2f4e-0b1a-4c53-9d3e-2f1a6b8c9e01"}]';
    expect(parsePointer(python, context)).toEqual(location);
  });

  it('is read with the 1.x class name com.amazon.sqs.javamessaging.MessageS3Pointer', () => {
    const legacy = '["com.amazon.sqs.javamessaging.MessageS3Pointer",{"s3BucketName":"my-bucket","s3Key":"prefix/7d6c2f4e-0b1a-4c53-9d3e-2f1a6b8c9e01"}]';
    expect(parsePointer(legacy, context)).toEqual(location);
  });

  it('is read with any key, as Python lets the sender choose it', () => {
    expect(parsePointer(pointerBody({ bucket: 'b', key: 'orders/2026 11 25.json' }), context)).toEqual({ bucket: 'b', key: 'orders/2026 11 25.json' });
  });

  it.each([
    ['not JSON', 'hello'],
    ['an object', '{"s3BucketName":"b","s3Key":"k"}'],
    ['an unknown class', '["java.lang.String",{"s3BucketName":"b","s3Key":"k"}]'],
    ['no key', '["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"b"}]'],
    ['no bucket', '["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3Key":"k"}]'],
  ])('is refused as INVALID_REFERENCE when it is %s', (_, body) => {
    expect(() => parsePointer(body, context)).toThrow(expect.objectContaining({ code: 'INVALID_REFERENCE' }));
  });
});

describe('the receipt handle', () => {
  it('carries the location in Java’s marker format before the broker’s handle', () => {
    expect(embedInReceiptHandle(location, 'AQEB-handle')).toBe(
      '-..s3BucketName..-my-bucket-..s3BucketName..--..s3Key..-prefix/7d6c2f4e-0b1a-4c53-9d3e-2f1a6b8c9e01-..s3Key..-AQEB-handle',
    );
  });

  it('gives back the broker’s handle by Java’s rule, even when that handle contains dashes', () => {
    const handle = 'a-b-c-d-..-e';
    const embedded = embedInReceiptHandle(location, handle);
    expect(isEmbeddedReceiptHandle(embedded)).toBe(true);
    expect(originalReceiptHandle(embedded)).toBe(handle);
    expect(locationInReceiptHandle(embedded)).toEqual(location);
  });

  it('recovers everything after the second key marker when the broker’s handle itself contains a key marker', () => {
    const embedded = embedInReceiptHandle(location, 'x-..s3Key..-y');
    expect(originalReceiptHandle(embedded)).toBe('x-..s3Key..-y');
  });

  it('is not taken for an embedded one when it is a plain broker handle', () => {
    expect(isEmbeddedReceiptHandle('AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a')).toBe(false);
  });
});
