import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { seedPeople } from '../simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../simulator/simulator.ts';
import { WEBVIEW_PATH } from '../simulator/webview.ts';
import { DEMO_ADMIN_EMAIL, seedDemo } from './demo.ts';

/**
 * The demo seed of `npm start` over real storage and the operator simulator: what it creates for
 * the beneficiary demo app, that a second start changes nothing, that a demo folder from before the
 * demo app is completed on start, and that the demo follows the simulator to another port.
 */

const ana = seedPeople[0]!;
const formatCpf = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
const actor = { userId: null, label: 'teste' };

type Record = { clienteId: string; formularios?: { [k: string]: string }; funcionalidades?: { [k: string]: string } };

describe('demo seed', () => {
  let sim: OperatorSimulator;
  let t: TestApp;
  let dataDir: string;

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim?.close();
  });
  // A fresh database per test: the demo admin's e-mail is unique in a database.
  beforeEach(async () => {
    t = await createTestApp();
    dataDir = mkdtempSync(join(tmpdir(), 'ponte-demo-'));
  });
  afterEach(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const recordOf = (): Record => JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as Record;

  /** What the seed is made of, counted through the services. */
  async function counts(clienteId: string) {
    const { services } = t;
    return {
      formularios: (await services.forms.list(clienteId, 1)).formularios.length,
      funcionalidades: (await services.funcionalidades.list(clienteId, 1)).length,
      tokens: (await services.tokens.list(clienteId)).length,
      origens: (await services.origens.list(clienteId)).length,
    };
  }

  it('creates what the demo app needs, and the app walks it: CPF login with the demo form, Boas-vindas greets at the simulator', async () => {
    const seeded = await seedDemo(t.services, { dataDir, simulatorUrl: sim.url });
    expect(seeded.created).toBe(true);
    const { clienteId, formularios, funcionalidades } = recordOf();
    const cliente = (await t.services.clientes.get(clienteId))!;
    expect(seeded.appId).toBe(cliente.instancias.find((i) => i.numero === 1)!.appId);
    expect(await counts(clienteId)).toEqual({ formularios: 3, funcionalidades: 3, tokens: 2, origens: 1 });
    expect(Object.keys(formularios!).sort()).toEqual(['login', 'recuperarSenhaIdentificacao', 'trocarSenha']);
    expect((await t.services.origens.list(clienteId)).map((o) => o.origem)).toEqual([sim.url]);

    // The simulator's token: kept only in simulador.json (0600), and it is a chavePasse token of the demo cliente.
    const file = join(dataDir, 'simulador.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).token).toBe(seeded.simulatorToken);
    expect(await t.services.tokens.verifyPlaintext(seeded.simulatorToken)).toMatchObject({ clienteId, apis: ['chavePasse'] });
    expect(statSync(join(dataDir, 'demo.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'demo.json'), 'utf8')).not.toContain(seeded.simulatorToken);

    // The forms are the ones the app gets; the funcionalidades point at the sample page with their own key.
    const app = { 'x-app-id': seeded.appId };
    const configuracao = await t.app.inject({ method: 'GET', url: '/app/v1/configuracao', headers: app });
    expect(configuracao.statusCode).toBe(200);
    const config = configuracao.json();
    expect(config.formularios.login).toEqual({ nome: 'Login por CPF (demo)', campos: [expect.objectContaining({ nome: 'login', tipo: 'cpf' }), expect.objectContaining({ nome: 'senha', tipo: 'senha' })] });
    expect(config.formularios.recuperarSenhaIdentificacao.nome).toBe('Identificação por CPF e nascimento (demo)');
    expect(config.formularios.trocarSenha.nome).toBe('Trocar senha (demo)');
    expect(config.recursos).toEqual({ login: true, recuperarSenha: true, trocarSenha: true });
    expect(config.funcionalidades.map((f: { nome: string }) => f.nome).sort()).toEqual(['Boas-vindas', 'Reembolso', 'Telemedicina']);
    const boasVindas = await t.services.funcionalidades.get(clienteId, 1, funcionalidades!.boasVindas!);
    expect(boasVindas.url).toBe(`${sim.url}${WEBVIEW_PATH}?instanciaApp=1&chaveFuncionalidade=${boasVindas.chave}`);

    const login = await t.app.inject({ method: 'POST', url: '/app/v1/sessoes', headers: app, payload: { campos: { login: formatCpf(ana.cpf), senha: ana.senha } } });
    expect(login.statusCode, login.body).toBe(201);
    const session = login.json();
    // For the titular, Reembolso is blocked and Telemedicina hidden (the simulator's permissoes).
    expect(session.funcionalidades.map((f: { nome: string; bloqueada: boolean }) => [f.nome, f.bloqueada])).toEqual([
      ['Boas-vindas', false],
      ['Reembolso', true],
    ]);
    const abrir = await t.app.inject({
      method: 'POST',
      url: `/app/v1/funcionalidades/${boasVindas.chave}/abrir`,
      headers: { ...app, authorization: `Bearer ${session.token}` },
      payload: { sistema: { plataforma: 'web', versaoApp: 'demo' } },
    });
    expect(abrir.statusCode, abrir.body).toBe(200);

    const ponteUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    sim.setPonte({ url: ponteUrl, token: seeded.simulatorToken });
    try {
      const page = await request(abrir.json().url as string);
      expect(page.statusCode).toBe(200);
      expect(await page.body.text()).toContain(`Olá, ${ana.nome}!`);
    } finally {
      sim.setPonte(undefined);
    }
  });

  it('a second start changes nothing: same counts, same app id and simulator token, no secret printed', async () => {
    const first = await seedDemo(t.services, { dataDir, simulatorUrl: sim.url });
    const { clienteId } = recordOf();
    const before = { counts: await counts(clienteId), record: recordOf(), audit: await auditCount(t, clienteId) };

    const second = await seedDemo(t.services, { dataDir, simulatorUrl: sim.url });
    expect(second.created).toBe(false);
    expect(second.appId).toBe(first.appId);
    expect(second.simulatorToken).toBe(first.simulatorToken);
    expect(await counts(clienteId)).toEqual(before.counts);
    expect(recordOf()).toEqual(before.record);
    // Nothing was re-saved either: no new audit entry.
    expect(await auditCount(t, clienteId)).toBe(before.audit);
    expect(second.lines).toEqual([
      expect.stringMatching(/^Demo já preparada em .+: entre com admin@ponte\.local/),
      `  Beneficiário de teste (app demo): CPF ${ana.cpf} / senha ${ana.senha} (${ana.nome}); todos: npx ponte operator-sim --list-users`,
    ]);
    expect(second.lines.join('\n')).not.toContain(first.simulatorToken);
  });

  it('completes a demo folder created before the demo app (demo.json without forms or funcionalidades), once', async () => {
    // What the earlier seed left: cliente, admin, grupo, token, an integração without forms, and this record.
    const { services } = t;
    const cliente = await services.clientes.create({ nome: 'Operadora Demo' });
    await services.users.create({ email: DEMO_ADMIN_EMAIL, nome: 'Administrador da demo', senha: 'senha-antiga-123', isPlatformAdmin: true, actor });
    const grupo = await services.grupos.create({ clienteId: cliente.id, instancia: 1, nome: 'Grupo da operadora demo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo', actor });
    const token = await services.tokens.create({ clienteId: cliente.id, apis: ['chavePasse', 'seguranca'], descricao: 'Token da demo', actor });
    await services.integracoes.save({ clienteId: cliente.id, instancia: 1, baseUrl: sim.url, grupoId: grupo.id, metodos: {}, headers: [{ nome: 'x-canal', valor: 'app', secreto: false }], actor });
    const old = { clienteId: cliente.id, adminEmail: DEMO_ADMIN_EMAIL, grupoId: grupo.id, tokenId: token.token.id, seededAt: '2025-01-02T03:04:05.000Z' };
    writeFileSync(join(dataDir, 'demo.json'), `${JSON.stringify(old, null, 2)}\n`, { mode: 0o600 });
    expect(existsSync(join(dataDir, 'simulador.json'))).toBe(false);

    const upgraded = await seedDemo(services, { dataDir, simulatorUrl: sim.url });
    expect(upgraded.created).toBe(false);
    expect(upgraded.appId).toBe(cliente.instancias.find((i) => i.numero === 1)!.appId);
    expect(upgraded.lines[0]).toBe('Demo já preparada em 2025-01-02T03:04:05.000Z: entre com admin@ponte.local (senha exibida na primeira execução).');
    expect(upgraded.lines[1]).toMatch(/^Demo atualizada para o app demo: .*"Login por CPF \(demo\)".*"Boas-vindas".*token do cliente da página de exemplo/);
    expect(await counts(cliente.id)).toEqual({ formularios: 3, funcionalidades: 3, tokens: 2, origens: 1 });
    const record = recordOf();
    expect(record).toMatchObject({ ...old, formularios: expect.any(Object), funcionalidades: expect.any(Object) });

    // The integração now uses the demo forms, and kept what it had.
    const integracao = (await services.integracoes.get(cliente.id, 1))!;
    expect(integracao.metodos).toEqual({
      login: { formularioId: record.formularios!.login },
      recuperarSenhaIdentificacao: { formularioId: record.formularios!.recuperarSenhaIdentificacao },
      trocarSenha: { formularioId: record.formularios!.trocarSenha },
    });
    expect(integracao.headers.map((h) => [h.nome, h.valor])).toEqual([['x-canal', 'app']]);
    expect(integracao.grupoId).toBe(grupo.id);

    // And the next start is a plain restart.
    const again = await seedDemo(services, { dataDir, simulatorUrl: sim.url });
    expect(again.lines.map((line) => line.split(':')[0])).toEqual(['Demo já preparada em 2025-01-02T03', '  Beneficiário de teste (app demo)']);
    expect(again.simulatorToken).toBe(upgraded.simulatorToken);
    expect(await counts(cliente.id)).toEqual({ formularios: 3, funcionalidades: 3, tokens: 2, origens: 1 });
  });

  it('follows the simulator to another address, and replaces a simulator token revoked in the painel', async () => {
    const first = await seedDemo(t.services, { dataDir, simulatorUrl: sim.url });
    const { clienteId, funcionalidades, formularios } = recordOf();
    const moved = await createOperatorSimulator({ port: 0 });
    try {
      const tokenId = JSON.parse(readFileSync(join(dataDir, 'simulador.json'), 'utf8')).tokenId as string;
      await t.services.tokens.revoke({ clienteId, tokenId, actor });

      const second = await seedDemo(t.services, { dataDir, simulatorUrl: moved.url });
      expect(second.lines[1]).toBe('Demo atualizada para o app demo: token do cliente da página de exemplo do simulador.');
      expect(second.simulatorToken).not.toBe(first.simulatorToken);
      expect(await t.services.tokens.verifyPlaintext(second.simulatorToken)).toMatchObject({ clienteId });

      const integracao = (await t.services.integracoes.get(clienteId, 1))!;
      expect(integracao.baseUrl).toBe(moved.url);
      expect(integracao.metodos.login).toEqual({ formularioId: formularios!.login });
      expect((await t.services.grupos.get(clienteId, integracao.grupoId!)).url).toBe(`${moved.url}/autorizacao`);
      for (const id of Object.values(funcionalidades!)) {
        const f = await t.services.funcionalidades.get(clienteId, 1, id);
        expect(f.url).toBe(`${moved.url}${WEBVIEW_PATH}?instanciaApp=1&chaveFuncionalidade=${f.chave}`);
      }
      expect((await t.services.origens.list(clienteId)).map((o) => o.origem).sort()).toEqual([sim.url, moved.url].sort());
      expect(await counts(clienteId)).toMatchObject({ formularios: 3, funcionalidades: 3 });
    } finally {
      await moved.close();
    }
  });
});

async function auditCount(t: TestApp, clienteId: string): Promise<number> {
  const rows = await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('cliente_id', '=', clienteId).executeTakeFirstOrThrow();
  return Number(rows.n);
}
