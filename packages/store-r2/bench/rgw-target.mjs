// The RGW that scripts/rgw-suite.sh started and named in CLAIMCHECK_S3_*. A benchmark of large
// objects means RGW: without it, it stops and says how to run it, rather than measure something else.
import process from 'node:process';
import { s3TargetFromEnv } from '../../../scripts/s3-target.mjs';

/** The RGW target, or the process exits with a message naming the way to start one. */
export function rgwTarget(benchmark) {
  const target = s3TargetFromEnv();
  if (target?.server === 'rgw') return target;
  console.error(
    `${benchmark}: needs Ceph RGW, found ${target === undefined ? 'no CLAIMCHECK_S3_* server' : `CLAIMCHECK_S3_SERVER=${target.server}`}. ` +
      `Run it through \`bash scripts/rgw-suite.sh node ${process.argv[1]}\` (the package's \`bench\` script does), which starts RGW.`,
  );
  process.exit(1);
}
