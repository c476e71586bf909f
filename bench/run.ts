/**
 * `npm run bench [-- --rounds N --duration S --warmup S --only a,b --quick --quiet-wait S --out FILE]`
 *
 * The method is docs/DESEMPENHO.md's: wrk on loopback (`-t1 -c50 --latency`, `-c1` for light-load
 * rows) after a warm-up that is thrown away; the server under test pinned to core 1, wrk and
 * upstreams to core 0; scenarios
 * interleaved A B C A B C … for N rounds; medians and ranges of req/s, p50, p99, the server's CPU
 * per request (utime+stime from /proc over the measured run) and its RSS. Results go to
 * docs/BENCHMARKS.md, one generated section per `sections` entry.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openChavePasse, prepareData } from './data.ts';
import { readCpuTimes, waitForQuiet } from './machine-load.ts';
import {
  cpuMicros,
  freePort,
  installExitHooks,
  processName,
  processTree,
  rssMb,
  type Spawned,
  spawnPinned,
  stop,
  stopAll,
  ticksToMicros,
  treeCpuMicros,
  treeRssMb,
  waitUntilReady,
} from './processes.ts';
import { nginxVersion } from './nginx.ts';
import { describeMachine, isUndisturbed, renderSection, type Sample, type ScenarioReport, summarize, writeSection } from './report.ts';
import { prepareScaleOut } from './scale-out.ts';
import { chavePasseUsuarioPath } from './scenarios-chave-passe.ts';
import type { BenchContext, BenchRequest, Scenario, ServerSpec } from './scenario-types.ts';
import { scenarios, sections, tempAuthRequest } from './scenarios.ts';
import { cleanEnv, ponteServer } from './servers.ts';
import { ensureWrk, runWrk, type WrkRequest, wrkArgs, writeWrkScript, wrkVersion } from './wrk.ts';

const CONNECTIONS = 50;
const connectionsOf = (scenario: Scenario) => scenario.connections ?? CONNECTIONS;
const durationOf = (scenario: Scenario, options: Options) => scenario.durationSeconds ?? options.durationSeconds;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

type Options = { rounds: number; durationSeconds: number; warmupSeconds: number; quietWaitSeconds: number; only: string[]; out: string };

/** Below this share of all CPUs busy, the machine counts as quiet enough to start a measurement. */
const QUIET_BUSY_SHARE = 0.1;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string', default: '2' },
      'quiet-wait': { type: 'string', default: '120' },
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      out: { type: 'string', default: 'docs/BENCHMARKS.md' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      [
        'npm run bench -- [options]',
        '  --rounds N      interleaved rounds (default 5)',
        `  --duration S    measured seconds per scenario and round (default 10; ${scenarios
          .filter((s) => s.durationSeconds !== undefined)
          .map((s) => `${s.name} always ${s.durationSeconds}`)
          .join(', ')})`,
        '  --warmup S      warm-up seconds, thrown away (default 2)',
        '  --quiet-wait S  seconds the whole run may spend waiting for an idle machine and repeating disturbed measurements (default 120; 0 = never)',
        `  --only a,b      only these scenarios (and what they compare to): ${scenarios.map((s) => s.name).join(', ')}`,
        '  --quick         smoke check: --rounds 1 --duration 2',
        '  --out FILE      Markdown file to update (default docs/BENCHMARKS.md)',
        '',
        `PostgreSQL + Redis rows (${scenarios
          .filter((s) => s.scaleOut)
          .map((s) => s.name)
          .join(', ')}) create a database on BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres)`,
        'and drop it at the end; they use BENCH_REDIS_URL (default redis://127.0.0.1:6379/15). Neither server is stopped or flushed.',
        '',
      ].join('\n'),
    );
    process.exit(0);
  }
  const positive = (raw: string | undefined, fallback: number, name: string, min = 1) => {
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min} (got "${raw}")`);
    return n;
  };
  return {
    rounds: positive(values.rounds, values.quick ? 1 : 5, 'rounds'),
    durationSeconds: positive(values.duration, values.quick ? 2 : 10, 'duration'),
    warmupSeconds: positive(values.warmup, 2, 'warmup'),
    quietWaitSeconds: positive(values['quiet-wait'], 120, 'quiet-wait', 0),
    only: values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : [],
    out: resolve(root, values.out),
  };
}

/** The chosen scenarios plus the references they compare to, in the list's order. */
function selectScenarios(only: string[]): Scenario[] {
  if (only.length === 0) return scenarios;
  const unknown = only.filter((name) => !scenarios.some((s) => s.name === name));
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  const wanted = new Set(only);
  for (const scenario of scenarios) {
    if (!wanted.has(scenario.name)) continue;
    for (const other of [scenario.comparesTo, ...(scenario.alsoComparedTo ?? [])]) if (other) wanted.add(other);
  }
  return scenarios.filter((s) => wanted.has(s.name));
}

async function startServers(specs: ServerSpec[]): Promise<Spawned[]> {
  const started: Spawned[] = [];
  try {
    for (const spec of specs) {
      await spec.prepare?.();
      const spawned = spawnPinned(spec.core, spec.command, spec.args, { env: cleanEnv(spec.env), cwd: root });
      started.push(spawned);
      await waitUntilReady(`http://127.0.0.1:${spec.port}${spec.readyPath}`, spawned, 30_000, spec.readyOutput);
    }
    return started;
  } catch (error) {
    await Promise.all(started.map((s) => stop(s.child)));
    throw error;
  }
}

async function send(url: string, request: WrkRequest): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method: request.method, headers: request.headers, body: request.method === 'GET' ? undefined : (request.body ?? '') });
  return { status: response.status, body: await response.text() };
}

/**
 * Keeps real answers for the references that must send the same bytes: temp-authorization, and
 * `/clientes/chavePasse/usuario` for a key opened now.
 */
async function sampleAnswers(ctx: Omit<BenchContext, 'tempAuthAnswerFile' | 'chavePasseAnswerFile'>, files: { tempAuth: string; chavePasse: string }): Promise<void> {
  const spec = await ponteServer(ctx);
  const [ponte] = await startServers([spec]);
  try {
    const base = `http://127.0.0.1:${spec.port}`;
    const tempAuth = await send(`${base}/clientes/auth/temp-authorization`, tempAuthRequest(ctx, '/clientes/auth/temp-authorization'));
    if (tempAuth.status !== 200) throw new Error(`temp-authorization answered ${tempAuth.status}: ${tempAuth.body}`);
    writeFileSync(files.tempAuth, tempAuth.body);
    const path = chavePasseUsuarioPath(ctx, '/clientes/chavePasse/usuario', await openChavePasse(ctx.dataDir, ctx));
    const usuario = await send(`${base}${path}`, { method: 'GET', path, headers: { Authorization: ctx.token } });
    if (usuario.status !== 200) throw new Error(`chavePasse/usuario answered ${usuario.status}: ${usuario.body}`);
    writeFileSync(files.chavePasse, usuario.body);
  } finally {
    if (ponte) await stop(ponte.child);
  }
}

type Measurement = { sample: Sample; commands: string[] };

type Script = { file: string; text: string };

/** What is left of `--quiet-wait` for the whole run, so a busy machine cannot stretch it without end. */
let quietBudgetMs = 0;

async function measure(scenario: Scenario, ctx: BenchContext, options: Options, round: number): Promise<Measurement> {
  const specs = await scenario.servers(ctx);
  const target = specs.find((s) => s.measured);
  if (!target) throw new Error(`scenario ${scenario.name} marks no server as measured`);
  const connections = connectionsOf(scenario);
  const waitStarted = Date.now();
  const busyBefore = await waitForQuiet(QUIET_BUSY_SHARE, quietBudgetMs, (busy) =>
    log(`bench: machine ${(busy * 100).toFixed(0)} % busy, waiting for it to be idle (${Math.round(quietBudgetMs / 1000)} s of waiting left in this run)…`),
  );
  quietBudgetMs = Math.max(0, quietBudgetMs - (Date.now() - waitStarted));
  if (busyBefore > QUIET_BUSY_SHARE) log(`bench: WARNING machine still ${(busyBefore * 100).toFixed(0)} % busy, measuring anyway (flagged in the report)`);
  const spawned = await startServers(specs);
  try {
    const server = spawned[specs.indexOf(target)] as Spawned;
    // taskset execs the server: make sure the pid we read is the server, not a wrapper.
    const expected = target.processName ?? 'node';
    if (processName(server.pid) !== expected) throw new Error(`pid ${server.pid} is "${processName(server.pid)}", not the ${expected} server`);
    // Built now: a request may carry something the servers just issued (a grupo token, a chave passe).
    const request = await scenario.request(ctx);
    const lua = writeWrkScript(ctx.workDir, scenario.name, request);
    const script = lua.file;
    const baseUrl = `http://127.0.0.1:${target.port}`;
    const url = `${baseUrl}${request.path}`;
    const answer = await send(url, request);
    const problem = scenario.checkAnswer?.(answer.status, answer.body);
    if (problem) throw new Error(`${scenario.name}: ${problem}`);

    await runWrk({ core: ctx.loadCore, connections, durationSeconds: options.warmupSeconds, script, url });
    // A `serve --workers` primary and its workers (all listening by now: see readyOutput), or the server alone.
    const pids = target.measureTree ? processTree(server.pid) : [server.pid];
    const serverCpu = () => (target.measureTree ? treeCpuMicros(pids) : cpuMicros(server.pid));
    const coreName = target.core === null ? undefined : `cpu${target.core}`;
    const companions = await scenario.countCompanionCpu?.(ctx);
    const coreBefore = coreName ? readCpuTimes().get(coreName) : undefined;
    const cpuBefore = serverCpu();
    const startedAt = performance.now();
    const result = await runWrk({ core: ctx.loadCore, connections, durationSeconds: durationOf(scenario, options), script, url });
    const cpuAfter = serverCpu();
    const wallMicros = (performance.now() - startedAt) * 1000;
    const coreAfter = coreName ? readCpuTimes().get(coreName) : undefined;
    const companionCpu = (await companions?.()) ?? {};
    const companionTotal = Object.values(companionCpu).reduce((sum, micros) => sum + micros, 0);
    // user+system time on the server's core spent neither by the server nor by the processes it
    // leans on (which may run there too): other processes competing with it.
    const otherLoad =
      coreBefore && coreAfter
        ? Math.max(0, ticksToMicros(coreAfter.userSystem - coreBefore.userSystem) - (cpuAfter - cpuBefore) - companionTotal) / wallMicros
        : null;
    const rss = target.measureTree ? treeRssMb(processTree(server.pid)) : rssMb(server.pid);
    if (result.non2xx > 0) throw new Error(`${scenario.name}: ${result.non2xx} non-2xx answers under load — the setup is wrong, numbers discarded.\n${result.raw}`);
    const notes = [
      ...(target.measureTree ? [`${pids.length} processes measured (primary + workers)`] : []),
      ...Object.entries(companionCpu).map(([label, micros]) => `${label} ${Math.round(micros / result.requests)} µs/req`),
      (await scenario.inspect?.(baseUrl)) ?? '',
    ].filter(Boolean);
    const note = notes.join('; ');

    return {
      sample: {
        round,
        requestsPerSecond: result.requestsPerSecond,
        requests: result.requests,
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        cpuMicrosPerRequest: (cpuAfter - cpuBefore) / result.requests,
        rssMb: rss,
        non2xx: result.non2xx,
        socketErrors: result.socketErrors,
        serverCpuPercent: ((cpuAfter - cpuBefore) / wallMicros) * 100,
        otherLoadOnServerCorePercent: otherLoad === null ? null : otherLoad * 100,
        machineBusyBeforePercent: busyBefore * 100,
        connections,
        saturationExpected: scenario.saturates ?? connections > 1,
        ...(note ? { note } : {}),
      },
      commands: describeCommands(scenario, specs, target, request, lua, options, ctx),
    };
  } finally {
    await Promise.all(spawned.map((s) => stop(s.child)));
  }
}

/** A value as one shell word: bare when safe, else single-quoted. */
function shellWord(value: string): string {
  return /^[\w./:@,+=-]*$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The exact commands of one measurement, with the temp folder, ports and secrets as variables. */
function describeCommands(scenario: Scenario, specs: ServerSpec[], target: ServerSpec, request: BenchRequest, lua: Script, options: Options, ctx: BenchContext): string[] {
  const portName = (spec: ServerSpec) => `$${spec.name.toUpperCase()}_PORT`;
  const redact = (text: string) => {
    let out = text.replaceAll(ctx.token, '$TOKEN').replaceAll(ctx.workDir, '$BENCH_TMP');
    if (ctx.scaleOut) out = out.replaceAll(ctx.scaleOut.database, '$BENCH_DB');
    for (const [secret, placeholder] of Object.entries(request.placeholders ?? {})) out = out.replaceAll(secret, placeholder);
    for (const spec of specs) out = out.replaceAll(`127.0.0.1:${spec.port}`, `127.0.0.1:${portName(spec)}`).replaceAll(`--port ${spec.port}`, `--port ${portName(spec)}`);
    // Grupo tokens are JWTs the simulator of that measurement signed.
    return out.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, '$GRUPO_TOKEN');
  };
  const pin = (core: number | null) => (core === null ? '' : `taskset -c ${core} `);
  const lines = [`# ${scenario.name}`];
  for (const spec of specs) {
    for (const file of spec.files ?? []) lines.push(redact(`cat > ${file.path} <<'EOF'\n${file.text}EOF`));
    const env = Object.entries(spec.env).map(([k, v]) => `${k}=${k === 'PORT' ? portName(spec) : shellWord(v)}`);
    const command = spec.command === process.execPath ? 'node' : spec.command;
    lines.push(redact(`${env.map((e) => `${e} `).join('')}${pin(spec.core)}${command} ${spec.args.join(' ')} &`));
  }
  const script = lua.file;
  lines.push(redact(`cat > ${script} <<'EOF'\n${lua.text}EOF`));
  const targetUrl = `http://127.0.0.1:${portName(target)}${request.path}`;
  const connections = connectionsOf(scenario);
  const warm = wrkArgs({ connections, durationSeconds: options.warmupSeconds, script, url: targetUrl });
  const run = wrkArgs({ connections, durationSeconds: durationOf(scenario, options), script, url: targetUrl });
  lines.push(redact(`${pin(ctx.loadCore)}wrk ${warm.join(' ')}   # warm-up, discarded`));
  const measuredCpu = target.measureTree ? 'summed over <pid> and its descendant processes' : 'in /proc/<pid>/stat';
  lines.push(redact(`${pin(ctx.loadCore)}wrk ${run.join(' ')}   # measured; server CPU = delta of utime+stime ${measuredCpu}`));
  if (lines.some((line) => line.includes('$GRUPO_TOKEN'))) {
    lines.splice(1, 0, `# $GRUPO_TOKEN: the x-operadora-token the simulator just started issues — curl -s -H 'content-type: application/json' -d '{"usuario":"demo","senha":"demo"}' http://127.0.0.1:$SIMULADOR_PORT/autorizacao`);
  }
  if (lines.some((line) => line.includes('$BENCH_DB'))) {
    lines.splice(1, 0, "# $BENCH_DB: a database created for the run on the machine's PostgreSQL (create database …), seeded like the SQLite data folder, dropped with (force) at the end");
  }
  if (lines.some((line) => line.includes('$CHAVE_PASSE'))) {
    lines.splice(1, 0, '# $CHAVE_PASSE: a key opened for this measurement (POST /app/v1/funcionalidades/<chaveFuncionalidade>/abrir with the app session)');
  }
  return lines;
}

function logSample(name: string, round: number, rounds: number, sample: Sample): void {
  log(
    `round ${round}/${rounds}  ${name.padEnd(22)} ${Math.round(sample.requestsPerSecond).toString().padStart(7)} req/s  p50 ${sample.p50Ms.toFixed(2)} ms  p99 ${sample.p99Ms.toFixed(2)} ms  ${Math.round(sample.cpuMicrosPerRequest)} µs/req (server ${sample.serverCpuPercent.toFixed(0)} % busy)  ${Math.round(sample.rssMb)} MB` +
      (sample.otherLoadOnServerCorePercent !== null ? `  others on core: ${sample.otherLoadOnServerCorePercent.toFixed(1)} %` : '') +
      (sample.socketErrors > 0 ? `  (${sample.socketErrors} socket errors)` : ''),
  );
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const chosen = selectScenarios(options.only);
  quietBudgetMs = options.quietWaitSeconds * 1000;

  if (!ensureWrk()) {
    const bar = '!'.repeat(78);
    process.stderr.write(`\n${bar}\n!! bench: wrk is not installed and could not be installed with apt-get.\n!! Install it (Debian: apt-get install -y wrk) and run again. Nothing was measured.\n${bar}\n\n`);
    return 1;
  }
  // A scenario whose tool or server is missing (nginx, PostgreSQL) is skipped loudly, here and in the report.
  const skipped: { name: string; section: string; reason: string }[] = [];
  for (const scenario of chosen) {
    const reason = await scenario.unavailable?.();
    if (reason) skipped.push({ name: scenario.name, section: scenario.section, reason });
  }
  for (const skip of skipped) {
    const bar = '!'.repeat(78);
    process.stderr.write(`\n${bar}\n!! bench: SKIPPING ${skip.name}: ${skip.reason}.\n!! Its row is missing from the report (a notice says so).\n${bar}\n\n`);
  }
  const selected = chosen.filter((scenario) => !skipped.some((skip) => skip.name === scenario.name));

  const nproc = Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim());
  const pinned = nproc >= 2;
  if (pinned) {
    // The harness itself stays off the server's core.
    spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  } else {
    process.stderr.write('bench: WARNING fewer than 2 CPUs — running without pinning; numbers are not comparable to docs/DESEMPENHO.md.\n');
  }

  const workDir = mkdtempSync(join(tmpdir(), 'ponte-bench-'));
  installExitHooks(() => rmSync(workDir, { recursive: true, force: true }));
  const dataDir = join(workDir, 'data');
  log(`bench: preparing data in ${dataDir}`);
  const simulatorPort = await freePort();
  const data = await prepareData(dataDir, simulatorPort);
  const base = { root, workDir, dataDir, storageEnv: {}, simulatorPort, ...data, serverCore: pinned ? 1 : null, loadCore: pinned ? 0 : null, freePort };
  const answerFiles = { tempAuth: join(workDir, 'temp-auth-answer.json'), chavePasse: join(workDir, 'chave-passe-usuario-answer.json') };
  await sampleAnswers(base, answerFiles);
  const ctx: BenchContext = { ...base, tempAuthAnswerFile: answerFiles.tempAuth, chavePasseAnswerFile: answerFiles.chavePasse };
  if (selected.some((scenario) => scenario.scaleOut)) {
    ctx.scaleOut = await prepareScaleOut(dataDir, simulatorPort);
    log(`bench: PostgreSQL database ${ctx.scaleOut.database} created and seeded (dropped at the end), Redis ${ctx.scaleOut.env.REDIS_URL}`);
  }

  const samples = new Map<string, Sample[]>(selected.map((s) => [s.name, []]));
  const commands = new Map<string, string[]>();
  const repeated = new Map<string, number>();
  const roundSeconds = selected.reduce((sum, scenario) => sum + options.warmupSeconds + durationOf(scenario, options) + 4, 0);
  log(`bench: ${selected.length} scenario(s) × ${options.rounds} round(s), ~${Math.round(roundSeconds)} s per round ≈ ${Math.ceil((options.rounds * roundSeconds) / 60)} min`);
  for (let round = 1; round <= options.rounds; round++) {
    for (const scenario of selected) {
      let measurement = await measure(scenario, ctx, options, round);
      logSample(scenario.name, round, options.rounds, measurement.sample);
      // Other work on the machine landed on the server's core: measure again while the quiet
      // budget lasts (the repeats are counted in the report), else keep the flagged sample.
      while (!isUndisturbed(measurement.sample) && quietBudgetMs > 0) {
        const started = Date.now();
        const budgetBefore = quietBudgetMs;
        repeated.set(scenario.name, (repeated.get(scenario.name) ?? 0) + 1);
        log(`bench: disturbed measurement, measuring ${scenario.name} again (${Math.round(quietBudgetMs / 1000)} s of quiet budget left)`);
        measurement = await measure(scenario, ctx, options, round);
        // The repeat (its wait for quiet included) is paid from the same budget.
        quietBudgetMs = Math.max(0, budgetBefore - (Date.now() - started));
        logSample(scenario.name, round, options.rounds, measurement.sample);
      }
      samples.get(scenario.name)?.push(measurement.sample);
      commands.set(scenario.name, measurement.commands);
    }
  }

  const machine = describeMachine(nproc, wrkVersion(), selected.some((s) => s.name === 'login-nginx') ? nginxVersion() : undefined);
  const argv = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const reports: ScenarioReport[] = selected.map((scenario) => ({
    name: scenario.name,
    description: scenario.description,
    samples: samples.get(scenario.name) ?? [],
    summary: summarize(samples.get(scenario.name) ?? []),
    connections: connectionsOf(scenario),
    comparesTo: scenario.comparesTo,
    alsoComparedTo: scenario.alsoComparedTo ?? [],
    comparison: scenario.comparison ?? 'throughput',
  }));
  for (const report of reports) {
    const scenario = selected.find((s) => s.name === report.name) as Scenario;
    if (scenario.target) {
      const reference = reports.find((r) => r.name === scenario.comparesTo)?.summary;
      report.target = {
        text: scenario.target.text,
        met: scenario.target.met(report.summary, reference),
        ...(scenario.target.detail ? { detail: scenario.target.detail(report.summary, reference) } : {}),
      };
    }
  }

  for (const sectionId of new Set(chosen.map((s) => s.section))) {
    const inSection = reports.filter((r) => selected.find((s) => s.name === r.name)?.section === sectionId);
    // A section whose rows all override the duration (the minute-long memory row) says so in its header.
    const durations = new Set(selected.filter((s) => s.section === sectionId).map((s) => durationOf(s, options)));
    const markdown = renderSection(
      {
        title: sections[sectionId] ?? sectionId,
        date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        rounds: options.rounds,
        durationSeconds: durations.size === 1 ? ([...durations][0] as number) : options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        connections: CONNECTIONS,
        machine,
        pinned,
        argv,
        repeatedMeasurements: inSection.reduce((sum, r) => sum + (repeated.get(r.name) ?? 0), 0),
        commands: inSection.flatMap((r) => [...(commands.get(r.name) ?? []), '']).slice(0, -1),
        skipped: skipped.filter((skip) => skip.section === sectionId),
      },
      inSection,
      reports,
    );
    writeSection(options.out, sectionId, markdown);
  }
  log(`bench: wrote ${relative(root, options.out)}`);
  for (const report of reports) {
    if (report.target) log(`bench: ${report.name} ${report.target.text}: ${report.target.met ? 'PASS' : 'FAIL'} (${report.target.detail ?? `median ${Math.round(report.summary.requestsPerSecond.median)} req/s`})`);
  }
  for (const skip of skipped) log(`bench: SKIPPED ${skip.name}: ${skip.reason}`);
  return 0;
}

main()
  .then(async (code) => {
    await stopAll();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll();
    process.exit(1);
  });
