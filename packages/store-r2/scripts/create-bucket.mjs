// Creates the bucket named by CLAIMCHECK_S3_BUCKET on CLAIMCHECK_S3_ENDPOINT, for the RGW suite.
// Signed for us-east-1, the one region whose CreateBucket carries no LocationConstraint: RGW
// rejects `auto` as a location, though it accepts it as the signing region of everything else.
import process from 'node:process';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

const env = process.env;
const client = new S3Client({
  endpoint: env.CLAIMCHECK_S3_ENDPOINT,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: env.CLAIMCHECK_S3_ACCESS_KEY_ID ?? '', secretAccessKey: env.CLAIMCHECK_S3_SECRET_ACCESS_KEY ?? '' },
});
await client.send(new CreateBucketCommand({ Bucket: env.CLAIMCHECK_S3_BUCKET }));
client.destroy();
