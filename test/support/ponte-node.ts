import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../../src/services.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { loadKeyring } from '../../src/platform/keyring.ts';
import { createMemoryKv } from '../../src/platform/kv/memory-kv.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { ClientApi } from '../../src/modules/client-tokens/client-tokens.repo.ts';
import { ponteBin, repoRoot } from './ponte-bin.ts';

/**
 * A real Ponte node — `node bin/ponte.js serve` in its own process — for the fault suites, plus
 * what they need around it: random keys shared by every node of a cluster, requests that always
 * resolve (a timeout is reported as "hung", a refused or reset connection as "network"), and the
 * seeding of a cliente through the same database and the node's painel API.
 */


/** `PONTE_MASTER_KEYS` and `PONTE_JWT_KEYS` in their documented `<id>:<base64>` form. */
export type PonteKeys = { PONTE_MASTER_KEYS: string; PONTE_JWT_KEYS: string };

export function randomPonteKeys(): PonteKeys {
  return {
    PONTE_MASTER_KEYS: `f1:${randomBytes(32).toString('base64')}`,
    PONTE_JWT_KEYS: `f1:${randomBytes(32).toString('base64')}`,
  };
}

export type PonteNodeOptions = {
  /** PostgreSQL; without it, SQLite in the node's own data folder (`dataDir`). */
  databaseUrl?: string;
  redisUrl?: string;
  keys: PonteKeys;
  /** Extra variables (LOG_LEVEL, timeouts…); they win over the defaults below. */
  env?: Record<string, string>;
  /** How long `listening` may take before it rejects (default 60 s). */
  listenTimeoutMs?: number;
  /** The command line after `ponte` (default `serve`), e.g. `['serve', '--workers', '2']`. */
  args?: string[];
};

export type PonteNode = {
  readonly pid: number;
  /** PONTE_DATA_DIR (the SQLite file is `ponte.db` there); removed by `dispose`. */
  readonly dataDir: string;
  /** `http://127.0.0.1:<port>` once listening (empty before). */
  readonly url: string;
  /** Resolves with the URL once the node printed "Ponte no ar em …"; rejects if it exits first. */
  readonly listening: Promise<string>;
  /** Resolves when the process ends, with how. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  kill(signal?: NodeJS.Signals): void;
  /** stdout and stderr as they came (the last 400 kB), for failure messages. */
  output(): string;
  /** Number of output lines so far (stdout + stderr). */
  lineCount(): number;
  /** The end of the output, ready to put in an assertion message. */
  tail(chars?: number): string;
  /** Kills the process if still alive and removes its data folder. Idempotent. */
  dispose(): Promise<void>;
};

const liveNodes = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Spawns `node bin/ponte.js serve` on a free port (PORT=0) with only the variables Ponte reads.
 * Returns at once; await `listening` for the URL.
 */
export function spawnPonteNode(options: PonteNodeOptions): PonteNode {
  const dataDir = mkdtempSync(join(tmpdir(), 'ponte-fault-node-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    PONTE_DATA_DIR: dataDir,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.keys,
    LOG_LEVEL: 'warn',
    // The suites log one seed user in hundreds of times from one IP.
    PONTE_APP_LOGIN_MAX_PER_IDENTIFIER: '1000000',
    PONTE_APP_LOGIN_MAX_PER_IP: '1000000',
    ...options.env,
  };
  const child = spawn(process.execPath, [ponteBin, ...(options.args ?? ['serve'])], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  liveNodes.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const node of liveNodes) node.kill('SIGKILL');
    });
  }

  let output = '';
  let lines = 0;
  let url = '';
  const append = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    lines += text.split('\n').length - 1;
    output = `${output}${text}`.slice(-400_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      liveNodes.delete(child);
      resolve({ code, signal });
    });
  });

  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Ponte did not start listening in ${options.listenTimeoutMs ?? 60_000} ms:\n${output.slice(-4000)}`)), options.listenTimeoutMs ?? 60_000);
    const look = () => {
      const match = /Ponte no ar em http:\/\/[^:\s]+:(\d+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', look);
      url = `http://127.0.0.1:${match[1]}`;
      resolve(url);
    };
    child.stdout?.on('data', look);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`Ponte exited (code ${code}, signal ${signal}) before listening:\n${output.slice(-4000)}`));
    });
  });
  // A caller that never awaits `listening` must not get an unhandled rejection.
  listening.catch(() => undefined);

  const alive = () => child.exitCode === null && child.signalCode === null;
  let disposed = false;

  return {
    pid: child.pid ?? -1,
    dataDir,
    get url() {
      return url;
    },
    listening,
    exited,
    alive,
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (alive()) child.kill(signal);
    },
    output: () => output,
    lineCount: () => lines,
    tail(chars = 3000) {
      return output.slice(-chars);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      if (alive()) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Spawns a node and waits until it listens (disposing it if it never does). */
export async function startPonteNode(options: PonteNodeOptions): Promise<PonteNode> {
  const node = spawnPonteNode(options);
  try {
    await node.listening;
  } catch (error) {
    await node.dispose();
    throw error;
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// Requests that always resolve
// ---------------------------------------------------------------------------------------------

export type Answered = {
  ok: true;
  status: number;
  headers: Headers;
  body: unknown;
  startedAt: number;
  endedAt: number;
};
export type Unanswered = {
  ok: false;
  /** `hung`: no complete answer within the bound; `network`: refused, reset or closed (a dead node). */
  failure: 'hung' | 'network';
  detail: string;
  startedAt: number;
  endedAt: number;
};
export type Outcome = Answered | Unanswered;

/** A request with a hard bound: never rejects, never outlives `timeoutMs`. */
export async function boundedRequest(url: string, init: RequestInit & { timeoutMs: number }): Promise<Outcome> {
  const startedAt = Date.now();
  const { timeoutMs, ...rest } = init;
  try {
    const response = await fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: kept as text.
    }
    return { ok: true, status: response.status, headers: response.headers, body, startedAt, endedAt: Date.now() };
  } catch (error) {
    const err = error as Error & { cause?: { code?: string; message?: string } };
    const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
    return {
      ok: false,
      failure: timedOut ? 'hung' : 'network',
      detail: timedOut ? `no answer within ${timeoutMs} ms` : `${err.message}${err.cause ? ` (${err.cause.code ?? err.cause.message})` : ''}`,
      startedAt,
      endedAt: Date.now(),
    };
  }
}

/** One line per outcome, for assertion messages. */
export function describeOutcome(outcome: Outcome): string {
  if (!outcome.ok) return `${outcome.failure}: ${outcome.detail}`;
  const body = typeof outcome.body === 'string' ? outcome.body : JSON.stringify(outcome.body);
  const retryAfter = outcome.headers.get('retry-after');
  return `${outcome.status}${retryAfter !== null ? ` retry-after=${retryAfter}` : ''} ${body?.slice(0, 300) ?? ''}`;
}

// ---------------------------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------------------------

export const SEED_PASSWORD = 'senha-de-teste-fault-123';

export type Painel = { cookie: string; csrfToken: string; headers: Record<string, string> };

export type SeededCliente = {
  clienteId: string;
  /** Public X-App-Id of instância 1 (Sandbox). */
  appId: string;
  /** Token do cliente (plaintext) with the requested APIs. */
  token: string;
  email: string;
  painel: Painel;
  /** `/painel/api/clientes/<id>/instancias/1`. */
  painelBase: string;
};

/**
 * Creates, straight in the node's database (PostgreSQL at `databaseUrl`, or else the SQLite file in
 * `dataDir`), a cliente, a platform admin and a token do cliente, then logs the admin in on
 * `nodeUrl`'s painel. The database connection is closed before returning, so the test process
 * holds none while the suites break PostgreSQL.
 */
export async function seedCliente(input: { nodeUrl: string; databaseUrl?: string; dataDir?: string; keys: PonteKeys; apis?: ClientApi[] }): Promise<SeededCliente> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...(input.databaseUrl ? { DATABASE_URL: input.databaseUrl } : {}), PONTE_DATA_DIR: input.dataDir ?? tmpdir(), ...input.keys });
  if (!input.databaseUrl && !input.dataDir) throw new Error('seedCliente needs the node\'s databaseUrl (PostgreSQL) or dataDir (SQLite)');
  const database = input.databaseUrl
    ? openDatabase({ kind: 'postgres', url: input.databaseUrl, poolSize: 2 })
    : openDatabase({ kind: 'sqlite', file: join(input.dataDir!, 'ponte.db') });
  const kv = createMemoryKv();
  const services = await createServices({ config, database, kv, keyring: loadKeyring(config), logger: createLogger(config), clock: systemClock });
  const email = `fault-${randomBytes(4).toString('hex')}@exemplo.com.br`;
  let seeded: Omit<SeededCliente, 'painel'>;
  try {
    const cliente = await services.clientes.create({ nome: 'Operadora Falhas' });
    await services.users.create({ email, nome: 'Pessoa Falhas', senha: SEED_PASSWORD, isPlatformAdmin: true, memberships: [] });
    const { plaintext } = await services.tokens.create({ clienteId: cliente.id, apis: input.apis ?? ['chavePasse'], descricao: 'suíte de falhas', actor: { userId: null, label: 'teste' } });
    seeded = {
      clienteId: cliente.id,
      appId: cliente.instancias.find((i) => i.numero === 1)!.appId,
      token: plaintext,
      email,
      painelBase: `/painel/api/clientes/${cliente.id}/instancias/1`,
    };
  } finally {
    await services.close();
    await kv.close();
    await database.close();
  }
  return { ...seeded, painel: await painelLogin(input.nodeUrl, email, SEED_PASSWORD) };
}

export async function painelLogin(nodeUrl: string, email: string, senha: string): Promise<Painel> {
  const response = await fetch(`${nodeUrl}/painel/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, senha }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`painel login failed: ${response.status} ${text}`);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';', 1)[0]!)
    .find((pair) => pair.startsWith('ponte_sessao='));
  if (!cookie) throw new Error('painel login did not set ponte_sessao');
  const { csrfToken } = JSON.parse(text) as { csrfToken: string };
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}

/** A painel (or app) JSON call that must answer `expected`; returns the parsed body. */
export async function expectJson<T = Record<string, unknown>>(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: unknown; expected: number; timeoutMs?: number },
): Promise<T> {
  const outcome = await boundedRequest(url, {
    method: init.method,
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    timeoutMs: init.timeoutMs ?? 15_000,
  });
  if (!outcome.ok || outcome.status !== init.expected) {
    throw new Error(`${init.method} ${url}: expected ${init.expected}, got ${describeOutcome(outcome)}`);
  }
  return outcome.body as T;
}
