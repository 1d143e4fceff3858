// Preload for a benchmarked Node process (node --import bench/lib/loop-gaps.mjs): a 1 ms timer
// records every event-loop gap longer than LOOP_GAPS_MIN_MS (4) as [start ms since process start,
// gap ms, CPU ms the process used during it], written to LOOP_GAPS_FILE at exit. A gap with
// about as much CPU as wall time was the process working (JS, GC); one with little CPU was the
// process waiting for a CPU (the scheduler or the VM's host). The timer itself costs ~1,000
// wake-ups a second: a diagnostic, not for figures.
import { writeFileSync } from 'node:fs';

const file = process.env.LOOP_GAPS_FILE;
const minMs = Number(process.env.LOOP_GAPS_MIN_MS ?? 4);
const gaps = [];
let last = performance.now();
let lastCpu = process.cpuUsage();
const tick = () => {
  const now = performance.now();
  const cpu = process.cpuUsage();
  const gap = now - last;
  if (gap > minMs) {
    const cpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
    gaps.push([Math.round(last), Math.round(gap * 10) / 10, Math.round(cpuMs * 10) / 10]);
  }
  last = now;
  lastCpu = cpu;
  setTimeout(tick, 1).unref();
};
if (file) {
  setTimeout(tick, 1).unref();
  process.on('exit', () => writeFileSync(file, JSON.stringify(gaps)));
  // The API exits on SIGTERM through its own shutdown, which ends in process.exit: 'exit' runs then.
}
