import type { S3Client } from '@aws-sdk/client-s3';
import type { S3StorageDriver, S3StorageDriverClient } from '@temporalio/external-storage-s3';
import type { S3Endpoint } from '../../../../scripts/s3-target.mjs';

/** An `S3StorageDriverClient` on an `S3Client`. */
export function officialS3Client(s3: S3Client): S3StorageDriverClient;

/** The official driver on `target`'s bucket, with a fresh S3Client. */
export function officialS3Driver(target: S3Endpoint): { s3: S3Client; driver: S3StorageDriver };
