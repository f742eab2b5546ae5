// Runs s3rver on a free loopback port in this process and prints `{ "port": … }` once it listens.
// Started by s3rver.mjs under --openssl-legacy-provider: without it, s3rver's MD5-based listing
// markers fail past 1000 keys with 500s on Node ≥ 17.
import process from 'node:process';
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
const stop = () => {
  server.close().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent closing our stdin means it is gone: do not outlive it.
process.stdin.on('end', stop).resume();
