// The S3 server named by CLAIMCHECK_S3_* (the RGW suite sets them), shared by every package whose
// tests need a bucket: undefined when none is named, so the suite starts its own s3rver.

/** The external S3 server the environment names, or undefined. */
export function s3TargetFromEnv(env = process.env) {
  if (env.CLAIMCHECK_S3_ENDPOINT === undefined) return undefined;
  return {
    server: env.CLAIMCHECK_S3_SERVER ?? 'external',
    endpoint: env.CLAIMCHECK_S3_ENDPOINT,
    bucket: required(env, 'CLAIMCHECK_S3_BUCKET'),
    region: env.CLAIMCHECK_S3_REGION ?? 'auto',
    accessKeyId: required(env, 'CLAIMCHECK_S3_ACCESS_KEY_ID'),
    secretAccessKey: required(env, 'CLAIMCHECK_S3_SECRET_ACCESS_KEY'),
  };
}

function required(env, name) {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`${name} must be set along with CLAIMCHECK_S3_ENDPOINT`);
  return value;
}
