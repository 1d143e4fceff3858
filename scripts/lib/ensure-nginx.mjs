// nginx wherever the app runs: `start` and `test` install it with apt-get when they run as root
// and it is missing; otherwise they say how to install it. Plain Node (works before pnpm install).
import { hasCommand, isRoot, run, say, warn } from './common.mjs';
import { NGINX_INSTALL_HINT, nginxBinary } from '../stack/nginx.mjs';

const MIN = 60_000;

/** `apt-get update` then `apt-get install -y --no-install-recommends <packages>`; resolves with the exit code. */
export async function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Wait for another apt/dpkg run on the machine instead of failing on its lock.
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  const update = await run('apt-get', [...lock, 'update'], { env, timeoutMs: 10 * MIN });
  if (update !== 0) return update;
  return run('apt-get', [...lock, 'install', '-y', '--no-install-recommends', ...packages], { env, timeoutMs: 20 * MIN });
}

/**
 * Make sure nginx is installed. Returns null when it is, otherwise why not (after printing how to
 * install it): not root / no apt-get, or apt-get failed.
 */
export async function ensureNginx() {
  if (nginxBinary()) {
    say(`nginx found (${nginxBinary()})`);
    return null;
  }
  if (!isRoot() || !hasCommand('apt-get')) {
    const why = `nginx is not installed and this script can only install it as root with apt-get. ${NGINX_INSTALL_HINT}`;
    warn(why);
    return why;
  }
  say('Installing nginx with apt-get (the front door)');
  const code = await aptInstall(['nginx']);
  if (code !== 0 || !nginxBinary()) {
    const why = `apt-get install nginx failed (exit ${code}). ${NGINX_INSTALL_HINT}`;
    warn(why);
    return why;
  }
  return null;
}
