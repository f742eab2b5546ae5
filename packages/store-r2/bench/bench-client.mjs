// The client R2Store builds for itself (src/s3-client.ts), for a benchmark to hand to both sides,
// so that only the store's own work differs between them.
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** An S3Client for `target` ({ endpoint, region, accessKeyId, secretAccessKey }) with R2Store's defaults. */
export function benchClient({ endpoint, region, accessKeyId, secretAccessKey }) {
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({ connectionTimeout: 3_000, socketTimeout: 10_000, throwOnRequestTimeout: true }),
  });
}
