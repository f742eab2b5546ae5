import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ConnectionOptions } from './r2-store-options.js';

/**
 * An `S3Client` with the defaults S3-compatible servers need:
 * - checksums only when an operation requires them: the SDK's default CRC32 trailers (since 3.729)
 *   are rejected by some servers and stored as part of the object by others;
 * - timeouts that bound silence, not total time: `connectionTimeout` for opening a connection, and
 *   `socketTimeout` for an attempt in which no byte moves either way, which fails a blackholed
 *   endpoint within seconds while a slow but moving upload or download runs as long as it needs.
 *   There is no `requestTimeout`: it bounds the whole upload of a body, so an upload slower than it
 *   could never succeed, and every retry would send the whole body again only to time out again.
 *   `throwOnRequestTimeout` stays on, so a `requestTimeout` a caller adds per request really fails.
 */
export function createS3Client(connection: ConnectionOptions): S3Client {
  return new S3Client({
    endpoint: connection.endpoint,
    region: connection.region,
    forcePathStyle: connection.forcePathStyle,
    credentials: { accessKeyId: connection.accessKeyId, secretAccessKey: connection.secretAccessKey },
    maxAttempts: connection.maxAttempts,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({
      connectionTimeout: connection.connectionTimeoutMs,
      socketTimeout: connection.requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
  });
}
