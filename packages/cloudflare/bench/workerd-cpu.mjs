// The CPU time of the workerd process a Miniflare instance runs, read from Linux's /proc: Workers bill a
// request's CPU time, and wall time on a shared machine is mostly waiting. Miniflare starts workerd as a
// child of this process; workerd runs every isolate (the Worker, Miniflare's entry Worker and its queue
// broker, a Durable Object) on its main thread, so that thread's time is what is read. V8's helper
// threads (concurrent GC, compilation) are left out, as Workers bill the request's thread.
import { readdirSync, readFileSync } from 'node:fs';

/** A reader of the workerd main thread's CPU time in milliseconds, or `undefined` where /proc has no such process. */
export function workerdCpuClock() {
  let children;
  try {
    children = readdirSync('/proc/self/task').flatMap((task) => readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(' ').filter(Boolean));
  } catch {
    return undefined;
  }
  const workerd = children.filter((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'workerd');
  if (workerd.length !== 1) throw new Error(`expected one workerd child process, found ${workerd.length}`);
  // schedstat's first field is the time on CPU in nanoseconds (stat's utime/stime count 10 ms ticks).
  const schedstat = `/proc/${workerd[0]}/task/${workerd[0]}/schedstat`;
  return () => Number(readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6;
}
