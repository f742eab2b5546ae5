import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import type { S3Endpoint } from '../../../../scripts/s3-target.mjs';
import { R2Store, type R2StoreOptions } from '../../src/index.js';

/** An S3 server the suite runs against, and what it supports. */
export interface S3Target extends S3Endpoint {
  /** Whether the server implements ListMultipartUploads, to prove that no parts are left behind. */
  listsMultipartUploads: boolean;
  /** Whether the server checks SigV4 signatures, so that a wrong secret is refused. */
  verifiesSignatures: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    s3Target: S3Target;
  }
}

/** The loopback server the global setup started or was pointed at. */
export function localTarget(): S3Target {
  return inject('s3Target');
}

/** Real Cloudflare R2, when R2_BUCKET, R2_ENDPOINT, R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY are all set. */
export function r2Target(): S3Target | undefined {
  const { R2_BUCKET, R2_ENDPOINT, R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY } = process.env;
  if (!R2_BUCKET || !R2_ENDPOINT || !R2_ACCESS_KEY_ID || !R2_SECRET_ACCESS_KEY) return undefined;
  return {
    server: 'r2',
    endpoint: R2_ENDPOINT,
    bucket: R2_BUCKET,
    region: 'auto',
    accessKeyId: R2_ACCESS_KEY_ID,
    secretAccessKey: R2_SECRET_ACCESS_KEY,
    listsMultipartUploads: true,
    verifiesSignatures: true,
  };
}

/** Options reaching `target`, with path-style addressing, which every test server needs. */
export function targetOptions(target: S3Target, extra: R2StoreOptions = {}): R2StoreOptions {
  return {
    bucket: target.bucket,
    endpoint: target.endpoint,
    accessKeyId: target.accessKeyId,
    secretAccessKey: target.secretAccessKey,
    region: target.region,
    forcePathStyle: true,
    ...extra,
  };
}

/** A fresh prefix, so that every store a test makes starts empty even in a shared bucket. */
export function freshPrefix(label: string): string {
  return `claimcheck-test/${label}/${randomUUID()}/`;
}

/** A store on `target` under a fresh prefix. */
export function freshStore(target: S3Target, label: string, extra: R2StoreOptions = {}): R2Store {
  return new R2Store(targetOptions(target, { keyPrefix: freshPrefix(label), ...extra }));
}

/** A plain SDK client on `target`, for looking behind the store's back. */
export function rawClient(target: S3Target): S3Client {
  return new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // s3rver answers concurrent writes in one directory with the odd 500; cleanup must not flake.
    maxAttempts: 10,
  });
}

/** Every object name under `prefix`, listed by the raw client. */
export async function objectNames(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key !== undefined) names.push(object.Key);
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return names;
}

/** Deletes every object under `prefix`, so a test leaves the shared bucket as it found it. */
export async function purgePrefix(client: S3Client, bucket: string, prefix: string): Promise<void> {
  const names = await objectNames(client, bucket, prefix);
  // One DeleteObject each: DeleteObjects needs a checksum header that not every server understands.
  for (let index = 0; index < names.length; index += 10) {
    await Promise.all(names.slice(index, index + 10).map((Key) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key }))));
  }
}
