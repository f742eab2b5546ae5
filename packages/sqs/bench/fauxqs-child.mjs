// Runs fauxqs on a free loopback port in this process and prints `{ "port": … }` once it listens.
// The benchmark runs the emulator in a process of its own, as SQS is: its parsing and bookkeeping
// then do not share the event loop with the clients being measured.
import process from 'node:process';
import { startFauxqs } from 'fauxqs';

const server = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
const stop = () => {
  server.stop().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent closing our stdin means it is gone: do not outlive it.
process.stdin.on('end', stop).resume();
