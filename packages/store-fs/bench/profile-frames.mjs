// The top frames of a CPU profile of one piece of work, taken in this process with the inspector:
// what a benchmark row that misses its goal prints to say where the time went.
import { Session } from 'node:inspector/promises';

/**
 * Runs `work` under the V8 CPU profiler and returns the `limit` frames with the most self time, as
 * percentages of the profiled time the process was busy (idle time, waiting for the disk, left out).
 */
export async function profileTopFrames(work, { limit = 8 } = {}) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    // 100 µs between samples: fine enough for calls that take tens of microseconds.
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    await work();
    const { profile } = await session.post('Profiler.stop');
    return topFrames(profile, limit);
  } finally {
    session.disconnect();
  }
}

function topFrames(profile, limit) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map();
  profile.samples.forEach((id, index) => {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    // Idle is waiting (for the disk, say); the inspector's frames are the profiler's own.
    if (functionName === '(idle)' || functionName === '(root)' || url === 'node:inspector') return;
    const where = url === '' ? 'native' : `${url.replace(/^.*\/(packages|node_modules)\//, '')}:${lineNumber + 1}`;
    const name = `${functionName || '(anonymous)'} ${where}`;
    selfTime.set(name, (selfTime.get(name) ?? 0) + profile.timeDeltas[index]);
  });
  const busy = [...selfTime.values()].reduce((sum, time) => sum + time, 0);
  return [...selfTime]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, time]) => ({ name, percent: (100 * time) / busy }));
}
