// CPU time of processes from /proc (Linux; USER_HZ = 100): a figure that depends much less on
// what else the machine is doing than latency does. Shared by the benchmark scripts.
import { readFile, readdir } from 'node:fs/promises';

/** utime + stime (ms) from the text of /proc/<pid>/stat; the name in parentheses may hold spaces. */
function statCpuMs(stat) {
  const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

/** CPU time (ms) used so far by these process ids (processes that are gone count 0). */
export async function cpuMsOfPids(pids) {
  let ms = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat) ms += statCpuMs(stat);
  }
  return ms;
}

/**
 * CPU time (ms) of every process on this machine named `name` (all PostgreSQL backends, say);
 * null where /proc is missing. A process that exits meanwhile takes its time with it.
 */
export async function cpuMsOfProcessesNamed(name) {
  const pids = await readdir('/proc').catch(() => null);
  if (!pids) return null;
  let ms = 0;
  for (const pid of pids) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat && stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === name) ms += statCpuMs(stat);
  }
  return ms;
}
