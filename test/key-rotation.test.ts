import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.ts';
import type { Keyring } from '../src/platform/keyring.ts';
import { randomKeyring } from '../src/platform/keyring.ts';
import { createSecretBox } from '../src/platform/crypto.ts';
import { resealAll, sealedStatus } from '../src/platform/reseal.ts';
import { sealedColumns } from '../src/sealed-columns.ts';
import { seedPeople, type SeedPerson } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { appClient, operadoraAt, startFlow, type Operadora } from '../src/modules/recuperacao/recuperacao.test-support.ts';
import { modelosPadrao } from '../src/modules/mensagens/modelos.ts';
import { loginAs } from './support/fixtures.ts';
import { openTestDatabase, type TestDatabase } from './support/infrastructure.ts';
import { startRecordingServer } from './support/recording-server.ts';
import { startSmtpStandIn } from './support/smtp-server.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * A master-key rotation finished end to end (issue 10, "Key rotation you can finish"): values
 * sealed under k1, a node restarted with [k2, k1], `resealAll` interrupted and resumed, then a node
 * with k2 alone still opens every secret — sessions, chaves passe, grupo senha, secret headers,
 * the SMS provider's token and the cliente's SMTP URL — and the central de logs still finds
 * entries by user key (its index key is stable).
 */

const [ana] = seedPeople as [SeedPerson];
const SEGREDO = `segredo-${randomBytes(6).toString('hex')}`;
const SMS_TOKEN = `token-sms-${randomBytes(6).toString('hex')}`;
const SMTP_PASS = `senha-smtp-${randomBytes(6).toString('hex')}`;
const sistema = { plataforma: 'android', versaoApp: '3.2.1', dispositivo: 'Pixel 8', idioma: 'pt-BR' };

const masterKey = (version: string) => ({ version, key: randomBytes(32) });

describe('master-key rotation: ponte keys reseal', () => {
  let sim: OperatorSimulator;
  let database: TestDatabase;
  let zenvia: Awaited<ReturnType<typeof startRecordingServer>>;
  let smtp: Awaited<ReturnType<typeof startSmtpStandIn>>;
  const k1 = masterKey('k1');
  const k2 = masterKey('k2');
  const jwtKeys = randomKeyring().jwtKeys;
  const ring = (...masterKeys: Keyring['masterKeys']): Keyring => ({ masterKeys, jwtKeys });

  let op: Operadora;
  let session: string;
  let chavePasse: string;
  let chaveFuncionalidade: string;
  let token: string;
  let phaseOneEnd: number;

  const open = (keyring: Keyring) => createTestApp({ database, keyring });

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
    database = await openTestDatabase();
    zenvia = await startRecordingServer({ id: 'zv-1' });
    smtp = await startSmtpStandIn({ user: 'cliente', pass: SMTP_PASS });

    // Under k1 alone: a grupo senha, a secret header, a session, a chave passe, a recovery flow, Envio de mensagens secrets.
    const t = await open(ring(k1));
    try {
      op = await operadoraAt(t, sim);
      const base = `/painel/api/clientes/${op.clienteId}/instancias/1`;
      const integracao = await t.app.inject({ method: 'GET', url: `${base}/integracao`, headers: op.painel });
      const saved = await t.app.inject({
        method: 'PUT',
        url: `${base}/integracao`,
        headers: op.painel,
        payload: { baseUrl: sim.url, grupoId: integracao.json().grupoId, metodos: {}, headers: [{ nome: 'X-Segredo', valor: SEGREDO, secreto: true }] },
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const funcionalidade = await t.app.inject({ method: 'POST', url: `${base}/funcionalidades`, headers: op.painel, payload: { nome: 'Carteirinha', url: 'https://webview.operadora.example/carteirinha' } });
      expect(funcionalidade.statusCode, funcionalidade.body).toBe(201);
      chaveFuncionalidade = funcionalidade.json().chaveFuncionalidade;
      const envio = await t.app.inject({
        method: 'PUT',
        url: `${base}/envio-mensagens`,
        headers: op.painel,
        payload: { sms: { provedor: 'zenvia', url: zenvia.url, remetente: 'operadora', apiToken: SMS_TOKEN }, email: { remetenteEndereco: 'codigos@operadora.test', smtpUrl: smtp.url }, modelos: modelosPadrao },
      });
      expect(envio.statusCode, envio.body).toBe(200);

      const client = appClient(t, op.appId);
      const login = await client.login({ login: ana.cpf, senha: ana.senha });
      expect(login.statusCode, login.body).toBe(201);
      session = login.json().token;
      const aberta = await t.app.inject({
        method: 'POST',
        url: `/app/v1/funcionalidades/${chaveFuncionalidade}/abrir`,
        headers: { 'x-app-id': op.appId, authorization: `Bearer ${session}` },
        payload: { sistema },
      });
      expect(aberta.statusCode, aberta.body).toBe(200);
      chavePasse = new URL(aberta.json().url).searchParams.get('chavePasse')!;
      await startFlow(client, ana);
      token = (await t.services.tokens.create({ clienteId: op.clienteId, apis: ['chavePasse'], descricao: 'rotação', actor: { userId: null, label: 'teste' } })).plaintext;
    } finally {
      await t.close();
      phaseOneEnd = Date.now();
    }
  });

  afterAll(async () => {
    await sim?.close();
    await zenvia?.close();
    await smtp?.close();
    await database?.dispose();
  });

  it('counts what each key seals, re-seals in resumable batches, and the old key can then go', async () => {
    const rotated = createSecretBox([k2, k1]);
    const before = await sealedStatus({ db: database.db, secretBox: rotated, columns: sealedColumns });
    for (const coluna of ['chaves_derivadas.chave_selada', 'grupos_autorizacao.senha_selada', 'integracoes.headers_json', 'app_sessions.perfil_selado', 'chaves_passe.sistema_selado', 'recuperacoes.estado_selado', 'envio_mensagens.sms_segredos_selado', 'envio_mensagens.smtp_url_selado']) {
      const status = before.find((s) => s.coluna === coluna)!;
      expect(status.total, coluna).toBeGreaterThan(0);
      expect(status.restantes, coluna).toBe(status.total);
      expect(Object.keys(status.versoes), coluna).toEqual(['k1']);
    }

    // Interrupted after its first batch of one row…
    const stop = new Error('interrompido');
    await expect(resealAll({ db: database.db, secretBox: rotated, columns: sealedColumns, batchSize: 1, onBatch: () => { throw stop; } })).rejects.toBe(stop);
    const partial = await sealedStatus({ db: database.db, secretBox: rotated, columns: sealedColumns });
    expect(partial.reduce((sum, s) => sum + s.restantes, 0)).toBe(before.reduce((sum, s) => sum + s.restantes, 0) - 1);

    // …and run again: it picks up what is left and finishes.
    const reports = await resealAll({ db: database.db, secretBox: rotated, columns: sealedColumns, batchSize: 2 });
    expect(reports.every((r) => r.falhas === 0 && r.restantes === 0), JSON.stringify(reports)).toBe(true);
    expect(reports.reduce((sum, r) => sum + r.reseladas, 0)).toBe(before.reduce((sum, s) => sum + s.restantes, 0) - 1);
    const after = await sealedStatus({ db: database.db, secretBox: rotated, columns: sealedColumns });
    for (const status of after) expect(Object.keys(status.versoes).filter((v) => v !== 'k2'), status.coluna).toEqual([]);

    // A node with k2 alone opens everything sealed before the rotation.
    const t = await open(ring(k2));
    try {
      const atual = await t.app.inject({ method: 'GET', url: '/app/v1/sessoes/atual', headers: { 'x-app-id': op.appId, authorization: `Bearer ${session}` } });
      expect(atual.statusCode, atual.body).toBe(200);
      const dados = await t.app.inject({
        method: 'GET',
        url: `/clientes/chavePasse/sistema?instanciaApp=1&chavePasse=${chavePasse}&chaveFuncionalidade=${chaveFuncionalidade}`,
        headers: { authorization: token },
      });
      expect(dados.statusCode, dados.body).toBe(200);
      expect(dados.json().data).toMatchObject({ plataforma: 'android', dispositivo: 'Pixel 8' });

      // A new login: the grupo senha opens (a fresh key-value store, so /autorizacao is called) and the secret header is sent.
      const autorizacoes = sim.calls().autorizacao.count;
      const login = await appClient(t, op.appId).login({ login: ana.cpf, senha: ana.senha });
      expect(login.statusCode, login.body).toBe(201);
      expect(sim.calls().autorizacao.count).toBe(autorizacoes + 1);
      expect(sim.calls().login.lastHeaders?.['x-segredo']).toBe(SEGREDO);

      // The user-key index survived: entries written under k1 are still found by the person's CPF.
      const painel = (await loginAs(t, { clienteId: op.clienteId, role: 'leitor' })).headers;
      const logs = await t.app.inject({
        method: 'GET',
        url: `/painel/api/clientes/${op.clienteId}/logs?instancia=1&operacao=login&ate=${phaseOneEnd}&chaveUsuario=${ana.cpf}`,
        headers: painel,
      });
      expect(logs.statusCode, logs.body).toBe(200);
      expect(logs.json().total).toBe(1);

      // Envio de mensagens: the SMS token and the SMTP URL (with its password) open and are used.
      const admin = (await loginAs(t, { clienteId: op.clienteId, role: 'admin' })).headers;
      const teste = (payload: object) => t.app.inject({ method: 'POST', url: `/painel/api/clientes/${op.clienteId}/instancias/1/envio-mensagens/teste`, headers: admin, payload });
      const sms = await teste({ canal: 'sms', destino: '(21) 98765-4321' });
      expect(sms.statusCode, sms.body).toBe(200);
      expect(sms.json()).toMatchObject({ ok: true, provedor: 'zenvia', tentativas: 1 });
      expect(zenvia.received).toHaveLength(1);
      expect(zenvia.received[0]!.headers['x-api-token']).toBe(SMS_TOKEN);
      const email = await teste({ canal: 'email', destino: 'pessoa@operadora.test' });
      expect(email.statusCode, email.body).toBe(200);
      expect(email.json()).toMatchObject({ ok: true, provedor: 'smtp-cliente', tentativas: 1 });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.user).toBe('cliente');
      expect(smtp.received[0]!.to).toEqual(['pessoa@operadora.test']);
    } finally {
      await t.close();
    }
  });

  it('leaves a value no key opens untouched and reports it as a failure, not as done', async () => {
    const grupo = await database.db.selectFrom('grupos_autorizacao').select(['id', 'senha_selada']).where('cliente_id', '=', op.clienteId).executeTakeFirstOrThrow();
    const foreign = createSecretBox([masterKey('k0')]).seal('outra', 'grupo:x');
    await database.db.updateTable('grupos_autorizacao').set({ senha_selada: foreign }).where('id', '=', grupo.id).execute();
    try {
      const reports = await resealAll({ db: database.db, secretBox: createSecretBox([k2]), columns: sealedColumns, batchSize: 10 });
      expect(reports.find((r) => r.coluna === 'grupos_autorizacao.senha_selada')).toMatchObject({ reseladas: 0, falhas: 1, restantes: 1 });
      const stored = await database.db.selectFrom('grupos_autorizacao').select('senha_selada').where('id', '=', grupo.id).executeTakeFirstOrThrow();
      expect(stored.senha_selada).toBe(foreign);
    } finally {
      await database.db.updateTable('grupos_autorizacao').set({ senha_selada: grupo.senha_selada }).where('id', '=', grupo.id).execute();
    }
  });
});

describe('ponte keys status / reseal (CLI)', () => {
  const saved = { ...process.env };
  let dataDir: string;
  const key = (version: string) => `${version}:${randomBytes(32).toString('base64')}`;
  const [k1, k2] = [key('k1'), key('k2')];

  async function ponte(args: string[], masterKeys: string) {
    Object.assign(process.env, { PONTE_DATA_DIR: dataDir, PONTE_MASTER_KEYS: masterKeys, PONTE_JWT_KEYS: key('j1'), LOG_LEVEL: 'silent' });
    // SQLite in the data folder, whatever storage the rest of the suite runs on.
    delete process.env.DATABASE_URL;
    delete process.env.REDIS_URL;
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { result: (json, data, human) => (stdout += `${json ? JSON.stringify(data) : human()}\n`), error: (message) => (stderr += `${message}\n`) });
    return { code, stdout, stderr };
  }

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ponte-keys-'));
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports what the old key still seals, re-seals it, and then nothing is left', async () => {
    expect(await ponte(['cliente', 'create', '--nome', 'Operadora Rotação'], k1)).toMatchObject({ code: 0 });

    const before = await ponte(['--json', 'keys', 'status'], `${k2},${k1}`);
    expect(before.code, before.stderr).toBe(0);
    const derivadas = JSON.parse(before.stdout).colunas.find((c: { coluna: string }) => c.coluna === 'chaves_derivadas.chave_selada');
    expect(derivadas).toMatchObject({ total: 4, restantes: 4, versoes: { k1: 4 } });

    const resealed = await ponte(['keys', 'reseal', '--lote', '2'], `${k2},${k1}`);
    expect(resealed.code, resealed.stderr).toBe(0);
    expect(resealed.stdout).toContain('Nada restou com chaves antigas');

    const after = await ponte(['--json', 'keys', 'status'], k2);
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout).colunas.find((c: { coluna: string }) => c.coluna === 'chaves_derivadas.chave_selada')).toMatchObject({ total: 4, restantes: 0, versoes: { k2: 4 } });
  });

  it('refuses a batch size out of range in Portuguese', async () => {
    const run = await ponte(['keys', 'reseal', '--lote', '0'], k1);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--lote deve ser um inteiro entre 1 e 10000');
  });
});
