import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL cluster and a Redis server that belong to one test file: their own temp folder,
 * free ports on 127.0.0.1, and methods to stop, kill -9, freeze (SIGSTOP), thaw and start them
 * again on the same port and data. The fault suites break these, never the machine's shared
 * instances on 5432 and 6379.
 *
 * Everything is torn down by `dispose()`, and as a last resort by a synchronous `exit` hook, so a
 * crashed test worker does not leave a postmaster or a redis-server behind.
 */

export type PrivateService = {
  /** Connection URL on 127.0.0.1. */
  readonly url: string;
  readonly port: number;
  /** Graceful stop: `pg_ctl stop -m fast` / Redis `SHUTDOWN NOSAVE`. Resolves once the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL of the postmaster / redis-server. Resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGSTOP of every process of the service: connections are accepted by the kernel and never answered. */
  freeze(): Promise<void>;
  /** SIGCONT of what `freeze` stopped. */
  thaw(): Promise<void>;
  /** Starts again on the same port and data (after stop or kill). Resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stop, then start. */
  restart(): Promise<void>;
  /** Whether the main process (postmaster / redis-server) is running. */
  running(): boolean;
  /** Always cleans up: thaws, stops (or kills), removes the temp folder. Idempotent. */
  dispose(): Promise<void>;
};

export type PrivatePostgres = PrivateService & {
  /** The cluster's log so far (for failure messages). */
  log(): string;
  /** `pg_terminate_backend` of every connection to `database` but the one asking; returns how many. */
  terminateConnections(database?: string): Promise<number>;
};

export type PrivateRedis = PrivateService & {
  /** One command over a raw connection (`['FLUSHALL']`); resolves with the reply's first line. */
  command(args: string[]): Promise<string>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nobody listens on right now (bind port 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else (still alive).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Direct children of `pid`, read from /proc (no dependency on procps). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces or parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

// Last-resort cleanup when the worker exits without running afterAll (synchronous only).
const exitCleanups = new Set<() => void>();
let exitHookInstalled = false;
function onProcessExit(cleanup: () => void): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const run of exitCleanups) {
        try {
          run();
        } catch {
          // Best effort.
        }
      }
    });
  }
  exitCleanups.add(cleanup);
  return () => exitCleanups.delete(cleanup);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

/** The newest `/usr/lib/postgresql/<version>/bin` that has initdb, pg_ctl and postgres. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (['initdb', 'pg_ctl', 'postgres'].every((tool) => existsSync(join(bin, tool)))) return bin;
  }
  return undefined;
}

export function redisServerPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin'])) {
    if (dir && existsSync(join(dir, 'redis-server'))) return join(dir, 'redis-server');
  }
  return undefined;
}

/** Whether this machine can run the private services (the binaries exist). */
export function privateServicesAvailable(): boolean {
  return postgresBinDir() !== undefined && redisServerPath() !== undefined;
}

const runningAsRoot = () => process.getuid?.() === 0;

function postgresUser(): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  };
}

/** Runs a PostgreSQL tool; as root, as the `postgres` OS user (initdb and postgres refuse root). */
function runPgTool(bin: string, tool: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<string> {
  const [command, argv] = runningAsRoot() ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  return new Promise((resolve, reject) => {
    execFile(command as string, argv as string[], { cwd, timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${tool} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

/**
 * initdb a fresh cluster in a temp folder and start it on a free port. The database `postgres`
 * (user `postgres`, trust auth) is at `url`.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql/<version>/bin');
  const base = mkdtempSync(join(tmpdir(), 'ponte-fault-pg-'));
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'sock');
  const logFile = join(base, 'postgres.log');
  mkdirSync(socketDir);
  if (runningAsRoot()) {
    const { uid, gid } = postgresUser();
    chownSync(base, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let frozen: number[] = [];
  let disposed = false;

  const postmasterPid = (): number | undefined => {
    try {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  };

  const killEverything = () => {
    const pid = postmasterPid();
    if (pid === undefined) return;
    for (const child of childrenOf(pid)) signal(child, 'SIGKILL');
    signal(pid, 'SIGKILL');
  };
  const removeExitHook = onProcessExit(() => {
    for (const pid of frozen) signal(pid, 'SIGCONT');
    killEverything();
    rmSync(base, { recursive: true, force: true });
  });

  await runPgTool(bin, 'initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], base);

  const start = async () => {
    if (postmasterPid() !== undefined) throw new Error('private PostgreSQL is already running');
    const options = [`-p ${port}`, `-k ${socketDir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c full_page_writes=off', '-c synchronous_commit=off'].join(' ');
    // -l: the postmaster's output goes to a file, so pg_ctl's own stdout closes and execFile returns.
    await runPgTool(bin, 'pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '30', 'start'], base);
  };

  const thaw = async () => {
    const pids = frozen;
    frozen = [];
    for (const pid of pids) signal(pid, 'SIGCONT');
  };

  const stop = async () => {
    await thaw();
    if (postmasterPid() === undefined) return;
    await runPgTool(bin, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'], base);
  };

  const handle: PrivatePostgres = {
    url,
    port,
    async start() {
      await start();
    },
    stop,
    async kill() {
      await thaw();
      const pid = postmasterPid();
      if (pid === undefined) return;
      const children = childrenOf(pid);
      signal(pid, 'SIGKILL');
      await waitUntil(() => !isAlive(pid), 10_000, 'the postmaster to die');
      // Backends notice their postmaster died and exit; the next start needs them gone (shared
      // memory still attached), so wait for them, and finish off any that linger.
      try {
        await waitUntil(() => children.every((child) => !isAlive(child)), 5_000, 'backends of the killed postmaster to exit');
      } catch {
        for (const child of children) signal(child, 'SIGKILL');
        await waitUntil(() => children.every((child) => !isAlive(child)), 5_000, 'backends to be killed');
      }
    },
    async freeze() {
      const pid = postmasterPid();
      if (pid === undefined) throw new Error('private PostgreSQL is not running');
      // The postmaster first, so it cannot fork a new backend while its children are being stopped.
      signal(pid, 'SIGSTOP');
      const stopped = new Set<number>([pid]);
      for (let round = 0; round < 2; round += 1) {
        for (const child of childrenOf(pid)) {
          if (stopped.has(child)) continue;
          signal(child, 'SIGSTOP');
          stopped.add(child);
        }
      }
      frozen = [...stopped];
    },
    thaw,
    async restart() {
      await stop();
      await start();
    },
    running: () => postmasterPid() !== undefined,
    log: () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    async terminateConnections(database = 'postgres') {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
      client.on('error', () => undefined);
      await client.connect();
      try {
        const result = await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
        return result.rowCount ?? 0;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await thaw();
      try {
        if (postmasterPid() !== undefined) await runPgTool(bin, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', '-t', '10', 'stop'], base, 15_000);
      } catch {
        killEverything();
      }
      rmSync(base, { recursive: true, force: true });
      removeExitHook();
    },
  };

  try {
    await start();
  } catch (error) {
    await handle.dispose();
    throw error;
  }
  return handle;
}

// ---------------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------------

function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

/** Sends one command on a fresh connection and resolves with the first reply line ('' when the server closes first). */
function rawRedisCommand(port: number, args: string[], timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis ${args[0]} timed out`));
    }, timeoutMs);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply.split('\r\n')[0] ?? '');
    };
    socket.on('connect', () => socket.write(encodeCommand(args)));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish();
    });
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish());
  });
}

/** A redis-server child process on a free port, no persistence, data folder in a temp dir. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const server = redisServerPath();
  if (!server) throw new Error('redis-server not found');
  const base = mkdtempSync(join(tmpdir(), 'ponte-fault-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  let frozen = false;
  let disposed = false;

  const removeExitHook = onProcessExit(() => {
    if (child?.pid !== undefined) {
      signal(child.pid, 'SIGCONT');
      signal(child.pid, 'SIGKILL');
    }
    rmSync(base, { recursive: true, force: true });
  });

  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  const start = async () => {
    if (running()) throw new Error('private Redis is already running');
    const process_ = spawn(
      server,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', base, '--loglevel', 'warning'],
      { cwd: base, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = process_;
    exited = new Promise((resolve) => process_.once('exit', () => resolve()));
    process_.stdout?.on('data', (chunk: Buffer) => (output = `${output}${chunk.toString()}`.slice(-20_000)));
    process_.stderr?.on('data', (chunk: Buffer) => (output = `${output}${chunk.toString()}`.slice(-20_000)));
    await waitUntil(
      async () => {
        if (!running()) throw new Error(`redis-server exited at start:\n${output}`);
        return rawRedisCommand(port, ['PING'], 500).then(
          (reply) => reply === '+PONG',
          () => false,
        );
      },
      10_000,
      'redis-server to answer PING',
    );
  };

  const thaw = async () => {
    if (frozen && child?.pid !== undefined) signal(child.pid, 'SIGCONT');
    frozen = false;
  };

  const stop = async () => {
    await thaw();
    if (!running()) return;
    await rawRedisCommand(port, ['SHUTDOWN', 'NOSAVE']).catch(() => undefined);
    await Promise.race([exited, sleep(5_000)]);
    if (running()) {
      child?.kill('SIGKILL');
      await exited;
    }
  };

  const handle: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    stop,
    async kill() {
      await thaw();
      if (!running()) return;
      child?.kill('SIGKILL');
      await exited;
    },
    async freeze() {
      if (!running() || child?.pid === undefined) throw new Error('private Redis is not running');
      signal(child.pid, 'SIGSTOP');
      frozen = true;
    },
    thaw,
    async restart() {
      await stop();
      await start();
    },
    running,
    command: (args) => rawRedisCommand(port, args),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await thaw();
      if (running()) {
        child?.kill('SIGKILL');
        await exited;
      }
      rmSync(base, { recursive: true, force: true });
      removeExitHook();
    },
  };

  try {
    await start();
  } catch (error) {
    await handle.dispose();
    throw error;
  }
  return handle;
}
