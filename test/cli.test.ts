import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl } from './support/infrastructure.ts';
import { ponteBin, repoRoot } from './support/ponte-bin.ts';

/**
 * The real `ponte` CLI and server, each in its own process, over storage of their own: a fresh
 * data folder (SQLite) or, when the run has DATABASE_URL, a fresh PostgreSQL database.
 */

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];

type Env = Record<string, string>;
type Run = { code: number | null; stdout: string; stderr: string };

/** A data folder and, on PostgreSQL runs, a database nobody else uses; both removed in afterAll. */
async function freshStorage(): Promise<Env> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ponte-cli-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  if (!postgresUrl) return { PONTE_DATA_DIR: dataDir };
  const name = `ponte_cli_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  cleanups.push(() => adminQuery(`drop database if exists ${name} with (force)`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return { PONTE_DATA_DIR: dataDir, DATABASE_URL: url.toString() };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Only what Ponte reads, so nothing from the test runner (NODE_ENV=test, REDIS_URL…) leaks in. */
function envFor(storage: Env, extra: Env = {}): Env {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), NODE_ENV: 'development', LOG_LEVEL: 'silent', ...storage, ...extra };
}

function start(args: string[], env: Env): ChildProcess {
  const child = spawn(process.execPath, [ponteBin, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function ponte(args: string[], env: Env): Promise<Run> {
  const child = start(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a `--json` command that must succeed and returns its parsed output. */
async function ponteJson<T = Record<string, unknown>>(args: string[], env: Env): Promise<T> {
  const run = await ponte(['--json', ...args], env);
  expect(run, `ponte ${args.join(' ')}`).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as T;
}

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

describe('ponte CLI', { timeout: 90_000 }, () => {
  // One storage and one cliente for the commands that only add to it (CLI start costs a second or more).
  let env: Env;
  let clienteId: string;
  beforeAll(async () => {
    env = envFor(await freshStorage());
    clienteId = (await ponteJson<{ id: string }>(['cliente', 'create', '--nome', 'Operadora Tokens'], env)).id;
  }, 90_000);

  it('admin create prints the id and a generated senha, shown only in that answer', async () => {
    const created = await ponteJson(['admin', 'create', '--email', 'admin@exemplo.com.br'], env);
    expect(created).toEqual({ id: expect.stringMatching(/^usr_/), email: 'admin@exemplo.com.br', senha: expect.any(String) });
    expect((created.senha as string).length).toBeGreaterThanOrEqual(10);

    // A senha the operator chose is never echoed back.
    const chosen = await ponteJson(['admin', 'create', '--email', 'outro@exemplo.com.br', '--senha', 'senha-escolhida-123'], env);
    expect(chosen).toEqual({ id: expect.stringMatching(/^usr_/), email: 'outro@exemplo.com.br' });
  });

  it('cliente create prints a cli_ id with instâncias 1 and 2 and the numeric code; list shows the code', async () => {
    const created = await ponteJson<{ id: string; codigo: number; nome: string; instancias: { numero: number }[] }>(['cliente', 'create', '--nome', 'Operadora CLI'], env);
    expect(created.id).toMatch(/^cli_/);
    expect(created.id).not.toBe(clienteId);
    expect(created.nome).toBe('Operadora CLI');
    expect(created.instancias.map((i) => i.numero).sort()).toEqual([1, 2]);
    // The idCliente of the cliente's temp tokens.
    expect(Number.isSafeInteger(created.codigo) && created.codigo > 0).toBe(true);
    const listed = await ponte(['cliente', 'list'], env);
    expect(listed.code).toBe(0);
    // A table: the header, then one row per cliente.
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID +CÓDIGO +NOME$/);
    expect(listed.stdout).toMatch(new RegExp(`^${created.id} +${created.codigo} +Operadora CLI$`, 'm'));
  });

  it('token create shows the plaintext once; list never shows it; revoke revokes', async () => {
    const created = await ponteJson<{ id: string; token: string; prefixo: string; apis: string[] }>(
      ['token', 'create', '--cliente', clienteId, '--apis', 'chavePasse,seguranca'],
      env,
    );
    expect(created.id).toMatch(/^tok_/);
    expect(created.token).toMatch(/^ptk_/);
    expect(created.apis).toEqual(['chavePasse', 'seguranca']);
    expect(created.token.startsWith(created.prefixo)).toBe(true);

    const listing = await ponte(['--json', 'token', 'list', '--cliente', clienteId], env);
    expect(listing.code).toBe(0);
    expect(listing.stdout).not.toContain(created.token);
    const { tokens } = JSON.parse(listing.stdout) as { tokens: Record<string, unknown>[] };
    const listed = tokens.find((t) => t.id === created.id);
    expect(listed).toMatchObject({ prefixo: created.prefixo, apis: created.apis, revogadoEm: null });
    expect(listed).not.toHaveProperty('token');

    const revoked = await ponteJson<{ id: string; revogadoEm: number | null }>(['token', 'revoke', created.id], env);
    expect(revoked).toMatchObject({ id: created.id, revogadoEm: expect.any(Number) });
    expect(JSON.stringify(revoked)).not.toContain(created.token);

    // The revoke was stored: a second one finds nothing left to revoke.
    const again = await ponte(['token', 'revoke', created.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).not.toBe('');
  });

  it('an unknown api fails with a Portuguese message on stderr', async () => {
    const run = await ponte(['--json', 'token', 'create', '--cliente', clienteId, '--apis', 'chavePasse,inexistente'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('chavePasse,inexistente');
    expect(run.stderr).toMatch(/deve listar/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('migrate applies the history once; the second run has nothing to apply', async () => {
    const storage = await freshStorage();
    const fresh = envFor(storage);
    const first = await ponteJson<{ banco: string; aplicadas: string[] }>(['migrate'], fresh);
    expect(first.banco).toBe(storage.DATABASE_URL ? 'postgres' : 'sqlite');
    expect(first.aplicadas.length).toBeGreaterThan(0);
    expect(first.aplicadas[0]).toMatch(/^0001_/);
    const second = await ponteJson<{ banco: string; aplicadas: string[] }>(['migrate'], fresh);
    expect(second).toEqual({ banco: first.banco, aplicadas: [] });
  });

  it('a bad environment exits 2 with one line per bad variable', async () => {
    const run = await ponte(['migrate'], { ...env, PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const problems = run.stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(problems).toHaveLength(2);
    expect(problems.find((line) => line.startsWith('  - PORT:'))).toContain('"abc"');
    expect(problems.find((line) => line.startsWith('  - LOG_LEVEL:'))).toContain('"loud"');
  });

  it('production without keys refuses to start, exit 2, naming both variables', async () => {
    const storage = await freshStorage();
    const run = await ponte(['serve'], envFor(storage, { NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1' }));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const problems = run.stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(problems.map((line) => line.split(':', 1)[0])).toEqual(['  - PONTE_MASTER_KEYS', '  - PONTE_JWT_KEYS']);
    // Refused before generating development keys or creating the SQLite file.
    expect(readdirSync(storage.PONTE_DATA_DIR as string)).toEqual([]);
  });
});

describe('ponte without NODE_ENV: production rules unless --dev', { timeout: 90_000 }, () => {
  it('a command with no NODE_ENV and no keys is refused like production, pointing at --dev; with --dev it runs on generated keys', async () => {
    const storage = await freshStorage();
    const { NODE_ENV: _unset, ...unsetEnv } = envFor(storage);
    const refused = await ponte(['cliente', 'list'], unsetEnv);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('PONTE_MASTER_KEYS');
    expect(refused.stderr).toContain('--dev');
    expect(readdirSync(storage.PONTE_DATA_DIR as string)).toEqual([]);

    const dev = await ponte(['--json', '--dev', 'cliente', 'list'], unsetEnv);
    expect(dev, dev.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(dev.stdout)).toEqual({ clientes: [] });

    const contradictory = await ponte(['--dev', 'cliente', 'list'], { ...unsetEnv, NODE_ENV: 'production' });
    expect(contradictory.code).not.toBe(0);
    expect(contradictory.stderr).toContain('--dev');
  });
});

/** Resolves with the port once the server prints `Ponte no ar em http://localhost:<port>`. */
function waitForListening(server: ChildProcess): Promise<number> {
  let stdout = '';
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    server.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Ponte no ar em http:\/\/localhost:(\d+)/.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${stdout}\n${stderr}`)));
  });
}

describe('ponte serve, end to end', { timeout: 150_000 }, () => {
  it('serves a CLI-made token, refuses it within the cache bound after a CLI revoke, stops on SIGTERM', async () => {
    const env = envFor(await freshStorage(), { PONTE_TOKEN_CACHE_TTL_SECONDS: '1' });
    const admin = await ponteJson<{ email: string; senha: string }>(['admin', 'create', '--email', 'e2e@exemplo.com.br'], env);
    const cliente = await ponteJson<{ id: string }>(['cliente', 'create', '--nome', 'Operadora E2E'], env);
    const token = await ponteJson<{ id: string; token: string }>(['token', 'create', '--cliente', cliente.id, '--apis', 'chavePasse'], env);

    const server = start(['serve'], { ...env, PORT: '0', HOST: '127.0.0.1' });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
    const port = await waitForListening(server);
    const base = `http://127.0.0.1:${port}`;
    const tempAuth = () => request(`${base}/clientes/auth/temp-authorization`, { method: 'POST', headers: { authorization: token.token, 'content-type': 'application/json' } });

    const health = await request(`${base}/healthz`);
    expect(health.statusCode).toBe(200);
    expect(await health.body.json()).toEqual({ status: 'ok' });

    const minted = await tempAuth();
    expect(minted.statusCode).toBe(200);
    expect(await minted.body.json()).toMatchObject({ status: true, message: 'Token gerado com sucesso!', data: { token: expect.any(String) } });

    // The senha the CLI showed is the one the painel accepts.
    const login = await request(`${base}/painel/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, senha: admin.senha }),
    });
    expect(login.statusCode).toBe(200);
    await login.body.dump();

    // Revoked by another process: the server learns it within the invalidation poll interval (PONTE_INVALIDATION_POLL_MS).
    const revoke = await ponte(['token', 'revoke', token.id], env);
    expect(revoke.code).toBe(0);
    // Polled for three times the bound, so a slow machine does not fail it but an unbounded cache does.
    const deadline = Date.now() + 3_000;
    let last = { status: 0, body: '' };
    while (last.status !== 401 && Date.now() < deadline) {
      const response = await tempAuth();
      last = { status: response.statusCode, body: await response.body.text() };
      if (last.status !== 401) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(last).toEqual({ status: 401, body: '{"success":false,"message":"Invalid token."}' });

    server.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(env.PONTE_DATA_DIR as string, 'keys.json'))).toBe(true);
  });
});

/** Starts `ponte serve --demo` and resolves with everything it printed once the demo block is out. */
async function startDemo(env: Env): Promise<{ server: ChildProcess; stdout: string; exited: Promise<number | null> }> {
  const server = start(['serve', '--demo'], { ...env, PORT: '0', PONTE_SIMULATOR_PORT: '0', HOST: '127.0.0.1' });
  const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    server.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // The last line of the demo block, printed on every start.
      if (/Beneficiário de teste \(app demo\):.*\n/.test(stdout)) resolve();
    });
    server.on('exit', (code) => reject(new Error(`serve --demo exited with ${code}:\n${stdout}\n${stderr}`)));
  });
  return { server, stdout, exited };
}

describe('ponte serve --demo', { timeout: 150_000 }, () => {
  it('prints the painel, the app demo (with the Sandbox app id) and the docs; a restart prints them again without reseeding', async () => {
    const env = envFor(await freshStorage());
    const first = await startDemo(env);
    const port = /Ponte no ar em http:\/\/localhost:(\d+)/.exec(first.stdout)![1];
    const url = `http://localhost:${port}`;
    const lines = first.stdout.split('\n');
    expect(lines).toContain(`  Painel:        ${url}/painel`);
    expect(lines).toContain(`  Documentação:  ${url}/docs`);
    const appLine = lines.find((line) => line.startsWith('  App demo:'));
    expect(appLine).toMatch(new RegExp(`^  App demo: +${url.replace(/[.]/g, '\\.')}/demo\\?app=app_sbx_[A-Za-z0-9_-]+$`));
    const appId = new URL(appLine!.split(/ +/).at(-1)!).searchParams.get('app')!;
    expect(first.stdout).toContain('Demo criada (exibida só agora — guarde):');

    // The id printed is the demo's Sandbox app: the app API answers it with the demo's forms and funcionalidades.
    const configuracao = await request(`http://127.0.0.1:${port}/app/v1/configuracao`, { headers: { 'x-app-id': appId } });
    expect(configuracao.statusCode).toBe(200);
    const config = (await configuracao.body.json()) as { cliente: { nome: string }; formularios: { login: { nome: string } }; funcionalidades: { nome: string }[] };
    expect(config.cliente.nome).toBe('Operadora Demo');
    expect(config.formularios.login.nome).toBe('Login por CPF (demo)');
    expect(config.funcionalidades.map((f) => f.nome).sort()).toEqual(['Boas-vindas', 'Reembolso', 'Telemedicina']);
    const simulador = join(env.PONTE_DATA_DIR as string, 'simulador.json');
    expect(statSync(simulador).mode & 0o777).toBe(0o600);

    first.server.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startDemo(env);
    try {
      const port2 = /Ponte no ar em http:\/\/localhost:(\d+)/.exec(second.stdout)![1];
      const lines2 = second.stdout.split('\n');
      expect(lines2).toContain(`  Painel:        http://localhost:${port2}/painel`);
      expect(lines2).toContain(`  App demo:      http://localhost:${port2}/demo?app=${appId}`);
      expect(lines2).toContain(`  Documentação:  http://localhost:${port2}/docs`);
      expect(second.stdout).toMatch(/Demo já preparada em /);
      expect(second.stdout).not.toContain('Demo criada');
      expect(second.stdout).not.toContain('ptk_');
    } finally {
      second.server.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });
});
