import { spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePorts } from './free-port.js';

/** The PostgreSQL server binaries: PG_BIN, else the newest /usr/lib/postgresql/<version>/bin (as the fault suite finds them). */
function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  if (!versions.length)
    throw new Error('The read-replica test needs the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup): install postgresql or set PG_BIN.');
  return path.join(root, versions.sort((x, y) => Number(y) - Number(x))[0]!, 'bin');
}

/** A throw-away PostgreSQL primary and a streaming replica of it, started from the server binaries. */
export interface PgPrimaryReplica {
  /** The `ticketing` database on the primary (superuser `postgres`, trust). */
  primaryUrl: string;
  /** The same database on the replica (read-only, hot standby). */
  replicaUrl: string;
  /** Wait until the replica has replayed everything the primary has written so far. */
  caughtUp: (ms?: number) => Promise<void>;
  /** Stop applying WAL on the replica (it keeps receiving it): simulated replication lag. */
  pauseReplay: () => Promise<void>;
  resumeReplay: () => Promise<void>;
  stop: () => Promise<void>;
}

/** Run a PostgreSQL binary, as the `postgres` user when we are root (initdb refuses root). */
function run(bin: string, args: string[]): string {
  const BIN = pgBin();
  const asRoot = userInfo().uid === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(BIN, bin), ...args]] : [path.join(BIN, bin), args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

/**
 * initdb a primary (`wal_level=replica`, replication trusted from 127.0.0.1), start it, create the
 * `ticketing` database, take `pg_basebackup -R` for a replica and start that: two servers on free
 * ports in [from, to), data in one temp directory owned by `postgres`. The caller migrates the
 * primary (the replica receives the schema by streaming). `stop()` stops both (immediate mode: they
 * are throw-away) and removes the directory; both are also stopped if the test process exits first.
 */
export async function startPrimaryAndReplica(from = 29500, to = 29900): Promise<PgPrimaryReplica> {
  const [primaryPort, replicaPort] = await freePorts(2, from, to);
  const dir = mkdtempSync(path.join(tmpdir(), 'tk-pg-replica-'));
  if (userInfo().uid === 0) {
    const pgUser = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const pgGroup = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(pgUser.stdout.trim()), Number(pgGroup.stdout.trim()));
  }
  const primaryDir = path.join(dir, 'primary');
  const replicaDir = path.join(dir, 'replica');
  const started: string[] = [];
  const stopSync = () => {
    for (const d of started.splice(0).reverse()) {
      try {
        run('pg_ctl', ['-D', d, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopSync);
  const start = (dataDir: string, port: number) => {
    run('pg_ctl', ['-D', dataDir, '-l', path.join(dir, `${path.basename(dataDir)}.log`), '-o', `-p ${port}`, '-w', '-t', '30', 'start']);
    started.push(dataDir);
  };
  try {
    run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    appendFileSync(
      path.join(primaryDir, 'postgresql.conf'),
      [
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${dir}'`,
        'wal_level = replica',
        'max_wal_senders = 4',
        'hot_standby = on',
        // Throw-away test servers: no need to survive an OS crash.
        'fsync = off',
        'full_page_writes = off',
        'shared_buffers = 32MB',
        'max_connections = 60',
        '',
      ].join('\n'),
    );
    appendFileSync(path.join(primaryDir, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 trust\n');
    start(primaryDir, primaryPort!);
    const admin = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
    await query(admin, 'CREATE DATABASE ticketing');

    run('pg_basebackup', [
      '-R',
      '-D',
      replicaDir,
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-X',
      'stream',
      '--checkpoint=fast',
      '--no-sync',
    ]);
    start(replicaDir, replicaPort!);

    const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/ticketing`;
    const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/ticketing`;
    const [rec] = await query<{ r: boolean }>(replicaUrl, 'SELECT pg_is_in_recovery() AS r');
    if (!rec?.r) throw new Error('the replica is not in recovery');

    const caughtUp = async (ms = 10_000) => {
      const [{ lsn }] = (await query<{ lsn: string }>(primaryUrl, 'SELECT pg_current_wal_lsn()::text AS lsn')) as [{ lsn: string }];
      const deadline = Date.now() + ms;
      for (;;) {
        const [row] = await query<{ done: boolean }>(replicaUrl, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`);
        if (row?.done) return;
        if (Date.now() > deadline) throw new Error('the replica did not catch up');
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    return {
      primaryUrl,
      replicaUrl,
      caughtUp,
      pauseReplay: async () => {
        // From here no further WAL record is applied: the startup process checks the request before
        // each one (the state reads 'pause requested' until it next reaches a record, then 'paused').
        await query(replicaUrl, 'SELECT pg_wal_replay_pause()');
        const [row] = await query<{ s: string }>(replicaUrl, 'SELECT pg_get_wal_replay_pause_state() AS s');
        if (row?.s === 'not paused') throw new Error('replay did not pause');
      },
      resumeReplay: async () => {
        await query(replicaUrl, 'SELECT pg_wal_replay_resume()');
      },
      stop: async () => {
        process.off('exit', stopSync);
        stopSync();
      },
    };
  } catch (err) {
    process.off('exit', stopSync);
    stopSync();
    throw err;
  }
}
