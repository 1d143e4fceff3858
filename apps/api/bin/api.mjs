#!/usr/bin/env node
/**
 * The API's launcher: runs src/main.ts in a node process started with API_NODE_FLAGS
 * (node-flags.mjs; docs/adr/0005-node-flags.md). `node bin/api.mjs` for production (package.json
 * `start`, the Dockerfile); `node bin/api.mjs --watch` for development (tsx watch, same flags).
 * SIGINT/SIGTERM go to the API, which shuts down gracefully; the launcher exits with its code.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { API_NODE_FLAGS, TRACING_PRELOAD, apiNodeArgs } from './node-flags.mjs';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const watch = process.argv.includes('--watch');
const args = watch ? [createRequire(import.meta.url).resolve('tsx/cli'), 'watch', ...API_NODE_FLAGS, `--import=${TRACING_PRELOAD}`, main] : apiNodeArgs(main);
const child = spawn(process.execPath, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
