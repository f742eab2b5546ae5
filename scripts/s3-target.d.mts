/** An S3 server a suite runs against. */
export interface S3Endpoint {
  /** `s3rver`, `rgw`, `r2`, … */
  server: string;
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** The external S3 server CLAIMCHECK_S3_* names, or undefined when CLAIMCHECK_S3_ENDPOINT is unset. */
export function s3TargetFromEnv(env?: Readonly<Record<string, string | undefined>>): S3Endpoint | undefined;
