// The nginx front door of the local stack: a config derived from the repository's nginx.conf
// (the one the Docker image uses) and the nginx process that runs it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FatalError, ROOT, hasCommand, isRoot } from '../lib/common.mjs';
import { terminate } from './processes.mjs';

/** The nginx binary to run, or null when nginx is not installed (Debian puts it in /usr/sbin). */
export function nginxBinary() {
  if (hasCommand('nginx')) return 'nginx';
  return existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : null;
}

/**
 * The nginx configuration for the local stack, derived from nginx.conf so both front doors route
 * the same way: only the listen address, the upstream servers, the shield allow-list, the web
 * root, and the pid/log/temp/cache paths change.
 */
export function localNginxConfig({ frontPort, host, ports, webDist, runDir, shieldAllowList = [] }) {
  let conf = readFileSync(path.join(ROOT, 'nginx.conf'), 'utf8');
  const servers = ports.map((p) => `        server 127.0.0.1:${p} max_fails=3 fail_timeout=5s;`).join('\n');
  const allow = shieldAllowList.map((a) => `        ${a} 1;`).join('\n');
  const replace = (re, by, what) => {
    if (!re.test(conf)) throw new Error(`nginx.conf: cannot find ${what} to adapt for the local stack`);
    conf = conf.replace(re, by);
  };
  replace(/# BEGIN api servers[\s\S]*?# END api servers/, `# local stack\n${servers}`, 'the "# BEGIN api servers" block');
  replace(/# BEGIN shield allow-list[\s\S]*?# END shield allow-list/, `# local stack allow-list\n${allow}`, 'the "# BEGIN shield allow-list" block');
  replace(/^\s*listen\s+80;.*$/m, `        listen ${host}:${frontPort};`, '"listen 80;"');
  replace(/^\s*root\s+\/usr\/share\/nginx\/html;.*$/m, `        root ${webDist};`, 'the web root');
  replace(/^\s*pid\s+[^;]+;.*$/m, `pid ${path.join(runDir, 'nginx.pid')};`, 'the pid directive');
  replace(/^\s*error_log\s+[^;]+;.*$/m, `error_log ${path.join(runDir, 'nginx-error.log')} warn;`, 'error_log');
  replace(/^\s*access_log\s+[^;]+;.*$/m, `    access_log ${path.join(runDir, 'nginx-access.log')} main;`, 'access_log');
  replace(/proxy_cache_path\s+\S+/, `proxy_cache_path ${path.join(runDir, 'nginx-micro-cache')}`, 'proxy_cache_path');
  // Running as root, workers would drop to a user who may not read the work tree: keep root
  // for this loopback-only development front door. Otherwise nginx ignores `user`.
  replace(/^user\s+[^;]+;.*$/m, isRoot() ? 'user root;' : '', 'the user directive');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((k) => `    ${k}_temp_path ${path.join(runDir, `nginx-${k}-temp`)};`)
    .join('\n');
  replace(/^http\s*\{/m, `http {\n${temp}`, 'the http block');
  if (!existsSync('/etc/nginx/mime.types')) replace(/^\s*include\s+\/etc\/nginx\/mime\.types;.*$/m, '', 'the mime.types include');
  return conf;
}

/** Write the local config to `runDir`, check it with `nginx -t`, run nginx in the foreground. */
export async function startNginx({ frontPort, host, ports, webDist, runDir, shieldAllowList }) {
  const bin = nginxBinary();
  if (!bin) throw new FatalError('nginx is not installed (FRONT_DOOR=nginx). ' + NGINX_INSTALL_HINT);
  const confFile = path.join(runDir, 'nginx.conf');
  writeFileSync(confFile, localNginxConfig({ frontPort, host, ports, webDist, runDir, shieldAllowList }));
  const test = spawnSync(bin, ['-t', '-q', '-p', runDir, '-c', confFile, '-g', 'daemon off;'], { encoding: 'utf8' });
  if (test.status !== 0) throw new FatalError(`nginx rejected the generated ${confFile}:\n${test.stderr}`);
  const child = spawn(bin, ['-p', runDir, '-c', confFile, '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
  return { child, stop: () => terminate(child, 'SIGQUIT', 15_000) };
}

/** What to tell someone without nginx (and without root to install it). */
export const NGINX_INSTALL_HINT =
  'Install it (Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y --no-install-recommends nginx; ' +
  'Fedora: sudo dnf install -y nginx; macOS: brew install nginx) and run the command again.';
