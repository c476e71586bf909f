import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPeople } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { postgresUrl, redisUrl } from './support/infrastructure.ts';
import { expectJson, randomPonteKeys, seedCliente, spawnPonteNode, startPonteNode, type PonteNode, type SeededCliente } from './support/ponte-node.ts';

/**
 * `ponte serve --workers N`: a primary process and N workers (node:cluster) on one port, each a
 * full node on the same database and Redis — the compiled CLI in its own process, a real operator
 * simulator over loopback HTTP. Which worker answered is read from the workers' own log lines
 * (every line of a worker carries its `worker` number and `pid`).
 */

const ana = seedPeople[0]!;
/**
 * The run's Redis, in a logical database of this file's own: Ponte's keys are not per cliente
 * everywhere (the login limit per IP is `app-login:ip:127.0.0.1`), and the 200+ logins here would
 * use up, for 15 minutes, the limit of the other files' nodes on the same Redis (two-nodes.test.ts).
 */
const clusterRedisUrl = (() => {
  if (!redisUrl) return undefined;
  const url = new URL(redisUrl);
  url.pathname = '/11';
  return url.toString();
})();
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** On PostgreSQL runs, a database of this file's own (dropped in afterAll); else SQLite in the node's data folder. */
async function freshDatabaseUrl(): Promise<string | undefined> {
  if (!postgresUrl) return undefined;
  const name = `ponte_workers_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  cleanups.push(() => adminQuery(`drop database if exists ${name} with (force)`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** `processo: 'primario'` on the primary's lines, whose `worker` and `pid` name the worker they are about. */
type LogLine = { level?: number; processo?: string; pid?: number; worker?: number; msg?: string; route?: string; method?: string; status?: number };

/** The JSON log lines of the primary and the workers, in order. */
function logLines(node: PonteNode): LogLine[] {
  return node
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        return {};
      }
    });
}

/** Warnings and errors of every process, for assertion messages. */
const problems = (node: PonteNode) =>
  logLines(node)
    .filter((line) => (line.level ?? 0) >= 40)
    .map((line) => JSON.stringify(line).slice(0, 400))
    .join('\n');

/** Pids of the workers that logged a response on `route`, from line `from` on. */
const pidsAnswering = (node: PonteNode, route: string, from = 0) =>
  new Set(
    logLines(node)
      .slice(from)
      .filter((line) => line.route === route && line.processo === undefined && line.worker !== undefined)
      .map((line) => line.pid),
  );

/** Pids the primary reported as listening ("processo de trabalho no ar"). */
const workersUp = (node: PonteNode) => logLines(node).filter((line) => line.processo === 'primario' && line.msg === 'processo de trabalho no ar').map((line) => line.pid!);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('ponte serve --workers: what it refuses', { timeout: 60_000 }, () => {
  const refused = async (args: string[], env: Record<string, string> = {}) => {
    const node = spawnPonteNode({ keys: randomPonteKeys(), args, env });
    cleanups.push(() => node.dispose());
    const exit = await node.exited;
    expect(node.output()).not.toContain('Ponte no ar');
    return { code: exit.code, output: node.output() };
  };

  it('more than one worker without REDIS_URL: the in-process key-value store would not be shared', async () => {
    const run = await refused(['serve', '--workers', '2']);
    expect(run.code).toBe(1);
    expect(run.output).toContain('REDIS_URL');
    expect(run.output).toContain('--workers 1');
    expect(run.output).not.toMatch(/\n\s+at /);
  });

  it('a worker count that is not a whole number from 1, or "auto", quoting what was given', async () => {
    for (const value of ['0', 'dois', '1.5']) {
      const run = await refused(['serve', '--workers', value]);
      expect(run.code, value).toBe(1);
      expect(run.output).toContain(`(recebido: "${value}")`);
    }
  });

  it('--demo with more than one worker (the demo seeds and runs its simulator once, in one process)', async () => {
    const run = await refused(['serve', '--demo', '--workers', '2'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.output).toContain('--demo');
  });

  it('a port already taken: one process or two workers, the start fails with exit 1 instead of hanging', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(() => resolve())));
    const port = String((taken.address() as { port: number }).port);
    const single = await refused(['serve'], { PORT: port });
    expect(single.code).toBe(1);
    expect(single.output).toContain('EADDRINUSE');

    // REDIS_URL names a port nobody listens on: the workers start degraded, and their open Redis
    // connection (with the IPC channel to the primary) is what would keep a failed start alive.
    const workers = await refused(['serve', '--workers', '2'], { PORT: port, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(workers.code).toBe(1);
    expect(workers.output).toContain('EADDRINUSE');
    expect(workers.output).toContain('A Ponte não subiu');
  });
});

describe.skipIf(!clusterRedisUrl)(`ponte serve --workers 2 on ${postgresUrl ? 'PostgreSQL' : 'SQLite'} and Redis`, { timeout: 120_000 }, () => {
  const keys = randomPonteKeys();
  let databaseUrl: string | undefined;
  let sim: OperatorSimulator;
  let node: PonteNode;
  let seeded: SeededCliente;
  let grupoId: string;

  /** An app login through `agent`'s connections (a fresh agent opens new ones, which the primary spreads over the workers). */
  const login = (agent: Agent) =>
    fetch(`${node.url}/app/v1/sessoes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-app-id': seeded.appId },
      body: JSON.stringify({ campos: { login: ana.cpf, senha: ana.senha } }),
      signal: AbortSignal.timeout(30_000),
      dispatcher: agent,
    });

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl();
    sim = await createOperatorSimulator({ port: 0 });
    cleanups.push(() => sim.close());
    node = await startPonteNode({
      databaseUrl,
      redisUrl: clusterRedisUrl,
      keys,
      args: ['serve', '--workers', '2'],
      env: {
        // Each worker logs one line per response, with its pid.
        LOG_LEVEL: 'debug',
        // 200 logins at once on a loaded 2-core machine can keep an event loop busy past the
        // production default (500 ms): a Redis answer read late would count as a timeout, and the
        // key-value store would degrade to each worker's memory (by design) — another test.
        PONTE_REDIS_COMMAND_TIMEOUT_MS: '5000',
      },
    });
    cleanups.push(() => node.dispose());
    seeded = await seedCliente({ nodeUrl: node.url, databaseUrl, dataDir: node.dataDir, keys });
    const painel = seeded.painel.headers;
    const base = `${node.url}${seeded.painelBase}`;
    // Saving a grupo calls its /autorizacao once and keeps the pairs in Redis (see the cold test).
    const grupo = await expectJson<{ id: string }>(`${base}/grupos`, { method: 'POST', headers: painel, body: { nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' }, expected: 201 });
    const form = await expectJson<{ id: string }>(`${base}/formularios`, {
      method: 'POST',
      headers: painel,
      body: { nome: 'Login por CPF', finalidade: 'login', campos: [{ nome: 'login', rotulo: 'CPF', tipo: 'cpf' }, { nome: 'senha', rotulo: 'Senha', tipo: 'senha' }] },
      expected: 201,
    });
    await expectJson(`${base}/integracao`, { method: 'PUT', headers: painel, body: { baseUrl: sim.url, grupoId: grupo.id, metodos: { login: { formularioId: form.id } }, headers: [] }, expected: 200 });
    grupoId = grupo.id;
  }, 120_000);

  it('prints one banner for the primary and its two workers, which listen on the same port', () => {
    expect(node.output().match(/Ponte no ar em /g)).toHaveLength(1);
    expect(node.output()).toMatch(/Ponte no ar em http:\/\/localhost:\d+ {2}\(test, .*, chave-valor Redis, 2 processos\)/);
    const up = workersUp(node);
    expect(new Set(up).size).toBe(2);
    expect(up).not.toContain(node.pid);
  });

  it('200 concurrent cold logins: all succeed, both workers answer, and the operator sees exactly one /autorizacao', async () => {
    // Cold: the pairs that saving the grupo stored are gone from Redis, as after their expiry or a
    // Redis restart; no worker has them in flight.
    const redis = new Redis(clusterRedisUrl!, { lazyConnect: true });
    await redis.connect();
    try {
      expect(await redis.del(`ponte:grupo:${grupoId}:pares`)).toBe(1);
    } finally {
      redis.disconnect();
    }
    const before = sim.calls();
    expect(before.autorizacao.count).toBe(1);
    const from = logLines(node).length;

    const agent = new Agent();
    cleanups.push(() => agent.close());
    const answers = await Promise.all(Array.from({ length: 200 }, () => login(agent).then(async (response) => ({ status: response.status, body: await response.text() }))));

    expect(answers.filter((answer) => answer.status !== 201).slice(0, 3)).toEqual([]);
    const after = sim.calls();
    expect(after.autorizacao.count - before.autorizacao.count, problems(node)).toBe(1);
    expect(after.login.count - before.login.count).toBe(200);
    // Log lines are written asynchronously: wait for the last ones.
    const deadline = Date.now() + 5_000;
    while (pidsAnswering(node, '/app/v1/sessoes', from).size < 2 && Date.now() < deadline) await sleep(100);
    expect([...pidsAnswering(node, '/app/v1/sessoes', from)].sort()).toEqual([...new Set(workersUp(node))].sort());
  });

  it('/metrics counts the whole node whichever worker answers the scrape (the primary gathers both)', async () => {
    // Runs after the 200 logins above, spread over both workers: each scrape, on a new connection
    // (so either worker), must count all 200.
    for (let scrape = 0; scrape < 4; scrape++) {
      const agent = new Agent();
      cleanups.push(() => agent.close());
      const response = await fetch(`${node.url}/metrics`, { dispatcher: agent, signal: AbortSignal.timeout(10_000) });
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).not.toContain('# ponte: métricas somente do processo de trabalho');
      const logins = text.split('\n').find((line) => line.startsWith('ponte_http_request_duration_seconds_count{') && line.includes('route="/app/v1/sessoes"') && line.includes('status="201"'));
      expect(logins, text.slice(0, 2_000)).toBeDefined();
      expect(Number(logins!.split(' ').at(-1))).toBe(200);
    }
  });

  it('a worker that dies is replaced, and the port keeps answering on both', async () => {
    const [victim, survivor] = workersUp(node);
    process.kill(victim!, 'SIGKILL');

    const deadline = Date.now() + 20_000;
    let replacement: number | undefined;
    while (replacement === undefined && Date.now() < deadline) {
      replacement = workersUp(node).find((pid) => pid !== victim && pid !== survivor);
      if (replacement === undefined) await sleep(100);
    }
    expect(replacement, node.tail()).toBeDefined();
    expect(logLines(node).some((line) => line.processo === 'primario' && line.pid === victim && line.msg?.startsWith('processo de trabalho terminou inesperadamente'))).toBe(true);

    // Fresh connections (a new pool), spread by the primary over both live workers.
    const from = logLines(node).length;
    const agent = new Agent();
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => login(agent).then((response) => response.status)));
      expect(answers.every((status) => status === 201), String(answers)).toBe(true);
    } finally {
      await agent.close();
    }
    const until = Date.now() + 5_000;
    while (pidsAnswering(node, '/app/v1/sessoes', from).size < 2 && Date.now() < until) await sleep(100);
    expect([...pidsAnswering(node, '/app/v1/sessoes', from)].sort()).toEqual([replacement, survivor].sort());
  });

  it('SIGTERM to the primary drains: a login in flight completes, then every process exits 0', async () => {
    const workers = [...new Set(workersUp(node))].filter(isAlive);
    expect(workers).toHaveLength(2);
    sim.setFault('latency:1500', { methods: ['login'] });
    const agent = new Agent();
    try {
      const loginsBefore = sim.calls().login.count;
      const inFlight = login(agent).then(async (response) => ({ status: response.status, body: await response.text() }));
      // SIGTERM once the login has reached the operator, which answers 1.5 s later.
      const reached = Date.now() + 10_000;
      while (sim.calls().login.count === loginsBefore && Date.now() < reached) await sleep(20);
      expect(sim.calls().login.count).toBe(loginsBefore + 1);
      node.kill('SIGTERM');
      expect(await inFlight).toMatchObject({ status: 201 });
      expect(await node.exited).toEqual({ code: 0, signal: null });
    } finally {
      sim.setFault(null);
      await agent.close();
    }
    for (const pid of workers) expect(isAlive(pid), `worker ${pid}`).toBe(false);
  });
});
