import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { seedPeople } from '../simulator/seed-data.ts';
import { createBeneficiaryPortal, type BeneficiaryPortal } from '../simulator/portal.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../simulator/simulator.ts';
import { WEBVIEW_PATH } from '../simulator/webview.ts';
import { DEMO_ADMIN_EMAIL, seedDemo } from './demo.ts';

/**
 * The demo seed of `npm start` over real storage, the operator simulator and the portal do
 * beneficiário: what it creates for the beneficiary demo app and for the portal, that a second
 * start changes nothing, that a demo folder from before the demo app is completed on start, and
 * that the demo follows the simulator and the portal to other ports.
 */

const ana = seedPeople[0]!;
const formatCpf = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
const actor = { userId: null, label: 'teste' };

type Record = { clienteId: string; formularios?: { [k: string]: string }; funcionalidades?: { [k: string]: string } };

const portalLine = (url: string) => `  Portal do beneficiário (embutir): ${url}/  — o site da operadora abre a sessão pelo chaveAuth e embute Boas-vindas`;

describe('demo seed', () => {
  let sim: OperatorSimulator;
  let portal: BeneficiaryPortal;
  let t: TestApp;
  let dataDir: string;
  let urls: { simulatorUrl: string; portalUrl: string };

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
    portal = await createBeneficiaryPortal({ port: 0 });
    urls = { simulatorUrl: sim.url, portalUrl: portal.url };
  });
  afterAll(async () => {
    await sim?.close();
    await portal?.close();
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
    const seeded = await seedDemo(t.services, { dataDir, ...urls });
    expect(seeded.created).toBe(true);
    const { clienteId, formularios, funcionalidades } = recordOf();
    const cliente = (await t.services.clientes.get(clienteId))!;
    expect(seeded.appId).toBe(cliente.instancias.find((i) => i.numero === 1)!.appId);
    expect(await counts(clienteId)).toEqual({ formularios: 3, funcionalidades: 3, tokens: 3, origens: 2 });
    expect(Object.keys(formularios!).sort()).toEqual(['login', 'recuperarSenhaIdentificacao', 'trocarSenha']);
    expect((await t.services.origens.list(clienteId)).map((o) => o.origem).sort()).toEqual([sim.url, portal.url].sort());

    // The simulator's token: kept only in simulador.json (0600), and it is a chavePasse token of the demo cliente.
    const file = join(dataDir, 'simulador.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).token).toBe(seeded.simulatorToken);
    expect(await t.services.tokens.verifyPlaintext(seeded.simulatorToken)).toMatchObject({ clienteId, apis: ['chavePasse'] });
    expect(statSync(join(dataDir, 'demo.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'demo.json'), 'utf8')).not.toContain(seeded.simulatorToken);

    // The portal do beneficiário: its token (only in portal.json, 0600) has just the seguranca API,
    // elegibilidade is active in the Sandbox, and chaveAuth opens a session for a seeded person.
    const portalFile = join(dataDir, 'portal.json');
    expect(statSync(portalFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(portalFile, 'utf8')).token).toBe(seeded.portal.token);
    expect(await t.services.tokens.verifyPlaintext(seeded.portal.token)).toMatchObject({ clienteId, apis: ['seguranca'] });
    expect(readFileSync(join(dataDir, 'demo.json'), 'utf8')).not.toContain(seeded.portal.token);
    expect((await t.services.integracoes.get(clienteId, 1))!.elegibilidadeAtiva).toBe(true);
    const chaveAuth = await t.app.inject({
      method: 'POST',
      url: '/clientes/utilitarios/seguranca/chaveAuth?instanciaApp=1',
      headers: { authorization: seeded.portal.token },
      payload: { chaveUnica: ana.cpf },
    });
    expect(chaveAuth.statusCode, chaveAuth.body).toBe(200);
    expect(seeded.lines).toContain(portalLine(portal.url));
    expect(seeded.lines.join('\n')).not.toContain(seeded.portal.token);

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
    expect(seeded.portal).toMatchObject({ chaveFuncionalidade: boasVindas.chave, funcionalidadeUrl: boasVindas.url });

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
    const first = await seedDemo(t.services, { dataDir, ...urls });
    const { clienteId } = recordOf();
    const before = { counts: await counts(clienteId), record: recordOf(), audit: await auditCount(t, clienteId) };

    const second = await seedDemo(t.services, { dataDir, ...urls });
    expect(second.created).toBe(false);
    expect(second.appId).toBe(first.appId);
    expect(second.simulatorToken).toBe(first.simulatorToken);
    expect(second.portal).toEqual(first.portal);
    expect(await counts(clienteId)).toEqual(before.counts);
    expect(recordOf()).toEqual(before.record);
    // Nothing was re-saved either: no new audit entry.
    expect(await auditCount(t, clienteId)).toBe(before.audit);
    expect(second.lines).toEqual([
      expect.stringMatching(/^Demo já preparada em .+: entre com admin@ponte\.local/),
      `  Beneficiário de teste (app demo): CPF ${ana.cpf} / senha ${ana.senha} (${ana.nome}); todos: npx ponte operator-sim --list-users`,
      portalLine(portal.url),
    ]);
    expect(second.lines.join('\n')).not.toContain(first.simulatorToken);
    expect(second.lines.join('\n')).not.toContain(first.portal.token);
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

    const upgraded = await seedDemo(services, { dataDir, ...urls });
    expect(upgraded.created).toBe(false);
    expect(upgraded.appId).toBe(cliente.instancias.find((i) => i.numero === 1)!.appId);
    expect(upgraded.lines[0]).toBe('Demo já preparada em 2025-01-02T03:04:05.000Z: entre com admin@ponte.local (senha exibida na primeira execução; esqueceu? npx ponte --dev admin senha --email admin@ponte.local).');
    expect(upgraded.lines[1]).toMatch(/^Demo atualizada: .*"Login por CPF \(demo\)".*"Boas-vindas".*token do cliente da página de exemplo.*elegibilidade ativa na Sandbox, token do cliente do portal do beneficiário\.$/);
    expect(await counts(cliente.id)).toEqual({ formularios: 3, funcionalidades: 3, tokens: 3, origens: 2 });
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
    const again = await seedDemo(services, { dataDir, ...urls });
    expect(again.lines.map((line) => line.split(':')[0])).toEqual(['Demo já preparada em 2025-01-02T03', '  Beneficiário de teste (app demo)', '  Portal do beneficiário (embutir)']);
    expect(again.simulatorToken).toBe(upgraded.simulatorToken);
    expect(again.portal.token).toBe(upgraded.portal.token);
    expect(await counts(cliente.id)).toEqual({ formularios: 3, funcionalidades: 3, tokens: 3, origens: 2 });
  });

  it('starts even when the elegibilidade fails its live check, says so, and activates it on the next start', async () => {
    sim.setFault('status-500', { methods: ['elegibilidade'] });
    let first: Awaited<ReturnType<typeof seedDemo>>;
    try {
      first = await seedDemo(t.services, { dataDir, ...urls });
    } finally {
      sim.setFault(null);
    }
    const { clienteId } = recordOf();
    expect((await t.services.integracoes.get(clienteId, 1))!.elegibilidadeAtiva).toBe(false);
    expect(first.lines.at(-1)).toMatch(/^  Atenção: a elegibilidade da Sandbox não foi ativada, e o portal do beneficiário será recusado: A elegibilidade não passou na verificação ao vivo/);

    const second = await seedDemo(t.services, { dataDir, ...urls });
    expect(second.lines[1]).toBe('Demo atualizada: elegibilidade ativa na Sandbox.');
    expect((await t.services.integracoes.get(clienteId, 1))!.elegibilidadeAtiva).toBe(true);
    expect(second.lines.join('\n')).not.toContain('Atenção');
  });

  it('follows the simulator and the portal to other addresses, and replaces their tokens revoked in the painel', async () => {
    const first = await seedDemo(t.services, { dataDir, ...urls });
    const { clienteId, funcionalidades, formularios } = recordOf();
    const moved = await createOperatorSimulator({ port: 0 });
    const movedPortal = await createBeneficiaryPortal({ port: 0 });
    try {
      for (const file of ['simulador.json', 'portal.json']) {
        const tokenId = JSON.parse(readFileSync(join(dataDir, file), 'utf8')).tokenId as string;
        await t.services.tokens.revoke({ clienteId, tokenId, actor });
      }

      const second = await seedDemo(t.services, { dataDir, simulatorUrl: moved.url, portalUrl: movedPortal.url });
      expect(second.lines[1]).toBe('Demo atualizada: token do cliente da página de exemplo do simulador, token do cliente do portal do beneficiário.');
      expect(second.lines).toContain(portalLine(movedPortal.url));
      expect(second.simulatorToken).not.toBe(first.simulatorToken);
      expect(await t.services.tokens.verifyPlaintext(second.simulatorToken)).toMatchObject({ clienteId });
      expect(second.portal.token).not.toBe(first.portal.token);
      expect(await t.services.tokens.verifyPlaintext(second.portal.token)).toMatchObject({ clienteId, apis: ['seguranca'] });
      expect(second.portal.funcionalidadeUrl.startsWith(`${moved.url}${WEBVIEW_PATH}?`)).toBe(true);

      const integracao = (await t.services.integracoes.get(clienteId, 1))!;
      expect(integracao.baseUrl).toBe(moved.url);
      expect(integracao.metodos.login).toEqual({ formularioId: formularios!.login });
      expect((await t.services.grupos.get(clienteId, integracao.grupoId!)).url).toBe(`${moved.url}/autorizacao`);
      for (const id of Object.values(funcionalidades!)) {
        const f = await t.services.funcionalidades.get(clienteId, 1, id);
        expect(f.url).toBe(`${moved.url}${WEBVIEW_PATH}?instanciaApp=1&chaveFuncionalidade=${f.chave}`);
      }
      expect((await t.services.origens.list(clienteId)).map((o) => o.origem).sort()).toEqual([sim.url, portal.url, moved.url, movedPortal.url].sort());
      expect(await counts(clienteId)).toMatchObject({ formularios: 3, funcionalidades: 3 });
      // Elegibilidade stays active when the integração follows the simulator.
      expect((await t.services.integracoes.get(clienteId, 1))!.elegibilidadeAtiva).toBe(true);
    } finally {
      await movedPortal.close();
      await moved.close();
    }
  });
});

async function auditCount(t: TestApp, clienteId: string): Promise<number> {
  const rows = await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('cliente_id', '=', clienteId).executeTakeFirstOrThrow();
  return Number(rows.n);
}
