import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** One measured run of one scenario. */
export type Sample = {
  round: number;
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  rssMb: number;
  non2xx: number;
  socketErrors: number;
  /** The server's CPU time over wall time (%): near 100 when the server, not wrk, is the limit. */
  serverCpuPercent: number;
  /** Share (%) of the server's core used by other processes during the measured run. */
  otherLoadOnServerCorePercent: number | null;
  /** Share (%) of the whole machine busy just before the measurement started. */
  machineBusyBeforePercent: number;
  /** wrk connections (requests in flight). */
  connections: number;
  /** Whether the server should have been the bottleneck (≥ SATURATED_PERCENT busy). */
  saturationExpected: boolean;
  /** What the scenario noticed after the run (e.g. central de logs entries dropped). */
  note?: string;
};

export type Stat = { median: number; min: number; max: number };
export type Summary = {
  requestsPerSecond: Stat;
  p50Ms: Stat;
  p99Ms: Stat;
  cpuMicrosPerRequest: Stat;
  rssMb: Stat;
};

function stat(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

export function summarize(samples: Sample[]): Summary {
  return {
    requestsPerSecond: stat(samples.map((s) => s.requestsPerSecond)),
    p50Ms: stat(samples.map((s) => s.p50Ms)),
    p99Ms: stat(samples.map((s) => s.p99Ms)),
    cpuMicrosPerRequest: stat(samples.map((s) => s.cpuMicrosPerRequest)),
    rssMb: stat(samples.map((s) => s.rssMb)),
  };
}

export type Machine = { nproc: number; cpuModel: string; memory: string; node: string; kernel: string; wrk: string; nginx?: string | undefined };

/** `nproc` must be read before the harness pins itself (nproc counts the CPUs we may use). */
export function describeMachine(nproc: number, wrk: string, nginx?: string): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const memKb = Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? Number.NaN);
  return {
    nproc,
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown',
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    node: process.version,
    kernel: execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim(),
    wrk,
    nginx,
  };
}

/** Above this share of the server core used by others, a measurement is flagged as disturbed. */
export const DISTURBED_PERCENT = 5;
/** Below this, the server was not the bottleneck (wrk starved, or the server was preempted). */
export const SATURATED_PERCENT = 90;

export function isUndisturbed(sample: Sample): boolean {
  return (sample.otherLoadOnServerCorePercent ?? 0) <= DISTURBED_PERCENT && (!sample.saturationExpected || sample.serverCpuPercent >= SATURATED_PERCENT);
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const range = (s: Stat, format: (n: number) => string) => `${format(s.median)} (${format(s.min)}–${format(s.max)})`;

export type ScenarioReport = {
  name: string;
  description: string;
  samples: Sample[];
  summary: Summary;
  /** wrk connections of its runs. */
  connections: number;
  /** The reference its target is judged against. */
  comparesTo?: string | undefined;
  /** Other scenarios shown next to it. */
  alsoComparedTo: string[];
  /** Throughput and CPU ratios, or the latency added over the reference. */
  comparison: 'throughput' | 'latency';
  target?: { text: string; met: boolean; detail?: string };
};

export type RunInfo = {
  title: string;
  date: string;
  rounds: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  machine: Machine;
  pinned: boolean;
  argv: string;
  /** Disturbed measurements that were thrown away and measured again. */
  repeatedMeasurements: number;
  /** Exact commands, one per line, already redacted. */
  commands: string[];
  /** Scenarios of the section that could not run here (a tool missing). */
  skipped: { name: string; reason: string }[];
};

/** One cell of the "vs reference" column: ratios of throughput and CPU, or the latency added. */
function versusText(report: ScenarioReport, reference: ScenarioReport | undefined, name: string): string {
  if (!reference) return `(${name} not run)`;
  const s = report.summary;
  const r = reference.summary;
  if (report.comparison === 'latency') {
    const plus = (n: number) => `${n >= 0 ? '+' : '−'}${ms(Math.abs(n))}`;
    return `${plus(s.p50Ms.median - r.p50Ms.median)} ms p50, ${plus(s.p99Ms.median - r.p99Ms.median)} ms p99 over ${name}`;
  }
  return `${((s.requestsPerSecond.median / r.requestsPerSecond.median) * 100).toFixed(0)} % of ${name}, ${(s.cpuMicrosPerRequest.median / r.cpuMicrosPerRequest.median).toFixed(2)}× its CPU`;
}

/** The generated Markdown of one section; `all` holds the references of other sections its rows compare to. */
export function renderSection(run: RunInfo, reports: ScenarioReport[], all: ScenarioReport[] = reports): string {
  const byName = new Map([...all, ...reports].map((r) => [r.name, r]));
  const full = run.rounds >= 5;
  const lines: string[] = [`## ${run.title}`, ''];
  if (!full) lines.push(`> **Smoke run (${run.rounds} round × ${run.durationSeconds} s): not a measurement.** Run \`npm run bench\` for real numbers.`, '');
  for (const skip of run.skipped) {
    lines.push(`> **⚠ \`${skip.name}\` was NOT measured: ${skip.reason}.** Its row is missing below; install it and run again.`, '');
  }
  const other = reports.filter((r) => r.connections !== run.connections);
  const connections =
    `${run.connections} connections` + (other.length > 0 ? ` (${other.map((r) => `\`${r.name}\`: ${r.connections}`).join(', ')} — light load)` : '');
  lines.push(
    `Measured ${run.date} with \`${run.argv}\`: ${run.rounds} interleaved round(s), each scenario ${run.durationSeconds} s after a ${run.warmupSeconds} s warm-up that is thrown away, ${connections}. Medians with (min–max) over the rounds.` +
      (run.repeatedMeasurements > 0 ? ` ${run.repeatedMeasurements} measurement(s) disturbed by other processes were thrown away and repeated.` : ''),
    '',
    '| scenario | req/s | p50 ms | p99 ms | CPU µs/req | RSS MB | vs reference (req/s and CPU/req, or latency added) |',
    '|---|---:|---:|---:|---:|---:|---|',
  );
  for (const report of reports) {
    const s = report.summary;
    const names = [report.comparesTo, ...report.alsoComparedTo].filter((n): n is string => n !== undefined);
    const versus = names.length === 0 ? '—' : names.map((name) => versusText(report, byName.get(name), name)).join('; ');
    lines.push(
      `| \`${report.name}\` | ${range(s.requestsPerSecond, int)} | ${range(s.p50Ms, ms)} | ${range(s.p99Ms, ms)} | ${range(s.cpuMicrosPerRequest, int)} | ${range(s.rssMb, int)} | ${versus} |`,
    );
  }
  lines.push('');
  const disturbed = reports.flatMap((r) => r.samples).filter((s) => !isUndisturbed(s));
  if (disturbed.length > 0) {
    const worst = Math.max(...disturbed.map((s) => s.otherLoadOnServerCorePercent ?? 0));
    lines.push(
      `> **Disturbed:** ${disturbed.length} of ${reports.flatMap((r) => r.samples).length} measurements ran while other processes took more than ${DISTURBED_PERCENT} % of the server's core (up to ${worst.toFixed(0)} %) or kept a server that should saturate below ${SATURATED_PERCENT} % busy; their numbers are pessimistic. See "Every round".`,
      '',
      `Undisturbed rounds only (others ≤ ${DISTURBED_PERCENT} % of the server core and, where it should saturate, the server ≥ ${SATURATED_PERCENT} % busy):`,
      '',
      '| scenario | rounds | req/s | p50 ms | p99 ms | CPU µs/req |',
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const report of reports) {
      const clean = report.samples.filter(isUndisturbed);
      if (clean.length === 0) {
        lines.push(`| \`${report.name}\` | 0 | — | — | — | — |`);
        continue;
      }
      const c = summarize(clean);
      lines.push(`| \`${report.name}\` | ${clean.length} | ${range(c.requestsPerSecond, int)} | ${range(c.p50Ms, ms)} | ${range(c.p99Ms, ms)} | ${range(c.cpuMicrosPerRequest, int)} |`);
    }
    lines.push('');
  }
  const targets = reports.filter((r) => r.target);
  if (targets.length > 0) {
    lines.push('**Targets**', '');
    for (const report of targets) {
      const target = report.target as NonNullable<ScenarioReport['target']>;
      const verdict = target.met ? '**PASS**' : '**FAIL**';
      const perCore = 1_000_000 / report.summary.cpuMicrosPerRequest.median;
      const detail =
        target.detail ?? `median ${int(report.summary.requestsPerSecond.median)} req/s; from its CPU cost, 1 s ÷ ${int(report.summary.cpuMicrosPerRequest.median)} µs = ${int(perCore)} req/s per fully used core`;
      lines.push(`- \`${report.name}\` ${target.text}: ${verdict} — ${detail}${full ? '' : ' (smoke run: indicative only)'}`);
    }
    lines.push('');
  }
  lines.push('**Scenarios**', '');
  for (const report of reports) lines.push(`- \`${report.name}\`: ${report.description}`);
  const m = run.machine;
  lines.push(
    '',
    `**Machine**: ${m.nproc} CPUs (\`nproc\`), ${m.cpuModel}, ${m.memory} RAM, Node ${m.node}, ${m.kernel}, ${m.wrk}${m.nginx ? `, ${m.nginx}` : ''}.` +
      (run.pinned ? ' Server under test pinned to core 1, wrk (and any upstream) to core 0.' : ' **Not pinned** (fewer than 2 CPUs).'),
    '',
    '**Commands** (per scenario and round; the server is started fresh for each measurement):',
    '',
    '```sh',
    ...run.commands,
    '```',
    '',
    '<details><summary>Every round</summary>',
    '',
  );
  const rows = reports.flatMap((r) => r.samples.map((s) => ({ name: r.name, s }))).sort((a, b) => a.s.round - b.s.round);
  const notes = rows.some((row) => row.s.note);
  lines.push(
    `| round | scenario | req/s | requests | p50 ms | p99 ms | CPU µs/req | RSS MB | non-2xx | socket errors | server CPU | machine busy before | others on server core |${notes ? ' note |' : ''}`,
    `|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|${notes ? '---|' : ''}`,
  );
  for (const { name, s } of rows) {
    lines.push(
      `| ${s.round} | \`${name}\` | ${int(s.requestsPerSecond)} | ${int(s.requests)} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${int(s.cpuMicrosPerRequest)} | ${int(s.rssMb)} | ${s.non2xx} | ${s.socketErrors} | ${s.serverCpuPercent.toFixed(0)} % | ${s.machineBusyBeforePercent.toFixed(0)} % | ${s.otherLoadOnServerCorePercent === null ? '—' : `${s.otherLoadOnServerCorePercent.toFixed(1)} %`} |${notes ? ` ${s.note ?? ''} |` : ''}`,
    );
  }
  lines.push('', '</details>');
  return lines.join('\n');
}

const begin = (id: string) => `<!-- bench:${id}:begin — generated by \`npm run bench\`; edits between these markers are overwritten -->`;
const end = (id: string) => `<!-- bench:${id}:end -->`;

const skeleton = `# Benchmarks

Generated sections below are written by \`npm run bench\` (bench/run.ts).
`;

/**
 * Replaces the generated block of section `id` in `file`, keeping everything outside the
 * markers (the hand-written intro, other sections). A section not yet in the file is appended.
 */
export function writeSection(file: string, id: string, markdown: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : skeleton;
  const block = `${begin(id)}\n${markdown}\n${end(id)}`;
  const start = current.indexOf(`<!-- bench:${id}:begin`);
  const stop = current.indexOf(end(id));
  const next =
    start >= 0 && stop > start
      ? current.slice(0, start) + block + current.slice(stop + end(id).length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
