// The top frames of a CPU profile of one piece of work, taken in this process with the inspector:
// what a benchmark row that misses its goal prints to say where the time went (see explainMisses in
// bench.mjs).
import { Session } from 'node:inspector/promises';
import process from 'node:process';

/**
 * Runs `work` under the V8 CPU profiler and returns the `limit` frames with the most self time, as
 * percentages of the profiled time the process was busy (idle time, waiting for the disk or the
 * network, left out), with that busy time and the wall time of the work, in ms, and the share of the
 * busy time spent in this repository's own packages (not their dependencies, not the benchmarks).
 */
export async function profileTopFrames(work, { limit = 8 } = {}) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    // 100 µs between samples: fine enough for calls that take tens of microseconds.
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const started = process.hrtime.bigint();
    await work();
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const { profile } = await session.post('Profiler.stop');
    return { ...topFrames(profile, limit), wallMs };
  } finally {
    session.disconnect();
  }
}

function topFrames(profile, limit) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map();
  let ownTime = 0;
  profile.samples.forEach((id, index) => {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    // Idle is waiting (for the disk, say); the inspector's frames and this module's are the profiler's own.
    if (functionName === '(idle)' || functionName === '(root)' || url === 'node:inspector' || url === import.meta.url) return;
    const where = url === '' ? 'native' : `${shortPath(url)}:${lineNumber + 1}`;
    const name = `${functionName || '(anonymous)'} ${where}`;
    selfTime.set(name, (selfTime.get(name) ?? 0) + profile.timeDeltas[index]);
    if (isOwnCode(url)) ownTime += profile.timeDeltas[index];
  });
  const busy = [...selfTime.values()].reduce((sum, time) => sum + time, 0);
  const frames = [...selfTime]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, time]) => ({ name, percent: (100 * time) / busy }));
  return { frames, busyMs: busy / 1000, ownPercent: (100 * ownTime) / busy };
}

// The repository's root, as the profiler writes the URLs of its files.
const repositoryRoot = new URL('..', import.meta.url).href;

// This repository's packages, not their dependencies nor the benchmarks' own harness.
function isOwnCode(url) {
  return url.startsWith(`${repositoryRoot}packages/`) && !url.includes('/node_modules/') && !url.includes('/bench/');
}

// A dependency by its package path (`ioredis/built/Command.js`), our code by its path in the repository
// (`packages/bullmq/dist/index.js`), so that the two never read alike.
function shortPath(url) {
  if (url.includes('/node_modules/')) return url.replace(/^.*\/node_modules\//, '');
  return url.startsWith(repositoryRoot) ? url.slice(repositoryRoot.length) : url;
}
