import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Every child the harness starts goes through here, so that one exit path can end them all:
 * a benchmark that dies half-way must not leave servers listening on the machine.
 */
const children = new Set<ChildProcess>();

export type Spawned = { child: ChildProcess; pid: number; output(): string };

/** Starts `command` pinned to `core` (or unpinned when `core` is null), keeping the last 8 KB of its output. */
export function spawnPinned(core: number | null, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Spawned {
  // taskset execs the command, so the pid we get is the server's own (its /proc stat is the server's).
  const [file, argv] = core === null ? [command, args] : ['taskset', ['-c', String(core), command, ...args]];
  const child = spawn(file, argv, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  return { child, pid: child.pid, output: () => tail };
}

/** Runs a command to completion (pinned like the rest), resolving with its stdout. */
export function runPinned(core: number | null, command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [file, argv] = core === null ? [command, args] : ['taskset', ['-c', String(core), command, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', (error) => {
      children.delete(child);
      reject(error);
    });
    child.once('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs` if it is still alive; resolves once it has exited. */
export async function stop(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Undone when the harness stops (see stopAll): things it created outside its temp folder, such as a database. */
const cleanups: (() => Promise<void>)[] = [];
/** The cleanups started so far: a second stopAll (Ctrl-C, then the run failing because its wrk was stopped) waits for them too. */
let cleaning: Promise<void> = Promise.resolve();

export function onStopAll(task: () => Promise<void>): void {
  cleanups.push(task);
}

/** Stops every child, then runs the cleanups (each once; a failing one is reported, not thrown). */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => stop(child)));
  const tasks = cleanups.splice(0);
  cleaning = cleaning.then(async () => {
    for (const task of tasks) {
      await task().catch((error: unknown) => process.stderr.write(`bench: cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`));
    }
  });
  await cleaning;
}

let hooksInstalled = false;
/** Kills every child on any way out: normal exit, Ctrl-C, SIGTERM, an uncaught error. */
export function installExitHooks(onExit: () => void): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL is the only thing that cannot wait.
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
    onExit();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal} received, stopping servers…\n`);
      void stopAll().finally(() => process.exit(130));
    });
  }
  process.on('uncaughtException', (error) => {
    process.stderr.write(`bench: ${error.stack ?? String(error)}\n`);
    void stopAll().finally(() => process.exit(1));
  });
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`bench: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
    void stopAll().finally(() => process.exit(1));
  });
}

/** A port free right now on loopback (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `url` until it answers 2xx — and, with `printed`, until the process printed that text (the
 * banner a `serve --workers` primary prints once every worker listens); fails early if the process
 * died, or after `timeoutMs`.
 */
export async function waitUntilReady(url: string, spawned: Spawned, timeoutMs = 30_000, printed?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) {
      throw new Error(`server exited before it was ready (code ${spawned.child.exitCode}):\n${spawned.output()}`);
    }
    if (printed !== undefined && !spawned.output().includes(printed)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server not ready at ${url} after ${timeoutMs} ms:\n${spawned.output()}`);
}

let ticksPerSecond: number | undefined;
/** USER_HZ, the unit of the /proc stat times (100 on the Linux kernels we run on). */
function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** Converts /proc clock ticks to microseconds. */
export function ticksToMicros(ticks: number): number {
  return (ticks * 1_000_000) / clockTicksPerSecond();
}

/** utime + stime of a process (all its threads), in microseconds, from /proc/<pid>/stat. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 2 (comm) may contain spaces: count fields from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ticksToMicros(utime + stime);
}

/** Resident set size of a process, in MB, from /proc/<pid>/status. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** Fields 4 (ppid) onwards of /proc/<pid>/stat, or undefined once the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(1);
  } catch {
    return undefined;
  }
}

/**
 * `pid` and all its descendants (a `serve --workers` primary and its workers), found by scanning
 * the ppid of every process: the kernels we run on have no /proc/<pid>/task/<tid>/children.
 */
export function processTree(pid: number): number[] {
  const childrenOf = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(statFields(Number(entry))?.[0]);
    if (!Number.isInteger(ppid)) continue;
    childrenOf.set(ppid, [...(childrenOf.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(childrenOf.get(tree[i] as number) ?? []));
  return tree;
}

/** `read(pid)` summed over `pids`; a process that ended meanwhile counts 0. */
function sumOver(pids: number[], read: (pid: number) => number): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      sum += read(pid);
    } catch {
      // gone since the tree was listed
    }
  }
  return sum;
}

/** cpuMicros summed over processes (a processTree). */
export function treeCpuMicros(pids: number[]): number {
  return sumOver(pids, cpuMicros);
}

/** rssMb summed over processes (pages the forks share are counted in each: an upper bound). */
export function treeRssMb(pids: number[]): number {
  return sumOver(pids, rssMb);
}

/** The executable name of a process, to check we measure the server and not a wrapper. */
export function processName(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}
