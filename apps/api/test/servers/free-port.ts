import net from 'node:net';

/** True when nothing listens on 127.0.0.1:`port` (and we may bind it). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive free ports (and, for each, port + `companionOffset` when given) in
 * [from, to), starting at a random place so concurrent runs rarely collide. The test servers use
 * the range this project's helpers are given (29000-29999).
 */
export async function freePorts(count: number, from: number, to: number, companionOffset = 0): Promise<number[]> {
  const span = to - from - count - companionOffset;
  const start = from + Math.floor(Math.random() * Math.max(1, span));
  for (let i = 0; i < span; i++) {
    const base = from + ((start - from + i) % Math.max(1, span));
    const ports = Array.from({ length: count }, (_, k) => base + k);
    const all = companionOffset ? [...ports, ...ports.map((p) => p + companionOffset)] : ports;
    if ((await Promise.all(all.map(isFree))).every(Boolean)) return ports;
  }
  throw new Error(`no ${count} free ports in ${from}-${to}`);
}
