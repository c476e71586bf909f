import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { newId } from '../../platform/ids.ts';
import { defaultFormFor } from '../forms/forms.defaults.ts';
import { createGruposRepo } from '../grupos/grupos.repo.ts';
import { grupoSenhaAad } from '../grupos/grupo-senha.ts';
import { createIntegracoesRepo } from '../integracoes/integracoes.repo.ts';

/**
 * "Copiar Sandbox → Produção": the comparison item by item (secrets only as "segredo definido" /
 * "não definido", never compared),
 * grupos and formulários linked by name, Produção's rules blocking the copy, the copy itself
 * (secrets sealed again for Produção), and who may do it.
 */

type Session = Awaited<ReturnType<typeof loginAs>>;
type Item = { campo: string; rotulo: string; sandbox: string | null; producao: string | null; muda: boolean; observacao: string | null };

const SEGREDO_SANDBOX = 'segredo-sandbox-7c41e9';
const SEGREDO_PRODUCAO = 'segredo-producao-2b8d30';
const actor = { userId: null, label: 'teste' };

/** A grupo at the operator's site inserted as it is stored (no live check), its senha sealed the way the painel seals it. */
async function insertGrupo(t: TestApp, input: { clienteId: string; instancia: 1 | 2; nome: string; senha: string }): Promise<string> {
  const id = newId('grupo');
  const url = 'https://auth.operadora-exemplo.com.br/autorizacao';
  const now = Date.now();
  await createGruposRepo(t.database.db).insert({
    id,
    clienteId: input.clienteId,
    instancia: input.instancia,
    nome: input.nome,
    url,
    usuario: 'ponte',
    senhaSelada: t.services.secretBox.seal(input.senha, grupoSenhaAad(id, url)),
    ttlSegundos: 3600,
    status: 'ativo',
    ultimaRenovacaoEm: null,
    ultimoErro: null,
    ultimoErroEm: null,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

describe('copiar a integração da Sandbox para Produção', () => {
  let t: TestApp;
  let platformAdmin: Session;

  const url = (clienteId: string) => `/painel/api/clientes/${clienteId}/integracao/copia-para-producao`;
  const compare = (who: Pick<Session, 'cookieHeader'> | undefined, clienteId: string) =>
    t.app.inject({ method: 'GET', url: url(clienteId), headers: who ? { cookie: who.cookieHeader } : {} });
  const apply = (who: Pick<Session, 'headers'> | undefined, clienteId: string, payload: unknown = { confirmar: true }) =>
    t.app.inject({ method: 'POST', url: url(clienteId), headers: who?.headers ?? {}, payload: payload as object });
  const ok = (response: LightMyRequestResponse) => {
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { itens: Item[]; problemas: { campo: string; mensagem: string }[]; avisos: { campo: string; mensagem: string }[]; mudancas: number; podeAplicar: boolean; versaoProducao: number | null; sandboxConfigurada: boolean; producaoConfigurada: boolean };
  };
  const expectError = (response: LightMyRequestResponse, status: number, code: string) => {
    expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status, code });
    return response.json().error as { message: string; details?: { field?: string; message: string }[] };
  };
  const byCampo = (itens: Item[]) => Object.fromEntries(itens.map((i) => [i.campo, i]));

  const grupo = (clienteId: string, instancia: 1 | 2, nome: string) => insertGrupo(t, { clienteId, instancia, nome, senha: 'senha-do-grupo' });

  async function formulario(clienteId: string, instancia: 1 | 2, nome: string): Promise<string> {
    const created = await t.services.forms.create({ clienteId, instancia, definicao: { ...defaultFormFor('login'), nome }, actor });
    return created.formulario.id;
  }

  /** A Sandbox ready for Produção, and a Produção that differs from it in every kind of item. */
  async function scenario() {
    const cliente = await createCliente(t);
    const [grupoSandbox, grupoProducao, outroGrupoProducao] = [await grupo(cliente.id, 1, 'Principal'), await grupo(cliente.id, 2, 'principal'), await grupo(cliente.id, 2, 'Antigo')];
    const [formSandbox, formProducao] = [await formulario(cliente.id, 1, 'Login por CPF'), await formulario(cliente.id, 2, 'Login por CPF')];
    await t.services.integracoes.save({
      clienteId: cliente.id,
      instancia: 1,
      baseUrl: 'https://api.operadora-exemplo.com.br/mobile',
      timeoutMs: 15_000,
      grupoId: grupoSandbox,
      metodos: { trocarSenha: { url: 'https://senhas.operadora-exemplo.com.br/v2/trocarSenha' }, login: { formularioId: formSandbox } },
      headers: [
        { nome: 'X-Canal', valor: 'app', secreto: false },
        { nome: 'X-Api-Key', valor: SEGREDO_SANDBOX, secreto: true },
      ],
      actor,
    });
    await t.services.integracoes.save({
      clienteId: cliente.id,
      instancia: 2,
      baseUrl: 'https://api-antiga.operadora-exemplo.com.br',
      timeoutMs: 10_000,
      grupoId: outroGrupoProducao,
      metodos: {},
      headers: [
        { nome: 'X-Api-Key', valor: SEGREDO_PRODUCAO, secreto: true },
        { nome: 'X-Legado', valor: 'sim', secreto: false },
      ],
      actor,
    });
    return { cliente, grupoProducao, formProducao };
  }

  beforeAll(async () => {
    t = await createTestApp();
    platformAdmin = await loginAs(t, { platformAdmin: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('compares item by item: URLs, timeout, headers by name, grupo and formulário linked by name', async () => {
    const { cliente } = await scenario();
    const editor = await loginAs(t, { clienteId: cliente.id, role: 'editor' });
    const comparacao = ok(await compare(editor, cliente.id));
    expect(comparacao).toMatchObject({ sandboxConfigurada: true, producaoConfigurada: true, problemas: [], avisos: [], podeAplicar: true });
    expect(comparacao.versaoProducao).toEqual(expect.any(Number));
    const itens = byCampo(comparacao.itens);
    expect(Object.keys(itens)).toEqual([
      'baseUrl',
      'timeoutMs',
      'metodos.login.url',
      'metodos.recuperarSenhaIdentificacao.url',
      'metodos.recuperarSenhaNovaSenha.url',
      'metodos.trocarSenha.url',
      'metodos.elegibilidade.url',
      'grupoId',
      'metodos.login.formularioId',
      'metodos.recuperarSenhaIdentificacao.formularioId',
      'metodos.recuperarSenhaNovaSenha.formularioId',
      'metodos.trocarSenha.formularioId',
      'headers.X-Canal',
      'headers.X-Api-Key',
      'headers.X-Legado',
    ]);
    expect(itens.baseUrl).toMatchObject({ rotulo: 'URL base', sandbox: 'https://api.operadora-exemplo.com.br/mobile', producao: 'https://api-antiga.operadora-exemplo.com.br', muda: true });
    expect(itens.timeoutMs).toMatchObject({ sandbox: '15000', producao: '10000', muda: true });
    expect(itens['metodos.trocarSenha.url']).toMatchObject({ sandbox: 'https://senhas.operadora-exemplo.com.br/v2/trocarSenha', producao: null, muda: true });
    expect(itens['metodos.login.url']).toMatchObject({ sandbox: null, producao: null, muda: false });
    expect(itens.grupoId).toMatchObject({ sandbox: 'Principal', producao: 'Antigo', muda: true, observacao: expect.stringContaining('"principal"') });
    expect(itens['metodos.login.formularioId']).toMatchObject({ sandbox: 'Login por CPF', producao: 'Padrão', muda: true });
    expect(itens['metodos.trocarSenha.formularioId']).toMatchObject({ sandbox: 'Padrão', producao: 'Padrão', muda: false });
    expect(itens['headers.X-Canal']).toMatchObject({ sandbox: 'app', producao: null, muda: true, observacao: 'Será adicionado em Produção.' });
    expect(itens['headers.X-Api-Key']).toMatchObject({ sandbox: 'segredo definido', producao: 'segredo definido', muda: true });
    expect(itens['headers.X-Legado']).toMatchObject({ sandbox: null, producao: 'sim', muda: true, observacao: 'Só existe em Produção: será removido.' });
    expect(comparacao.mudancas).toBe(comparacao.itens.filter((i) => i.muda).length);
  });

  it('never shows a secret value, in the comparison nor in the copy’s answer, and seals it again for Produção', async () => {
    const { cliente } = await scenario();
    const editor = await loginAs(t, { clienteId: cliente.id, role: 'editor' });
    const before = await compare(editor, cliente.id);
    const applied = await apply(editor, cliente.id);
    for (const response of [before, applied]) {
      expect(response.body).not.toContain(SEGREDO_SANDBOX);
      expect(response.body).not.toContain(SEGREDO_PRODUCAO);
    }
    const repo = createIntegracoesRepo(t.database.db);
    const [sandbox, producao] = [await repo.find(cliente.id, 1), await repo.find(cliente.id, 2)];
    const sealedSandbox = sandbox!.headers.find((h) => h.nome === 'X-Api-Key')!.valorSelado;
    const sealedProducao = producao!.headers.find((h) => h.nome === 'X-Api-Key')!.valorSelado;
    expect(sealedProducao).not.toBe(sealedSandbox);
    expect(t.services.integracoes.openHeaders(producao!)).toEqual({ 'X-Canal': 'app', 'X-Api-Key': SEGREDO_SANDBOX });
    const audit = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${cliente.id}/auditoria`, headers: { cookie: editor.cookieHeader } });
    expect(audit.body).not.toContain(SEGREDO_SANDBOX);
    const eventos = (audit.json().eventos as { acao: string; ator: string }[]).filter((e) => e.acao === 'integracao.copiada_da_sandbox');
    expect(eventos).toHaveLength(1);
    expect(eventos[0]!.ator).toBe(editor.email);
  });

  it('applies the copy, then the comparison shows no changes and Produção runs with its own grupo and formulário', async () => {
    const { cliente, grupoProducao, formProducao } = await scenario();
    const admin = await loginAs(t, { clienteId: cliente.id, role: 'admin' });
    const { versaoProducao } = ok(await compare(admin, cliente.id));
    const after = ok(await apply(admin, cliente.id, { confirmar: true, versaoProducao }));
    expect(after.mudancas).toBe(0);
    expect(after.itens.filter((i) => i.muda)).toEqual([]);
    expect(after.podeAplicar).toBe(false);
    expect(ok(await compare(admin, cliente.id))).toEqual(after);

    const producao = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${cliente.id}/instancias/2/integracao`, headers: { cookie: admin.cookieHeader } });
    expect(producao.json()).toMatchObject({
      baseUrl: 'https://api.operadora-exemplo.com.br/mobile',
      timeoutMs: 15_000,
      grupoId: grupoProducao,
      headers: [
        { nome: 'X-Canal', secreto: false, valor: 'app' },
        { nome: 'X-Api-Key', secreto: true, valor: null },
      ],
    });
    const metodos = Object.fromEntries((producao.json().metodos as { metodo: string; url: string | null; formularioId: string | null }[]).map((m) => [m.metodo, m]));
    expect(metodos.login).toMatchObject({ url: null, formularioId: formProducao });
    expect(metodos.trocarSenha).toMatchObject({ url: 'https://senhas.operadora-exemplo.com.br/v2/trocarSenha', formularioId: null });
  });

  it('never compares secrets: Produção holding the same value as Sandbox or another one gives the very same comparison', async () => {
    const comparacoes = [];
    for (const producaoValue of [SEGREDO_SANDBOX, SEGREDO_PRODUCAO]) {
      const { cliente } = await scenario();
      await t.services.integracoes.save({
        clienteId: cliente.id,
        instancia: 2,
        baseUrl: 'https://api-antiga.operadora-exemplo.com.br',
        timeoutMs: 10_000,
        grupoId: null,
        metodos: {},
        headers: [
          { nome: 'X-Api-Key', valor: producaoValue, secreto: true },
          { nome: 'X-Legado', valor: 'sim', secreto: false },
        ],
        actor,
      });
      const { versaoProducao: _versao, ...comparacao } = ok(await compare(platformAdmin, cliente.id));
      expect(byCampo(comparacao.itens)['headers.X-Api-Key']).toEqual({
        campo: 'headers.X-Api-Key',
        rotulo: 'Header X-Api-Key',
        sandbox: 'segredo definido',
        producao: 'segredo definido',
        muda: true,
        observacao: 'Segredos não são comparados: o valor da Sandbox substituirá o de Produção.',
      });
      comparacoes.push(comparacao);
    }
    expect(comparacoes[0]).toEqual(comparacoes[1]);
  });

  it('a secret on one side only is "não definido" on the other; once copied it no longer changes, until Sandbox’s is typed again (even the same value)', async () => {
    const cliente = await createCliente(t);
    const sandbox = (headers: { nome: string; valor?: string; secreto: boolean }[]) =>
      t.services.integracoes.save({ clienteId: cliente.id, instancia: 1, baseUrl: 'https://api.operadora-exemplo.com.br', grupoId: null, metodos: {}, headers, actor });
    await sandbox([{ nome: 'X-Api-Key', valor: SEGREDO_SANDBOX, secreto: true }]);
    await t.services.integracoes.save({
      clienteId: cliente.id,
      instancia: 2,
      baseUrl: 'https://api.operadora-exemplo.com.br',
      grupoId: null,
      metodos: {},
      headers: [{ nome: 'X-So-Producao', valor: SEGREDO_PRODUCAO, secreto: true }],
      actor,
    });
    let itens = byCampo(ok(await compare(platformAdmin, cliente.id)).itens);
    expect(itens['headers.X-Api-Key']).toMatchObject({ sandbox: 'segredo definido', producao: 'não definido', muda: true, observacao: 'Será adicionado em Produção.' });
    expect(itens['headers.X-So-Producao']).toMatchObject({ sandbox: 'não definido', producao: 'segredo definido', muda: true });

    const depois = ok(await apply(platformAdmin, cliente.id));
    expect(depois.mudancas).toBe(0);
    expect(byCampo(depois.itens)['headers.X-Api-Key']).toMatchObject({ sandbox: 'segredo definido', producao: 'segredo definido', muda: false, observacao: null });

    // Saving Sandbox without retyping keeps it the copied value; typing it again (the same value) is a new value to copy.
    await sandbox([{ nome: 'X-Api-Key', secreto: true }]);
    expect(byCampo(ok(await compare(platformAdmin, cliente.id)).itens)['headers.X-Api-Key']!.muda).toBe(false);
    await sandbox([{ nome: 'X-Api-Key', valor: SEGREDO_SANDBOX, secreto: true }]);
    itens = byCampo(ok(await compare(platformAdmin, cliente.id)).itens);
    expect(itens['headers.X-Api-Key']).toMatchObject({ muda: true, observacao: 'Segredos não são comparados: o valor da Sandbox substituirá o de Produção.' });
  });

  it('a copied secret is bound to the URLs it went with: moving Produção to another origin asks for it again', async () => {
    const { cliente } = await scenario();
    ok(await apply(platformAdmin, cliente.id));
    const producao = (await t.services.integracoes.read(cliente.id, 2))!;
    expect(producao.headers.find((h) => h.nome === 'X-Api-Key')!.destinos).toEqual(['https://api.operadora-exemplo.com.br', 'https://senhas.operadora-exemplo.com.br']);
    const keep = producao.headers.map((h) => ({ nome: h.nome, secreto: h.secreto, ...(h.secreto ? {} : { valor: h.valor }) }));
    const moved = await t.app.inject({
      method: 'PUT',
      url: `/painel/api/clientes/${cliente.id}/instancias/2/integracao`,
      headers: platformAdmin.headers,
      payload: { baseUrl: 'https://outra-operadora.example.com/api', grupoId: null, metodos: { trocarSenha: { url: 'https://senhas.operadora-exemplo.com.br/v2/trocarSenha' } }, headers: keep },
    });
    const error = expectError(moved, 400, 'VALIDATION_FAILED');
    expect(error.details).toEqual([{ field: 'headers[1].valor', message: expect.stringContaining('https://outra-operadora.example.com') }]);
  });

  it('without a same-named grupo or formulário in Produção, keeps Produção’s and says so (not blocking)', async () => {
    const cliente = await createCliente(t);
    const grupoSandbox = await grupo(cliente.id, 1, 'Só na Sandbox');
    const grupoProducao = await grupo(cliente.id, 2, 'De Produção');
    const formSandbox = await formulario(cliente.id, 1, 'Só na Sandbox');
    await t.services.integracoes.save({ clienteId: cliente.id, instancia: 1, baseUrl: 'https://api.operadora-exemplo.com.br', grupoId: grupoSandbox, metodos: { login: { formularioId: formSandbox } }, headers: [], actor });
    await t.services.integracoes.save({ clienteId: cliente.id, instancia: 2, baseUrl: 'https://api.operadora-exemplo.com.br', grupoId: grupoProducao, metodos: {}, headers: [], actor });
    const comparacao = ok(await compare(platformAdmin, cliente.id));
    expect(comparacao.problemas).toEqual([]);
    expect(comparacao.avisos.map((a) => a.campo)).toEqual(['grupoId', 'metodos.login.formularioId']);
    const itens = byCampo(comparacao.itens);
    expect(itens.grupoId).toMatchObject({ sandbox: 'Só na Sandbox', producao: 'De Produção', muda: false, observacao: expect.stringContaining('continua com "De Produção"') });
    expect(itens['metodos.login.formularioId']).toMatchObject({ sandbox: 'Só na Sandbox', producao: 'Padrão', muda: false });

    ok(await apply(platformAdmin, cliente.id));
    const producao = await createIntegracoesRepo(t.database.db).find(cliente.id, 2);
    expect(producao).toMatchObject({ baseUrl: 'https://api.operadora-exemplo.com.br', grupoId: grupoProducao, metodos: {} });
  });

  it('blocks a Sandbox that Produção’s rules refuse (http, loopback): listed as problemas, POST is 400 and Produção is untouched', async () => {
    const cliente = await createCliente(t);
    await t.services.integracoes.save({
      clienteId: cliente.id,
      instancia: 1,
      baseUrl: 'http://localhost:3001',
      grupoId: null,
      metodos: { login: { url: 'http://127.0.0.1:3001/api/login' } },
      headers: [],
      actor,
    });
    const comparacao = ok(await compare(platformAdmin, cliente.id));
    expect(comparacao.podeAplicar).toBe(false);
    expect(comparacao.problemas.map((p) => p.campo)).toEqual(['baseUrl', 'metodos.login.url']);
    for (const problema of comparacao.problemas) expect(problema.mensagem).toContain('https://');
    const error = expectError(await apply(platformAdmin, cliente.id), 400, 'VALIDATION_FAILED');
    expect(error.details?.map((d) => d.field)).toEqual(['baseUrl', 'metodos.login.url']);
    expect(await createIntegracoesRepo(t.database.db).find(cliente.id, 2)).toBeUndefined();
  });

  it('has nothing to copy from an unconfigured Sandbox (a problema; POST 400)', async () => {
    const cliente = await createCliente(t);
    const comparacao = ok(await compare(platformAdmin, cliente.id));
    expect(comparacao).toMatchObject({ sandboxConfigurada: false, producaoConfigurada: false, versaoProducao: null, itens: [], podeAplicar: false });
    expect(comparacao.problemas.map((p) => p.campo)).toEqual(['sandbox']);
    expectError(await apply(platformAdmin, cliente.id), 400, 'VALIDATION_FAILED');
  });

  it('refuses a POST without confirmar: true (400) and a stale versaoProducao (409), changing nothing', async () => {
    const { cliente } = await scenario();
    const { versaoProducao } = ok(await compare(platformAdmin, cliente.id));
    const missing = expectError(await apply(platformAdmin, cliente.id, {}), 400, 'VALIDATION_FAILED');
    expect(missing.details?.map((d) => d.field)).toEqual(['confirmar']);
    expectError(await apply(platformAdmin, cliente.id, { confirmar: false }), 400, 'VALIDATION_FAILED');
    expectError(await apply(platformAdmin, cliente.id, { confirmar: true, versaoProducao: versaoProducao! - 1 }), 409, 'CONFLICT');
    expect((await createIntegracoesRepo(t.database.db).find(cliente.id, 2))?.updatedAt).toBe(versaoProducao);
  });

  it('leitor gets 403 on both, another cliente’s admin 404, no session 401; Produção untouched', async () => {
    const { cliente } = await scenario();
    const leitor = await loginAs(t, { clienteId: cliente.id, role: 'leitor' });
    const intruder = await loginAs(t, { clienteId: (await createCliente(t)).id, role: 'admin' });
    expectError(await compare(leitor, cliente.id), 403, 'FORBIDDEN');
    expectError(await apply(leitor, cliente.id), 403, 'FORBIDDEN');
    expectError(await compare(intruder, cliente.id), 404, 'NOT_FOUND');
    expectError(await apply(intruder, cliente.id), 404, 'NOT_FOUND');
    expectError(await compare(undefined, cliente.id), 401, 'UNAUTHENTICATED');
    expectError(await apply(undefined, cliente.id), 401, 'UNAUTHENTICATED');
    expect((await createIntegracoesRepo(t.database.db).find(cliente.id, 2))?.baseUrl).toBe('https://api-antiga.operadora-exemplo.com.br');
  });
});

describe('copiar para Produção com um grupo cujos tokens iriam a outro site', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  const actor = { userId: null, label: 'teste' };
  const SENHA = 'senha-do-grupo-de-producao';
  const parceiro = 'https://senhas.parceiro-terceirizado.example';

  const grupoNoSite = (clienteId: string, instancia: 1 | 2) => insertGrupo(t, { clienteId, instancia, nome: 'Principal', senha: SENHA });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAs(t, { platformAdmin: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('is blocked with what to do, and goes through once Produção confirmed that site with its grupo’s senha', async () => {
    const cliente = await createCliente(t);
    const [sandboxGrupo, producaoGrupo] = [await grupoNoSite(cliente.id, 1), await grupoNoSite(cliente.id, 2)];
    const metodos = { trocarSenha: { url: `${parceiro}/v2/trocarSenha` } };
    await t.services.integracoes.save({ clienteId: cliente.id, instancia: 1, baseUrl: 'https://api.operadora-exemplo.com.br', grupoId: sandboxGrupo, metodos, headers: [], senhaGrupo: SENHA, actor });
    await t.services.integracoes.save({ clienteId: cliente.id, instancia: 2, baseUrl: 'https://api.operadora-exemplo.com.br', grupoId: producaoGrupo, metodos: {}, headers: [], actor });

    const url = `/painel/api/clientes/${cliente.id}/integracao/copia-para-producao`;
    const comparacao = (await t.app.inject({ method: 'GET', url, headers: { cookie: admin.cookieHeader } })).json();
    expect(comparacao.problemas).toEqual([{ campo: 'grupoId', mensagem: expect.stringContaining(`os tokens do grupo "Principal" iriam para ${parceiro}`) }]);
    expect(comparacao.podeAplicar).toBe(false);

    await t.services.integracoes.save({ clienteId: cliente.id, instancia: 2, baseUrl: 'https://api.operadora-exemplo.com.br', grupoId: producaoGrupo, metodos, headers: [], senhaGrupo: SENHA, actor });
    const depois = (await t.app.inject({ method: 'GET', url, headers: { cookie: admin.cookieHeader } })).json();
    expect(depois.problemas).toEqual([]);
  });
});
