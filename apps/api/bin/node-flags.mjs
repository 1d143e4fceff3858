/**
 * The node flags the API runs with: the ONE place they are named. Every starter uses them:
 * `bin/api.mjs` (package.json `start`/`dev`, the Dockerfile), scripts/stack.mjs and the queue
 * benchmark import this list. Why each flag, how to re-measure it and when to drop it:
 * docs/adr/0005-node-flags.md.
 */
import { fileURLToPath } from 'node:url';

export const API_NODE_FLAGS = Object.freeze(['--no-allocation-site-pretenuring']);

/** The API_NODE_FLAGS a process was started without (main.ts logs a warning for them). */
export function missingNodeFlags(execArgv = process.execArgv) {
  return API_NODE_FLAGS.filter((f) => !execArgv.includes(f));
}

/**
 * The tracing preload (src/platform/tracing.ts): it must load before express, pg and ioredis, and
 * loads nothing unless OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/adr/0030-observability-traces-alerts.md).
 */
export const TRACING_PRELOAD = fileURLToPath(new URL('../src/platform/tracing.ts', import.meta.url));

/** The node arguments that run `script` (a .ts file) with the API's flags, `extra` node flags, tsx and the tracing preload. */
export function apiNodeArgs(script, extra = []) {
  return [...API_NODE_FLAGS, ...extra, '--import', 'tsx', `--import=${TRACING_PRELOAD}`, script];
}
