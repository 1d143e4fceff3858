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
  /** How long each instance may take to answer /ready (at start and after a restart); default 120000. */
  readyTimeoutMs?: number;
  /** Extra node flags for every API instance (benchmarks: --cpu-prof …). */
  nodeArgs?: string[];
  /**
   * Restart back-off of an instance that exited on its own: the n-th consecutive restart waits
   * min(maxMs, initialMs·2^(n-1)); one that stayed up stableMs starts over. Defaults 250 / 30000 / 30000.
   */
  restartBackoff?: { initialMs?: number; maxMs?: number; stableMs?: number };
  /**
   * Addresses or CIDRs (nginx `geo` syntax, e.g. '127.0.0.1' or '10.0.0.0/8') exempt from nginx's
   * per-address request shield (`limit_req`, 100 r/s, burst 200): a load generator. Default none.
   */
  shieldAllowList?: string[];
  /** Receives one line per instance exit and restart; default console.log with a `[stack]` prefix. */
  log?: (line: string) => void;
}

/** One API instance. A live view: `pid` and `restarts` change when the supervisor restarts it. */
export interface StackInstance {
  id: string;
  port: number;
  url: string;
  pid: number;
  logFile: string | null;
  /** How many times the supervisor restarted this instance. */
  restarts: number;
}

/** An exit of an instance (`api-N`) or of nginx that stop() did not cause. */
export interface StackExit {
  who: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Instances still running right after this exit. */
  instancesLeft: number;
}

/** A restarted instance that answers /ready again. */
export interface StackRestart {
  who: string;
  port: number;
  pid: number;
  /** Restarts of this instance so far (1 for the first). */
  restarts: number;
  /** From its exit to its new process answering /ready. */
  downMs: number;
}

export interface Stack {
  /** The one URL: http://localhost:<frontPort> (the front door). */
  url: string;
  frontDoor: 'nginx' | 'node';
  frontPort: number;
  instances: StackInstance[];
  logDir: string | null;
  /** Generated nginx config, nginx logs and (by default) the instance logs. */
  runDir: string;
  /** Resolves when the first instance or nginx exits (a crash, a kill, or stop()). */
  exited: Promise<{ who: string; code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Called for each instance or nginx exit that stop() did not cause. An instance is then
   * restarted by the supervisor (see onRestart); nginx is not.
   */
  onExit(listener: (e: StackExit) => void): void;
  /** Called each time an instance that exited has been restarted and answers /ready. */
  onRestart(listener: (e: StackRestart) => void): void;
  /** Stops restarting, then SIGTERM everything (graceful shutdown; SIGKILL after 20 s); resolves when all have exited. */
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
export function localNginxConfig(options: { frontPort: number; host: string; ports: number[]; webDist: string; runDir: string; shieldAllowList?: string[] }): string;
