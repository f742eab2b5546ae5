import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { configFromEnv, createManager, parseReference } from '../src/index.js';
import { jsonPayload } from './support/payloads.js';

// `localhost` with a port: only path-style addressing reaches s3rver, since `<bucket>.localhost` does not resolve.
function r2Environment(extra: Record<string, string>): Record<string, string> {
  const { endpoint, bucket, accessKeyId, secretAccessKey } = inject('s3rver');
  return {
    BLOB_STORAGE_TYPE: 'r2',
    R2_BUCKET: bucket,
    R2_ENDPOINT: endpoint.replace('127.0.0.1', 'localhost'),
    R2_ACCESS_KEY_ID: accessKeyId,
    R2_SECRET_ACCESS_KEY: secretAccessKey,
    CLAIMCHECK_THRESHOLD_BYTES: '1024',
    ...extra,
  };
}

describe('R2 settings from the environment', () => {
  it('R2_KEY_PREFIX and R2_FORCE_PATH_STYLE reach the R2 store: blobs land under the prefix, addressed path-style', async () => {
    const prefix = `env-prefix-${Date.now().toString(36)}/`;
    const manager = await createManager(configFromEnv(r2Environment({ R2_KEY_PREFIX: prefix, R2_FORCE_PATH_STYLE: 'true' })));
    const payload = jsonPayload(10_000);
    const reference = await manager.offload(payload);
    expect(Buffer.from(await manager.retrieve(reference)).equals(payload)).toBe(true);
    await manager.close();

    const { endpoint, bucket, accessKeyId, secretAccessKey } = inject('s3rver');
    const client = new S3Client({ endpoint, region: 'auto', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    client.destroy();
    expect(listed.Contents?.map((object) => object.Key)).toEqual([`${prefix}${parseReference(reference).key}`]);
  });

  it('without R2_FORCE_PATH_STYLE the same endpoint is addressed virtual-host style and cannot be reached', async () => {
    const manager = await createManager(configFromEnv(r2Environment({})));
    await expect(manager.health()).rejects.toThrow();
    await manager.close();
  });
});
