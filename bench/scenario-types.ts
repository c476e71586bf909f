import type { Summary } from './report.ts';
import type { ScaleOut } from './scale-out.ts';
import type { WrkRequest } from './wrk.ts';

/** What the scenarios may use, prepared once per run by bench/run.ts. */
export type BenchContext = {
  /** Repository root (where bin/ and bench/ are). */
  root: string;
  /** Temporary folder of the run (data, wrk scripts, generated configs). */
  workDir: string;
  /** SQLite data folder created for this run, with the cliente and token below. */
  dataDir: string;
  /**
   * Where Ponte keeps its data besides the folder: {} (the folder's SQLite, the ids below), or the
   * DATABASE_URL and REDIS_URL of `scaleOut` in a context the scale-out scenarios derive.
   */
  storageEnv: Record<string, string>;
  /** The run's PostgreSQL database and Redis, with their own seeded ids; only when a selected scenario needs them. */
  scaleOut?: ScaleOut;
  clienteId: string;
  /** Plaintext token do cliente (chavePasse + seguranca). */
  token: string;
  /** Public app id of instância 1 (Sandbox), integrated with the simulator on `simulatorPort`. */
  appId: string;
  /** Port every operator simulator of the run listens on: the integração and the grupo point at it. */
  simulatorPort: number;
  /** A funcionalidade (chave passe valid 10 min) and an app session that may open it. */
  chaveFuncionalidade: string;
  appSessionToken: string;
  /** A real temp-authorization answer, byte for byte, for references that must move the same bytes. */
  tempAuthAnswerFile: string;
  /** A real `/clientes/chavePasse/usuario` answer, byte for byte. */
  chavePasseAnswerFile: string;
  /** Core for the server under test and core for wrk and upstreams (null when not pinning). */
  serverCore: number | null;
  loadCore: number | null;
  freePort(): Promise<number>;
};

export type ServerSpec = {
  name: string;
  /** `ctx.serverCore` for the server under test, `ctx.loadCore` for upstreams. */
  core: number | null;
  command: string;
  args: string[];
  /** Only the variables the scenario sets; the harness adds the inherited environment (see cleanEnv). */
  env: Record<string, string>;
  port: number;
  /** GET path answering 2xx once the server is up. */
  readyPath: string;
  /** The one server whose CPU and RSS are reported; wrk targets it. */
  measured?: boolean;
  /** Report CPU and RSS summed over the measured process and its descendants (`serve --workers`). */
  measureTree?: boolean;
  /** Ready only once the process also printed this (a `serve --workers` banner, printed when every worker listens). */
  readyOutput?: string;
  /** The executable's name in /proc/<pid>/comm, checked before measuring (default `node`). */
  processName?: string;
  /**
   * Runs just before this server starts, once the servers before it are ready: may ask them for
   * something (a grupo token) and set `env` or write `files`.
   */
  prepare?(): Promise<void>;
  /** Files the server reads (a generated config), printed with the commands. */
  files?: { path: string; text: string }[];
};

/** A wrk request, plus values to show as placeholders in the printed commands (secret → `$NAME`). */
export type BenchRequest = WrkRequest & { placeholders?: Record<string, string> };

export type Target = {
  /** As it reads in the report, e.g. "≥ 3,500 tokens/s per core". */
  text: string;
  met(self: Summary, reference: Summary | undefined): boolean;
  /** The numbers behind the verdict, for the report (default: req/s and req/s per core). */
  detail?(self: Summary, reference: Summary | undefined): string;
};

/**
 * One benchmark configuration. To add one, add an object to `scenarios` below: the rounds
 * interleave every selected scenario and the report gains a row in its section.
 */
export type Scenario = {
  name: string;
  /** The BENCHMARKS.md section (see `sections`) the row belongs to. */
  section: string;
  description: string;
  /** Started in order (upstreams first), stopped after each measurement: every sample starts cold. */
  servers(ctx: BenchContext): Promise<ServerSpec[]>;
  /** Built once the servers are up, for each measurement (it may ask them for a token). */
  request(ctx: BenchContext): BenchRequest | Promise<BenchRequest>;
  /** Checks one answer before loading the server, so a broken setup never reports numbers. */
  checkAnswer?(status: number, body: string): string | undefined;
  /** wrk connections (default 50); 1 measures latency with one request in flight. */
  connections?: number;
  /** Measured seconds for this scenario, whatever `--duration` says (a row about memory after a minute). */
  durationSeconds?: number;
  /** Runs Ponte on PostgreSQL + Redis: the run creates and seeds `ctx.scaleOut` for it (bench/scale-out.ts). */
  scaleOut?: boolean;
  /**
   * Starts counting the CPU of processes outside the measured one that it leans on (PostgreSQL
   * backends, Redis); the returned function gives µs by label, reported per request in the round's note.
   */
  countCompanionCpu?(ctx: BenchContext): Promise<() => Promise<Record<string, number>>>;
  /**
   * Whether the measured server should be ≥ 90 % busy (default: with more than one connection).
   * False where the upstream, not the server, is the limit (a proxy faster than the simulator).
   */
  saturates?: boolean;
  /** Name of the scenario this one is compared to (always run alongside it); its target uses it. */
  comparesTo?: string;
  /** Further scenarios shown next to this one in the report (also run alongside it). */
  alsoComparedTo?: string[];
  /** How the report compares: req/s and CPU (default) or the latency added over the reference. */
  comparison?: 'throughput' | 'latency';
  target?: Target;
  /** Why the scenario cannot run on this machine (a tool or server missing); it is then skipped with a notice. */
  unavailable?(): string | undefined | Promise<string | undefined>;
  /** After the measured run, servers still up: a note for the report's per-round table. */
  inspect?(measuredBaseUrl: string): Promise<string | undefined>;
};
