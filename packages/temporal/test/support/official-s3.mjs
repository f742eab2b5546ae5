// The official driver, @temporalio/external-storage-s3 1.22.0, on an S3 endpoint: that package ships
// the driver and the client interface it calls, not a client, so this is the smallest one on
// @aws-sdk/client-s3. Shared by the cross-check tests and the benchmark.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3StorageDriver } from '@temporalio/external-storage-s3';

/** An `S3StorageDriverClient` on an `S3Client`. */
export function officialS3Client(s3) {
  return {
    async putObject(bucket, key, data, options = {}) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data }), { abortSignal: options.abortSignal });
    },
    async objectExists(bucket, key, options = {}) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.abortSignal });
        return true;
      } catch (error) {
        if (error?.$metadata?.httpStatusCode === 404) return false;
        throw error;
      }
    },
    async getObject(bucket, key, options = {}) {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.abortSignal });
      return Body.transformToByteArray();
    },
  };
}

/** The official driver on `target`'s bucket (`{ endpoint, bucket, region, accessKeyId, secretAccessKey }`), with a fresh S3Client. */
export function officialS3Driver(target) {
  const s3 = new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
  });
  return { s3, driver: new S3StorageDriver({ client: officialS3Client(s3), bucket: target.bucket }) };
}
