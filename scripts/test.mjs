#!/usr/bin/env node
// `npx -y pnpm@9.15.9 test`: every check the project has, in one command.
//   install (frozen lockfile) → Chromium for the browser tests → nginx (the front door of the stack
//   and browser tests) → PostgreSQL + Redis answer → typecheck every package → each package's
//   `test` script → the stack tests → the web end-to-end tests.
// Exits non-zero when any step fails and ends with `steps: N passed, N failed[, N skipped]`.
import { existsSync } from 'node:fs';
import { aptInstall, ensureNginx } from './lib/ensure-nginx.mjs';
import {
  FatalError,
  checkPostgresLogin,
  bold,
  ensureServices,
  green,
  hasCommand,
  isRoot,
  pnpm,
  readPackage,
  red,
  run,
  say,
  wasInterrupted,
  yellow,
} from './lib/common.mjs';

const MIN = 60_000;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const results = []; // { name, status: 'passed' | 'failed' | 'skipped', note, seconds }

async function step(name, fn) {
  if (wasInterrupted()) {
    results.push({ name, status: 'skipped', note: 'interrupted', seconds: 0 });
    return false;
  }
  console.log(`\n${bold(`━━ ${name}`)}`);
  const started = Date.now();
  let status;
  let note = '';
  try {
    const r = await fn();
    if (r && typeof r === 'object' && r.skipped) {
      status = 'skipped';
      note = r.skipped;
      console.log(yellow(`skipped: ${note}`));
    } else status = r === 0 || r === true || r === undefined ? 'passed' : 'failed';
    if (typeof r === 'number' && r !== 0) note = `exit code ${r}`;
  } catch (err) {
    status = 'failed';
    note = err instanceof FatalError ? err.message.split('\n')[0] : String(err?.stack ?? err);
    console.error(`${red('error:')} ${err instanceof FatalError ? err.message : note}`);
  }
  results.push({ name, status, note, seconds: Math.round((Date.now() - started) / 1000) });
  return status === 'passed';
}

function notRun(name, why) {
  results.push({ name, status: 'skipped', note: `not run: ${why}`, seconds: 0 });
}

/** Install Chromium from apt when it is missing and we are allowed to (root with apt-get). */
async function ensureChromium() {
  if (existsSync(CHROMIUM)) {
    say(`Chromium found at ${CHROMIUM}`);
    return 0;
  }
  if (!isRoot() || !hasCommand('apt-get')) {
    throw new FatalError(
      `Chromium is missing at ${CHROMIUM} and this script can only install it as root with apt-get.\n` +
        'Install it yourself (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium/Chrome binary.',
    );
  }
  say('Installing Chromium with apt-get (needed by the browser tests)');
  const install = await aptInstall(['chromium']);
  if (install !== 0) throw new FatalError(`apt-get install chromium failed (exit ${install}).`);
  if (!existsSync(CHROMIUM)) throw new FatalError(`apt-get installed chromium but ${CHROMIUM} does not exist.`);
  return 0;
}

async function main() {
  const web = readPackage('apps/web');
  const hasE2e = Boolean(web?.scripts?.e2e);
  const testEnv = { ...process.env };

  const installed = await step('install dependencies (pnpm install --frozen-lockfile)', () =>
    pnpm(['install', '--frozen-lockfile'], { timeoutMs: 20 * MIN }),
  );

  if (hasE2e) await step('Chromium for the browser tests', ensureChromium);
  else notRun('Chromium for the browser tests', 'apps/web has no e2e script');

  // Prometheus alert rules (ops/prometheus): `promtool check rules`, the rule unit tests and the
  // Grafana dashboard's queries.
  // promtool comes with the Debian package `prometheus`, installed like Chromium when missing.
  await step('Prometheus alert rules and dashboard queries (promtool)', async () => {
    if (!hasCommand('promtool')) {
      if (!isRoot() || !hasCommand('apt-get')) {
        throw new FatalError('promtool is missing and this script can only install it as root with apt-get.\nInstall it yourself (Debian/Ubuntu: sudo apt-get install -y prometheus) or put a promtool binary on PATH.');
      }
      say('Installing promtool with apt-get (Debian package prometheus)');
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      if ((await run('apt-get', ['update'], { env, timeoutMs: 10 * MIN })) !== 0) throw new FatalError('apt-get update failed.');
      if ((await run('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], { env, timeoutMs: 20 * MIN })) !== 0) throw new FatalError('apt-get install prometheus failed.');
    }
    const checked = await run('promtool', ['check', 'rules', 'ops/prometheus/alerts.yml'], { timeoutMs: 2 * MIN });
    if (checked !== 0) return checked;
    const tested = await run('promtool', ['test', 'rules', 'ops/prometheus/alerts.test.yml'], { timeoutMs: 2 * MIN });
    if (tested !== 0) return tested;
    return run(process.execPath, ['ops/grafana/check-queries.mjs'], { timeoutMs: 2 * MIN }); // the dashboard's PromQL
  });

  // The stack and browser tests run behind nginx, as production does; without it they fall back
  // to the Node proxy, so a machine that cannot install nginx fails this step and says how.
  await step('nginx for the front door', async () => {
    const why = await ensureNginx();
    if (why) throw new FatalError(why);
    return 0;
  });

  const servicesUp = await step('PostgreSQL and Redis', async () => {
    const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
    const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const got = await ensureServices({ databaseUrl: adminUrl, redisUrl, databaseUrlGiven: Boolean(process.env.TEST_DATABASE_ADMIN_URL) });
    if (installed) await checkPostgresLogin(got.databaseUrl);
    // The tests build their own databases from this maintenance URL (apps/api/test/global-setup.ts).
    const admin = new URL(got.databaseUrl);
    admin.pathname = '/postgres';
    testEnv.TEST_DATABASE_ADMIN_URL = admin.toString();
    testEnv.TEST_REDIS_URL = got.redisUrl;
    return 0;
  });

  const TYPECHECK = 'typecheck (pnpm -r --no-bail run typecheck)';
  const UNIT = 'package tests (pnpm -r --no-bail --workspace-concurrency=1 run test)';
  const STACK = 'stack tests (node --test scripts/test/)';
  const BUILD = 'web production build (pnpm --filter @ticketing/web run build)';
  const E2E = 'web end-to-end tests (pnpm --filter @ticketing/web run e2e)';
  if (!installed) {
    for (const name of [TYPECHECK, UNIT, STACK, BUILD, E2E]) notRun(name, 'install failed');
  } else {
    await step(TYPECHECK, () => pnpm(['-r', '--no-bail', 'run', 'typecheck'], { env: testEnv, timeoutMs: 15 * MIN }));

    if (servicesUp) {
      await step(UNIT, () => pnpm(['-r', '--no-bail', '--workspace-concurrency=1', 'run', 'test'], { env: testEnv, timeoutMs: 40 * MIN }));
    } else notRun(UNIT, 'PostgreSQL/Redis not available');

    // The local stack itself: front door routing, round robin, SSE, shutdown (scripts/stack.mjs).
    if (servicesUp) await step(STACK, () => run(process.execPath, ['--test', 'scripts/test/'], { env: testEnv, timeoutMs: 10 * MIN }));
    else notRun(STACK, 'PostgreSQL/Redis not available');

    // The production build is checked too; the e2e tests serve apps/web/dist through startStack.
    let built = false;
    if (web?.scripts?.build) built = await step(BUILD, () => pnpm(['--filter', '@ticketing/web', 'run', 'build'], { env: testEnv, timeoutMs: 10 * MIN }));
    else notRun(BUILD, web ? '@ticketing/web has no build script' : 'apps/web/package.json does not exist yet');

    if (!web) notRun(E2E, 'apps/web/package.json does not exist yet');
    else if (!hasE2e) notRun(E2E, '@ticketing/web has no e2e script');
    else if (!servicesUp) notRun(E2E, 'PostgreSQL/Redis not available');
    else if (web.scripts?.build && !built) notRun(E2E, 'the web build failed');
    else {
      await step(E2E, () =>
        pnpm(['--filter', '@ticketing/web', 'run', 'e2e'], { env: { ...testEnv, CHROMIUM_PATH: CHROMIUM }, timeoutMs: 30 * MIN }),
      );
    }
  }

  console.log(`\n${bold('━━ summary')}`);
  for (const r of results) {
    const tag = r.status === 'passed' ? green('PASS') : r.status === 'failed' ? red('FAIL') : yellow('SKIP');
    console.log(`${tag}  ${r.name}${r.seconds ? ` (${r.seconds}s)` : ''}${r.note ? ` — ${r.note}` : ''}`);
  }
  const count = (s) => results.filter((r) => r.status === s).length;
  const failed = count('failed');
  const skipped = count('skipped');
  console.log(`steps: ${count('passed')} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (wasInterrupted()) console.log(red('interrupted'));
  process.exit(failed || wasInterrupted() ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
