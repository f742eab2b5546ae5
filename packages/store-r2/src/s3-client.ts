import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ConnectionOptions } from './r2-store-options.js';

/**
 * An `S3Client` with the defaults S3-compatible servers need:
 * - checksums only when an operation requires them: the SDK's default CRC32 trailers (since 3.729)
 *   are rejected by some servers and stored as part of the object by others;
 * - `throwOnRequestTimeout`, without which a request timeout only logs a warning and the request
 *   hangs on; the same bound applies to silence while a body streams (`socketTimeout`).
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
      requestTimeout: connection.requestTimeoutMs,
      socketTimeout: connection.requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
  });
}
