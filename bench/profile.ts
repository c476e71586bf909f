/**
 * `npx tsx bench/profile.ts [--scenario login|chavepasse] [--rounds N] [--duration S] [--connections C] [--cpu-prof DIR]`
 *
 * Where a hot path spends its CPU, for the structural work of issue 11 — not a benchmark (that is
 * `npm run bench`). One fresh SQLite data folder (bench/data.ts); for each round, Ponte
 * (`bin/ponte.js serve`, the compiled server) on core 1 and, for `login`, the bare Fastify + undici
 * proxy of the same call (bench/proxy-server.ts) measured in the same round; wrk and the operator
 * simulator on core 0. Per measurement: wrk's req/s, p50 and p99, the server's CPU per request from
 * /proc ticks (whole process, then per thread: the main thread is the request thread), RSS.
 * `--cpu-prof DIR` runs Ponte under `node --cpu-prof` (one profile per thread, main thread first)
 * and prints the functions and files with the most self time.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_LOGIN, openChavePasse, ponteEnv, prepareData } from './data.ts';
import { readCpuTimes, waitForQuiet } from './machine-load.ts';
import { cpuMicros, freePort, installExitHooks, rssMb, spawnPinned, stop, stopAll, ticksToMicros, waitUntilReady } from './processes.ts';
import { cleanEnv, grupoHeaders, operatorLoginRequest } from './servers.ts';
import { runWrk, writeWrkScript, type WrkRequest } from './wrk.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'login' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'cpu-prof': { type: 'string' },
    'no-reference': { type: 'boolean', default: false },
  },
});
const scenario = values.scenario === 'chavepasse' ? 'chavepasse' : 'login';
const rounds = Number(values.rounds);
const durationSeconds = Number(values.duration);
const connections = Number(values.connections);
const profileDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;
const SERVER_CORE = 1;
const LOAD_CORE = 0;

installExitHooks(() => undefined);
const workDir = mkdtempSync(join(tmpdir(), 'ponte-profile-'));
const dataDir = join(workDir, 'data');
const simulatorPort = await freePort();
const data = await prepareData(dataDir, simulatorPort);
const simulator = spawnPinned(LOAD_CORE, process.execPath, ['bin/ponte.js', 'operator-sim', '--port', String(simulatorPort), '--host', '127.0.0.1']);
await waitUntilReady(`http://127.0.0.1:${simulatorPort}/__simulador/chamadas`, simulator);

/** utime+stime per thread name (`node` is the main thread), in µs. */
function threadMicros(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const label = tid === String(pid) ? 'main' : name;
      byName.set(label, (byName.get(label) ?? 0) + ticksToMicros(Number(fields[11]) + Number(fields[12])));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byName;
}

type Measured = { name: string; rps: number; p50: number; p99: number; cpuPerReq: number; rss: number; threads: [string, number][]; non2xx: number; others: number };

async function measure(name: string, start: () => Promise<{ pid: number; stop(): Promise<void> }>, request: WrkRequest & { port: number }): Promise<Measured> {
  const server = await start();
  try {
    const script = writeWrkScript(workDir, name, request).file;
    const url = `http://127.0.0.1:${request.port}${request.path}`;
    await runWrk({ core: LOAD_CORE, connections, durationSeconds: 2, script, url });
    // The machine is shared: start when it is quiet, and say how much of the server's core others took.
    await waitForQuiet(0.1, 60_000, (busy) => process.stdout.write(`waiting for a quiet machine (${Math.round(busy * 100)} % busy)…\n`));
    const coreBefore = readCpuTimes().get(`cpu${SERVER_CORE}`)!;
    const cpuBefore = cpuMicros(server.pid);
    const threadsBefore = threadMicros(server.pid);
    const result = await runWrk({ core: LOAD_CORE, connections, durationSeconds, script, url });
    const cpu = cpuMicros(server.pid) - cpuBefore;
    const coreAfter = readCpuTimes().get(`cpu${SERVER_CORE}`)!;
    const others = Math.max(0, ticksToMicros(coreAfter.userSystem - coreBefore.userSystem) - cpu) / ticksToMicros(coreAfter.total - coreBefore.total);
    const threadsAfter = threadMicros(server.pid);
    const threads = [...threadsAfter]
      .map(([thread, micros]) => [thread, (micros - (threadsBefore.get(thread) ?? 0)) / result.requests] as [string, number])
      .filter(([, perReq]) => perReq >= 1)
      .sort((a, b) => b[1] - a[1]);
    return { name, rps: result.requestsPerSecond, p50: result.p50Ms, p99: result.p99Ms, cpuPerReq: cpu / result.requests, rss: rssMb(server.pid), threads, non2xx: result.non2xx + result.socketErrors, others };
  } finally {
    await server.stop();
  }
}

async function startPonte(round: number) {
  const port = await freePort();
  const profileArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, `round-${round}`)] : [];
  const env = cleanEnv({
    ...ponteEnv(dataDir),
    PONTE_APP_LOGIN_MAX_PER_IDENTIFIER: '100000000',
    PONTE_APP_LOGIN_MAX_PER_IP: '100000000',
    PONTE_CLIENTES_MAX_PER_TOKEN_PER_MINUTE: '100000000',
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  const child = spawnPinned(SERVER_CORE, process.execPath, [...profileArgs, 'bin/ponte.js', 'serve'], { env });
  await waitUntilReady(`http://127.0.0.1:${port}/healthz`, child);
  return {
    port,
    pid: child.pid,
    stop: async () => {
      await stop(child.child, 30_000);
      // Whatever the server wrote (warnings, errors) is worth reading next to its figures.
      if (child.output().trim()) process.stdout.write(`ponte output (tail):\n${child.output().slice(-3000)}\n`);
    },
  };
}

async function startProxy() {
  const port = await freePort();
  const env = cleanEnv({ PORT: String(port), BENCH_UPSTREAM: `http://127.0.0.1:${simulatorPort}`, BENCH_UPSTREAM_HEADERS: JSON.stringify(await operatorHeaders()) });
  const child = spawnPinned(SERVER_CORE, process.execPath, ['--import', 'tsx', 'bench/proxy-server.ts'], { env });
  await waitUntilReady(`http://127.0.0.1:${port}/healthz`, child);
  return { port, pid: child.pid, stop: () => stop(child.child) };
}

async function operatorHeaders(): Promise<Record<string, string>> {
  return { 'x-canal': 'app-beneficiario', 'x-chave-parceiro': 'bench-parceiro-5f1c2a', ...(await grupoHeaders(simulatorPort)) };
}

const results: Measured[] = [];
for (let round = 1; round <= rounds; round += 1) {
  const ponteStart = () => startPonte(round);
  if (scenario === 'login') {
    const port = await freePort();
    // The port is fixed before the server starts, so the request can name it.
    const request = { port, method: 'POST' as const, path: '/app/v1/sessoes', headers: { 'X-App-Id': data.appId, 'Content-Type': 'application/json' }, body: JSON.stringify({ campos: BENCH_LOGIN }) };
    results.push(
      await measure(
        'ponte-login',
        async () => {
          const started = await ponteStart();
          request.port = started.port;
          return started;
        },
        request,
      ),
    );
    if (!values['no-reference']) {
      const proxyRequest = { port: 0, ...operatorLoginRequest('/login', {}) };
      results.push(
        await measure(
          'proxy-fastify-undici',
          async () => {
            const started = await startProxy();
            proxyRequest.port = started.port;
            return started;
          },
          proxyRequest,
        ),
      );
    }
  } else {
    const chavePasse = await openChavePasse(dataDir, data);
    const query = new URLSearchParams({ instanciaApp: '1', chavePasse, chaveFuncionalidade: data.chaveFuncionalidade });
    const request = { port: 0, method: 'GET' as const, path: `/clientes/chavePasse/usuario?${query}`, headers: { Authorization: data.token } };
    results.push(
      await measure(
        'ponte-chavepasse-usuario',
        async () => {
          const started = await ponteStart();
          request.port = started.port;
          return started;
        },
        request,
      ),
    );
  }
  const last = results.slice(scenario === 'login' && !values['no-reference'] ? -2 : -1);
  for (const r of last) {
    process.stdout.write(
      `round ${round} ${r.name}: ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, CPU ${Math.round(r.cpuPerReq)} µs/req [${r.threads.map(([t, us]) => `${t} ${Math.round(us)}`).join(', ')}], RSS ${Math.round(r.rss)} MB, others on the server core ${(r.others * 100).toFixed(1)} %${r.non2xx ? `, ${r.non2xx} errors` : ''}\n`,
    );
  }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
for (const name of [...new Set(results.map((r) => r.name))]) {
  const mine = results.filter((r) => r.name === name);
  process.stdout.write(
    `median ${name}: ${Math.round(median(mine.map((r) => r.rps)))} req/s, p99 ${median(mine.map((r) => r.p99)).toFixed(2)} ms, CPU ${Math.round(median(mine.map((r) => r.cpuPerReq)))} µs/req (main thread ${Math.round(median(mine.map((r) => r.threads.find(([t]) => t === 'main')?.[1] ?? 0)))})\n`,
  );
}
const ponteName = scenario === 'login' ? 'ponte-login' : 'ponte-chavepasse-usuario';
const proxies = results.filter((r) => r.name === 'proxy-fastify-undici');
if (proxies.length > 0) {
  const ratios = results.filter((r) => r.name === ponteName).map((r, i) => r.cpuPerReq / proxies[i]!.cpuPerReq);
  process.stdout.write(`CPU per login ÷ proxy's, per round: ${ratios.map((x) => x.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)}×)\n`);
}

if (profileDir) summarizeProfiles(profileDir);

await stop(simulator.child);
await stopAll();
rmSync(workDir, { recursive: true, force: true });

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };

/**
 * Self time by file (or package) and by function, over every round, separately for the main thread
 * (the request thread: `CPU.<date>.<pid>.0.<seq>.cpuprofile`) and for the other threads.
 */
function summarizeProfiles(dir: string): void {
  const threads = new Map<string, { byFunction: Map<string, number>; byFile: Map<string, number>; total: number }>();
  for (const roundDir of readdirSync(dir)) {
    for (const file of readdirSync(join(dir, roundDir)).filter((f) => f.endsWith('.cpuprofile'))) {
      const thread = /^CPU\.[^.]+\.[^.]+\.\d+\.0\./.test(file) ? 'main thread' : 'other threads';
      const sums = threads.get(thread) ?? { byFunction: new Map<string, number>(), byFile: new Map<string, number>(), total: 0 };
      threads.set(thread, sums);
      const profile = JSON.parse(readFileSync(join(dir, roundDir, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
      const selfUs = new Map<number, number>();
      profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
      for (const node of profile.nodes) {
        const us = selfUs.get(node.id) ?? 0;
        const { functionName, url, lineNumber } = node.callFrame;
        if (us === 0 || functionName === '(idle)') continue;
        const short = url.replace(/^file:\/\/\/work\/main\//, '');
        const fnKey = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
        sums.byFunction.set(fnKey, (sums.byFunction.get(fnKey) ?? 0) + us);
        const fileKey = short.startsWith('node_modules/') ? short.split('/').slice(0, short.startsWith('node_modules/@') ? 3 : 2).join('/') : short || functionName;
        sums.byFile.set(fileKey, (sums.byFile.get(fileKey) ?? 0) + us);
        sums.total += us;
      }
    }
  }
  for (const [thread, sums] of threads) {
    const top = (map: Map<string, number>, n: number) =>
      [...map]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([key, us]) => `${((us / sums.total) * 100).toFixed(1).padStart(5)} %  ${key}`)
        .join('\n');
    process.stdout.write(`\n${thread}: self time by file or package (idle excluded)\n${top(sums.byFile, 35)}\n\n${thread}: by function\n${top(sums.byFunction, 50)}\n`);
  }
}
