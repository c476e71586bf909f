import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorMethod } from '../src/modules/contracts/contract-spec.ts';
import { seedPeople, type SeedPerson } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { ponteBin, repoRoot } from './support/ponte-bin.ts';

/**
 * `ponte validate`, the real CLI in its own process, against the operator simulator running in this
 * process: every method conforming, then every fault mode asked per request with `x-sim-fault`. An
 * operator's CI relies on the exit code and the `--json` report, so both are asserted exactly.
 */

/** Two CLI processes at a time, as many as this machine has cores. */
const MAX_PARALLEL_RUNS = 2;

type Run = { code: number | null; stdout: string; stderr: string };
type Violation = { caminho: string; tipo: string; criterio: string; esperado: string; recebido: string; mensagem: string };
type Report = {
  metodo: string;
  aprovado: boolean;
  resultado: string;
  mensagem: string | null;
  mascarado: boolean;
  requisicao: { url: string | null; headers: string[]; corpo: unknown };
  resposta: { status: number; statusText: string; corpo: string } | null;
  latenciaMs: number | null;
  violacoes: Violation[];
};

let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL_RUNS) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await task();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/** Runs `ponte <args>`; stdin is closed (an inherited one can keep the CLI waiting). */
function ponte(args: string[]): Promise<Run> {
  return limited(
    () =>
      new Promise<Run>((resolve, reject) => {
        const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), NODE_ENV: 'development', LOG_LEVEL: 'silent' };
        const child = spawn(process.execPath, [ponteBin, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
  );
}

type Case = { method: OperatorMethod; input: object; headers?: string[]; timeoutMs?: number };

function validateArgs(sim: OperatorSimulator, c: Case, json: boolean): string[] {
  return [
    ...(json ? ['--json'] : []),
    'validate',
    '--url',
    // A prefix before the suffix, as real operators have.
    `${sim.url}/mobilesaude/${c.method}`,
    '--method',
    c.method,
    '--input',
    JSON.stringify(c.input),
    ...(c.headers ?? []).flatMap((h) => ['--header', h]),
    ...(c.timeoutMs !== undefined ? ['--timeout', String(c.timeoutMs)] : []),
  ];
}

/** `ponte --json validate …`: the exit code and the parsed report; nothing on stderr. */
async function validateJson(sim: OperatorSimulator, c: Case): Promise<{ code: number | null; report: Report; stdout: string }> {
  const run = await ponte(validateArgs(sim, c, true));
  expect(run.stderr, `stderr of ${c.method} ${c.headers?.join(' ') ?? ''}`).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) as Report, stdout: run.stdout };
}

const pairs = (report: Report) => report.violacoes.map((v) => ({ caminho: v.caminho, tipo: v.tipo }));
const fault = (mode: string) => `x-sim-fault: ${mode}`;

/** What one fault mode must yield: the exit code, the outcome, the exact violations and the HTTP status seen. */
type Expected = { code: 0 | 1; resultado: string; violacoes: { caminho: string; tipo: string }[]; status: number | null };
const ok: Expected = { code: 0, resultado: 'sucesso', violacoes: [], status: 200 };
const broken = (caminho: string, tipo: string): Expected => ({ code: 1, resultado: 'violacao_contrato', violacoes: [{ caminho, tipo }], status: 200 });

/** Runs every fault case of one method (two CLIs at a time) and compares each with its expectation. */
async function expectFaults(sim: OperatorSimulator, base: Omit<Case, 'headers'>, cases: Record<string, Expected>, extraHeaders: (mode: string) => Promise<string[]> | string[] = () => []) {
  const results = await Promise.all(
    Object.entries(cases).map(async ([mode, expected]) => {
      const { code, report } = await validateJson(sim, { ...base, headers: [...(await extraHeaders(mode)), fault(mode)] });
      return {
        mode,
        actual: { code, resultado: report.resultado, violacoes: pairs(report), status: report.resposta?.status ?? null },
        aprovado: report.aprovado,
        expected,
      };
    }),
  );
  for (const r of results) {
    expect(r.actual, `${base.method} with x-sim-fault: ${r.mode}`).toEqual(r.expected);
    expect(r.aprovado, r.mode).toBe(r.expected.code === 0);
  }
}

const person = (nome: string): SeedPerson => {
  const found = seedPeople.find((p) => p.nome.startsWith(nome));
  if (!found) throw new Error(`no seeded person ${nome}`);
  return found;
};
const ana = person('Ana');
// The password methods use another person, so they never touch the senha the login cases use.
const carlos = person('Carlos');

/** Calls the simulator directly, to get the per-user tokens its password methods demand. */
async function simCall(sim: OperatorSimulator, method: OperatorMethod, body: object): Promise<{ status: number; json: any }> {
  const res = await request(`${sim.url}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.statusCode, json: await res.body.json() };
}

async function seguranca(sim: OperatorSimulator, method: 'login' | 'recuperarSenhaIdentificacao', body: object): Promise<{ chave: string; token: string }> {
  const reply = await simCall(sim, method, body);
  expect(reply.status).toBe(200);
  const [pair] = reply.json.seguranca.auth as { chave: string; token: string }[];
  return pair!;
}

const recoveryToken = (sim: OperatorSimulator) => seguranca(sim, 'recuperarSenhaIdentificacao', { cpf: carlos.cpf, dataNascimento: carlos.dataNascimento });

// Generous: the grouped cases run several CLIs each, and a busy machine can slow every start a lot.
describe('ponte validate against the operator simulator', { timeout: 240_000 }, () => {
  let sim: OperatorSimulator;
  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0, requireGrupo: false });
  });
  afterAll(async () => {
    await sim?.close();
  });

  const loginCase: Omit<Case, 'headers'> = { method: 'login', input: { login: ana.cpf, senha: ana.senha } };

  it('login: a conforming answer passes with exit 0, the senha masked and header values never shown', async () => {
    const { code, report, stdout } = await validateJson(sim, { ...loginCase, headers: ['X-Canal: ci-da-operadora'] });
    expect(code).toBe(0);
    expect(report).toMatchObject({ metodo: 'login', aprovado: true, resultado: 'sucesso', violacoes: [] });
    expect(report.requisicao.url).toBe(`${sim.url}/mobilesaude/login`);
    expect(report.requisicao.headers).toEqual(['X-Canal']);
    expect(report.resposta).toMatchObject({ status: 200, statusText: 'OK' });
    // No painel role on the command line, and the report lands in CI logs: masked as the central de logs keeps it.
    expect(report.mascarado).toBe(true);
    expect(JSON.parse(report.resposta!.corpo).usuarioLogado).toMatchObject({ chaveUnica: '***********', nome: `*** (${ana.nome.length})` });
    for (const value of [ana.cpf, ana.nome, ana.email, ana.celular, ana.codigoBeneficiario]) expect(stdout).not.toContain(value);
    expect(report.latenciaMs).toEqual(expect.any(Number));
    expect((report.requisicao.corpo as { senha: string }).senha).not.toBe(ana.senha);
    expect(stdout).not.toContain(ana.senha);
    expect(stdout).not.toContain('ci-da-operadora');
    // What the operator received is what was asked for.
    const received = sim.calls().login;
    expect(received.lastBody).toEqual({ login: ana.cpf, senha: ana.senha });
    expect(received.lastHeaders?.['x-canal']).toBe('ci-da-operadora');
  });

  it('login: every fault mode yields its violations, outcome and exit code', async () => {
    await expectFaults(sim, loginCase, {
      'wrong-types': broken('usuarioLogado.login', 'tipo'),
      'missing-mandatory': broken('usuarioLogado.login', 'ausente'),
      'null-mandatory': broken('usuarioLogado.login', 'nulo'),
      'blank-mandatory': broken('usuarioLogado.login', 'vazio'),
      'invalid-json': broken('$', 'json_invalido'),
      // The failure body `{mensagem}` follows the contract: a refusal, with nothing else wrong.
      'status-500': { code: 1, resultado: 'recusado_pela_operadora', violacoes: [], status: 500 },
      'status-503': { code: 1, resultado: 'recusado_pela_operadora', violacoes: [], status: 503 },
      // Over the 2 MiB cap: cut off, no response to show.
      'huge-body:3000000': { code: 1, resultado: 'falha_comunicacao', violacoes: [], status: null },
      'connection-reset': { code: 1, resultado: 'falha_comunicacao', violacoes: [], status: null },
      // Not followed: following it would have hit a closed port (no status at all).
      'redirect:http://127.0.0.1:9/x': { code: 1, resultado: 'recusado_pela_operadora', violacoes: [], status: 302 },
      'latency:50': ok,
    });
  });

  it('login: an operator that never answers fails at --timeout with exit 1', async () => {
    const { code, report } = await validateJson(sim, { ...loginCase, headers: [fault('hang')], timeoutMs: 500 });
    expect(code).toBe(1);
    expect(report).toMatchObject({ aprovado: false, resultado: 'falha_comunicacao', resposta: null, violacoes: [] });
    expect(report.latenciaMs).toBeGreaterThanOrEqual(500);
  });

  it('autorizacao: conforming, each broken contract, and Authorization as chave', async () => {
    const base: Omit<Case, 'headers'> = { method: 'autorizacao', input: { usuario: 'demo', senha: 'demo' } };
    const { code, report } = await validateJson(sim, base);
    expect({ code, aprovado: report.aprovado, resultado: report.resultado, violacoes: report.violacoes }).toEqual({ code: 0, aprovado: true, resultado: 'sucesso', violacoes: [] });
    expect(report.requisicao.headers).toEqual([]);

    await expectFaults(sim, base, {
      'wrong-types': broken('auth[0].token', 'tipo'),
      'missing-mandatory': broken('auth[0].token', 'ausente'),
      'null-mandatory': broken('auth[0].token', 'nulo'),
      'blank-mandatory': broken('auth[0].token', 'vazio'),
      'invalid-json': broken('$', 'json_invalido'),
      // The simulator appends a third pair whose chave is "Authorization", which is reserved.
      'authorization-chave': broken('auth[2].chave', 'formato'),
    });
  });

  it('recuperarSenhaIdentificacao: conforming and each broken contract', async () => {
    const base: Omit<Case, 'headers'> = { method: 'recuperarSenhaIdentificacao', input: { cpf: ana.cpf, dataNascimento: ana.dataNascimento } };
    const { code, report } = await validateJson(sim, base);
    expect({ code, aprovado: report.aprovado, resultado: report.resultado, violacoes: report.violacoes }).toEqual({ code: 0, aprovado: true, resultado: 'sucesso', violacoes: [] });

    await expectFaults(sim, base, {
      'wrong-types': broken('chaveUnica', 'tipo'),
      'missing-mandatory': broken('chaveUnica', 'ausente'),
      'null-mandatory': broken('chaveUnica', 'nulo'),
      'blank-mandatory': broken('chaveUnica', 'vazio'),
      'invalid-json': broken('$', 'json_invalido'),
    });
  });

  // The success body of the password methods has no M field, so the simulator breaks the body
  // itself: `null`, `"   "`, `[]`, or an empty body (which such a contract accepts).
  const rootBreaks: Record<string, Expected> = {
    'wrong-types': broken('$', 'tipo'),
    'null-mandatory': broken('$', 'nulo'),
    'blank-mandatory': broken('$', 'tipo'),
    'missing-mandatory': ok,
    'invalid-json': broken('$', 'json_invalido'),
  };

  it('recuperarSenhaNovaSenha: with the x-recuperacao-token from the identification', async () => {
    const base: Omit<Case, 'headers'> = { method: 'recuperarSenhaNovaSenha', input: { chaveUnica: carlos.cpf, novaSenha: carlos.senha } };
    const recovery = await recoveryToken(sim);
    expect(recovery.chave).toBe('x-recuperacao-token');
    const { code, report, stdout } = await validateJson(sim, { ...base, headers: [`${recovery.chave}: ${recovery.token}`] });
    expect({ code, aprovado: report.aprovado, resultado: report.resultado, violacoes: report.violacoes }).toEqual({ code: 0, aprovado: true, resultado: 'sucesso', violacoes: [] });
    expect(report.requisicao.headers).toEqual(['x-recuperacao-token']);
    expect(sim.calls().recuperarSenhaNovaSenha.lastHeaders?.['x-recuperacao-token']).toBe(recovery.token);
    expect(stdout).not.toContain(recovery.token);

    // The simulator consumes a recovery on every answer it builds: one fresh token per case.
    await expectFaults(sim, base, rootBreaks, async () => {
      const fresh = await recoveryToken(sim);
      return [`${fresh.chave}: ${fresh.token}`];
    });
  });

  it('trocarSenha: with the x-sessao-operadora from the login', async () => {
    // Same senha before and after, so every case finds the one it expects.
    const base: Omit<Case, 'headers'> = { method: 'trocarSenha', input: { chaveUnica: carlos.cpf, senhaAtual: carlos.senha, novaSenha: carlos.senha } };
    const sessao = await seguranca(sim, 'login', { login: carlos.cpf, senha: carlos.senha });
    expect(sessao.chave).toBe('x-sessao-operadora');
    const headers = [`${sessao.chave}: ${sessao.token}`];
    const { code, report } = await validateJson(sim, { ...base, headers });
    expect({ code, aprovado: report.aprovado, resultado: report.resultado, violacoes: report.violacoes }).toEqual({ code: 0, aprovado: true, resultado: 'sucesso', violacoes: [] });
    expect(sim.calls().trocarSenha.lastHeaders?.['x-sessao-operadora']).toBe(sessao.token);

    await expectFaults(sim, base, rootBreaks, () => headers);
  });

  it('elegibilidade: approved for a known chave única, each broken contract names its field with exit 1', async () => {
    // No password: the body Ponte sends in a relogin or chaveAuth, the chave única and the integracao.
    const base: Omit<Case, 'headers'> = { method: 'elegibilidade', input: { chaveUnica: ana.cpf, integracao: {} } };
    const missing: Case = { ...base, headers: [fault('missing-mandatory')] };
    const [passing, passingText, missingText] = await Promise.all([validateJson(sim, base), ponte(validateArgs(sim, base, false)), ponte(validateArgs(sim, missing, false))]);

    expect({ code: passing.code, aprovado: passing.report.aprovado, resultado: passing.report.resultado, violacoes: passing.report.violacoes }).toEqual({
      code: 0,
      aprovado: true,
      resultado: 'sucesso',
      violacoes: [],
    });
    expect(passing.report).toMatchObject({ metodo: 'elegibilidade', mascarado: true, resposta: { status: 200 } });
    expect(passing.report.requisicao.url).toBe(`${sim.url}/mobilesaude/elegibilidade`);
    // The chave única is a CPF: masked in what lands in CI logs, sent as given to the operator.
    for (const value of [ana.cpf, ana.nome, ana.email]) expect(passing.stdout).not.toContain(value);
    expect(sim.calls().elegibilidade.lastBody).toEqual({ chaveUnica: ana.cpf, integracao: {} });

    expect({ code: passingText.code, stderr: passingText.stderr }).toEqual({ code: 0, stderr: '' });
    expect(passingText.stdout).toContain('(elegibilidade)');
    expect(passingText.stdout).toContain('HTTP 200');
    expect(passingText.stdout).toContain('✔');
    expect(passingText.stdout).not.toContain('violação');

    expect({ code: missingText.code, stderr: missingText.stderr }).toEqual({ code: 1, stderr: '' });
    expect(missingText.stdout).toContain('✘');
    expect(missingText.stdout).toContain('1 violação');
    expect(missingText.stdout).toContain('usuarioLogado.login');

    await expectFaults(sim, base, {
      'wrong-types': broken('usuarioLogado.login', 'tipo'),
      'missing-mandatory': broken('usuarioLogado.login', 'ausente'),
      'null-mandatory': broken('usuarioLogado.login', 'nulo'),
      'blank-mandatory': broken('usuarioLogado.login', 'vazio'),
      'invalid-json': broken('$', 'json_invalido'),
      'status-500': { code: 1, resultado: 'recusado_pela_operadora', violacoes: [], status: 500 },
    });

    // A chave única the operator does not know: its 404 with {mensagem} is a refusal, not a violation.
    const unknown = await validateJson(sim, { method: 'elegibilidade', input: { chaveUnica: '00000000000', integracao: {} } });
    expect({ code: unknown.code, resultado: unknown.report.resultado, violacoes: unknown.report.violacoes, status: unknown.report.resposta?.status }).toEqual({
      code: 1,
      resultado: 'recusado_pela_operadora',
      violacoes: [],
      status: 404,
    });
  });

  it('human output lists each violation with its path, and says why a call failed', async () => {
    const violating: Case = { ...loginCase, headers: [fault('wrong-types')] };
    const failing: Case = { ...loginCase, headers: [fault('hang')], timeoutMs: 500 };
    const [violatingJson, violatingText, failingText, passingText] = await Promise.all([
      validateJson(sim, violating),
      ponte(validateArgs(sim, violating, false)),
      ponte(validateArgs(sim, failing, false)),
      ponte(validateArgs(sim, loginCase, false)),
    ]);

    expect({ code: violatingText.code, stderr: violatingText.stderr }).toEqual({ code: 1, stderr: '' });
    expect(violatingJson.report.violacoes).toHaveLength(1);
    const [violation] = violatingJson.report.violacoes;
    expect(violatingText.stdout).toContain('usuarioLogado.login');
    expect(violatingText.stdout).toContain(violation!.mensagem);
    expect(violatingText.stdout).toContain(violatingJson.report.mensagem);
    expect(violatingText.stdout).toContain('1 violação');
    expect(violatingText.stdout).not.toContain(ana.senha);

    expect({ code: failingText.code, stderr: failingText.stderr }).toEqual({ code: 1, stderr: '' });
    expect(failingText.stdout).toContain('sem resposta');
    expect(failingText.stdout).toContain('✘');
    expect(failingText.stdout).not.toContain('violação');

    expect({ code: passingText.code, stderr: passingText.stderr }).toEqual({ code: 0, stderr: '' });
    expect(passingText.stdout).toContain('HTTP 200');
    expect(passingText.stdout).toContain('✔');
    expect(passingText.stdout).not.toContain('violação');
  });

  it('usage errors exit 1 with a Portuguese message on stderr, print nothing and call nobody', async () => {
    const before = sim.calls().login.count;
    const base = ['validate', '--url', `${sim.url}/login`, '--method', 'login', '--input', JSON.stringify({ login: ana.cpf, senha: ana.senha })];
    const withOption = (name: string, value: string) => {
      const args = [...base];
      const at = args.indexOf(name);
      if (at === -1) args.push(name, value);
      else args[at + 1] = value;
      return args;
    };
    // Each message names the option, quotes what was sent and says what is expected (in Portuguese: "deve").
    const cases: { option: string; value: string; mentions: string[] }[] = [
      { option: '--method', value: 'loginn', mentions: ['--method', '"loginn"', 'deve ser um de'] },
      { option: '--url', value: `${sim.url}/mobilesaude/logon`, mentions: ['"/login"', '/mobilesaude/logon', 'deve terminar'] },
      { option: '--input', value: '{login:', mentions: ['--input', 'deve ser um objeto JSON'] },
      { option: '--input', value: '[1,2]', mentions: ['--input', 'deve ser um objeto JSON'] },
      { option: '--header', value: 'sem-dois-pontos', mentions: ['--header', '"sem-dois-pontos"', 'deve ter a forma "Nome: valor"'] },
      { option: '--header', value: 'Host: outro.example', mentions: ['--header', '"Host: outro.example"', 'deve ter a forma'] },
    ];
    // `--json` changes nothing for usage errors: checked once, not for every case (each run costs seconds).
    const runs = await Promise.all(
      cases.map(async (c, index) => {
        const json = index === 0;
        return { c, json, run: await ponte([...(json ? ['--json'] : []), ...withOption(c.option, c.value)]) };
      }),
    );
    for (const { c, json, run } of runs) {
      const label = `${json ? '--json ' : ''}${c.option} ${c.value}`;
      expect({ code: run.code, stdout: run.stdout }, label).toEqual({ code: 1, stdout: '' });
      for (const text of c.mentions) expect(run.stderr, label).toContain(text);
    }
    expect(sim.calls().login.count).toBe(before);
  });
});
