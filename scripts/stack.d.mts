// Types for scripts/stack.mjs, so TypeScript callers (the web end-to-end tests) can import it.

export interface StackOptions {
  /** PostgreSQL URL of the stack's database (required). With `migrate: true` it is created if missing. */
  databaseUrl: string;
  /** Default redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** Prefix of every Redis key the instances write; default 'tk:'. Use a unique one per test run. */
  redisKeyPrefix?: string;
  /** First API port (instances use consecutive ports); 0 picks free ports. Default 3001. */
  basePort?: number;
  /** Port of the front door; 0 picks a free port. Default 8080. */
  frontPort?: number;
  /** Number of API instances; default 3. */
  instances?: number;
  /** Address the front door listens on; default 127.0.0.1. */
  host?: string;
  /** The built SPA served by the front door; default apps/web/dist. */
  webDist?: string;
  /** Extra API environment, e.g. { RATE_LIMITS: 'off', LOG_LEVEL: 'warn' }. */
  env?: Record<string, string>;
  /** Run the API's migrate CLI first (creates the database when missing). Default false. */
  migrate?: boolean;
  /** Run the API's seed CLI first (idempotent demo data). Default false. */
  seed?: boolean;
  /** 'auto' (nginx when installed, else Node), 'nginx' or 'node'. Default 'auto'. */
  frontDoor?: 'auto' | 'nginx' | 'node';
  /** Instance output: 'inherit', 'ignore', or a directory for api-N.log files. Default: runDir. */
  output?: 'inherit' | 'ignore' | string;
  /** Logs and generated nginx config; default .run/stack-<frontPort> (removed by stop() when frontPort was 0). */
  runDir?: string;
  /** How long each instance may take to answer /ready; default 120000. */
  readyTimeoutMs?: number;
}

export interface StackInstance {
  id: string;
  port: number;
  url: string;
  pid: number;
  logFile: string | null;
}

export interface Stack {
  /** The one URL: http://localhost:<frontPort> (the front door). */
  url: string;
  frontDoor: 'nginx' | 'node';
  frontPort: number;
  instances: StackInstance[];
  logDir: string | null;
  /** Resolves when the first instance or nginx exits (a crash, a kill, or stop()). */
  exited: Promise<{ who: string; code: number | null; signal: NodeJS.Signals | null }>;
  /** Called for each instance or nginx exit that stop() did not cause. */
  onExit(listener: (e: { who: string; code: number | null; signal: NodeJS.Signals | null; instancesLeft: number }) => void): void;
  /** SIGTERM everything (graceful shutdown; SIGKILL after 20 s); resolves when all have exited. */
  stop(): Promise<void>;
}

/** Start N API instances and one front door; resolves once every instance answers /ready. */
export function startStack(options: StackOptions): Promise<Stack>;

/** Paths the front door sends to the API. */
export const API_PATH: RegExp;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number>;

/** Run an API CLI (e.g. 'src/db/seed-cli.ts') with tsx in apps/api; resolves with its output. */
export function runApiCli(script: string, env: NodeJS.ProcessEnv): Promise<string>;

/** The local nginx configuration derived from nginx.conf. */
export function localNginxConfig(options: { frontPort: number; host: string; ports: number[]; webDist: string; runDir: string }): string;
