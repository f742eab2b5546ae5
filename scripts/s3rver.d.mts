/** A running s3rver and how to reach it. */
export interface RunningS3rver {
  server: 's3rver';
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

/** Starts s3rver with `bucket` on a free loopback port in a temp directory. */
export function startS3rver(options?: { bucket?: string }): Promise<RunningS3rver>;
