import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { seedPeople } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../../simulator/simulator.ts';
import { reservedAuthorizationMessage } from './integracoes.service.ts';

/**
 * The integração configuration through the painel API of a real app: defaults, effective URLs,
 * suffix and header checks with field paths, write-only secret headers (proved at the operator
 * side), grupo ownership, timeout bounds, audit with secrets masked, and who may do what.
 */

type Session = Awaited<ReturnType<typeof loginAs>>;
type Detail = { field?: string; message: string };

const ana = seedPeople[0]!;
const SEGREDO_1 = 'segredo-um-3f9a1c';
const SEGREDO_2 = 'segredo-dois-8e2b7d';
const suffixes = { login: '/login', recuperarSenhaIdentificacao: '/recuperarSenhaIdentificacao', recuperarSenhaNovaSenha: '/recuperarSenhaNovaSenha', trocarSenha: '/trocarSenha', elegibilidade: '/elegibilidade' };

const integracao = (overrides: Record<string, unknown> = {}) => ({ baseUrl: null, grupoId: null, metodos: {}, headers: [], ...overrides });

describe('integração painel API', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let platformAdmin: Session;

  const url = (clienteId: string, instancia: number | string = 1) => `/painel/api/clientes/${clienteId}/instancias/${instancia}/integracao`;
  const put = (who: { headers: Record<string, string> } | undefined, clienteId: string, payload: unknown, instancia: number | string = 1) =>
    t.app.inject({ method: 'PUT', url: url(clienteId, instancia), headers: who?.headers ?? {}, payload: payload as object });
  const get = (who: Pick<Session, 'cookieHeader'> | undefined, clienteId: string, instancia: number | string = 1) =>
    t.app.inject({ method: 'GET', url: url(clienteId, instancia), headers: who ? { cookie: who.cookieHeader } : {} });
  const ok = (response: LightMyRequestResponse) => {
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const invalid = (response: LightMyRequestResponse): Detail[] => {
    expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    return response.json().error.details;
  };
  const expectError = (response: LightMyRequestResponse, status: number, code: string) =>
    expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });

  async function grupoOf(clienteId: string, instancia: 1 | 2 = 1): Promise<string> {
    const response = await t.app.inject({
      method: 'POST',
      url: `/painel/api/clientes/${clienteId}/instancias/${instancia}/grupos`,
      headers: platformAdmin.headers,
      payload: { nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    sim = await createOperatorSimulator({ port: 0 });
    platformAdmin = await loginAs(t, { platformAdmin: true });
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  it('before any configuration: configurada false, with the defaults and every method’s suffix', async () => {
    const { id } = await createCliente(t);
    expect(ok(await get(platformAdmin, id))).toEqual({
      configurada: false,
      baseUrl: null,
      timeoutMs: 10_000,
      grupoId: null,
      metodos: Object.entries(suffixes).map(([metodo, sufixo]) => ({ metodo, nome: expect.any(String), sufixo, url: null, urlEfetiva: null, formularioId: null })),
      headers: [],
      elegibilidade: { ativa: false, reloginHoras: null },
      atualizadoEm: null,
    });
  });

  it('saves: each method is called at base + suffix unless it has its own URL; GET returns what was saved', async () => {
    const { id } = await createCliente(t);
    const own = `${sim.url}/outro/caminho/trocarSenha`;
    const saved = ok(
      await put(
        platformAdmin,
        id,
        integracao({
          baseUrl: `${sim.url}/api//`,
          timeoutMs: 5_000,
          metodos: { trocarSenha: { url: own }, login: { formularioId: 'form_login_1' } },
          headers: [{ nome: 'X-Ambiente', valor: 'sandbox' }],
        }),
      ),
    );
    expect(saved).toEqual({
      configurada: true,
      baseUrl: `${sim.url}/api//`,
      timeoutMs: 5_000,
      grupoId: null,
      metodos: [
        { metodo: 'login', nome: expect.any(String), sufixo: '/login', url: null, urlEfetiva: `${sim.url}/api/login`, formularioId: 'form_login_1' },
        { metodo: 'recuperarSenhaIdentificacao', nome: expect.any(String), sufixo: '/recuperarSenhaIdentificacao', url: null, urlEfetiva: `${sim.url}/api/recuperarSenhaIdentificacao`, formularioId: null },
        { metodo: 'recuperarSenhaNovaSenha', nome: expect.any(String), sufixo: '/recuperarSenhaNovaSenha', url: null, urlEfetiva: `${sim.url}/api/recuperarSenhaNovaSenha`, formularioId: null },
        { metodo: 'trocarSenha', nome: expect.any(String), sufixo: '/trocarSenha', url: own, urlEfetiva: own, formularioId: null },
        { metodo: 'elegibilidade', nome: expect.any(String), sufixo: '/elegibilidade', url: null, urlEfetiva: `${sim.url}/api/elegibilidade`, formularioId: null },
      ],
      headers: [{ nome: 'X-Ambiente', secreto: false, valor: 'sandbox' }],
      elegibilidade: { ativa: false, reloginHoras: null },
      atualizadoEm: expect.any(Number),
    });
    expect(ok(await get(platformAdmin, id))).toEqual(saved);
  });

  it('an integração with no URL at all is refused (400 at baseUrl) and stays "não configurada"; one method’s own URL is enough', async () => {
    const { id } = await createCliente(t);
    const message = 'Informe a URL base da API da operadora (ou a URL própria de pelo menos um método): sem ela a integração não chama nada.';
    for (const empty of [integracao(), integracao({ baseUrl: '   ', metodos: { login: { url: '', formularioId: 'form_login_1' } }, headers: [{ nome: 'X-Ambiente', valor: 'sandbox' }] })]) {
      expect(invalid(await put(platformAdmin, id, empty))).toEqual([{ field: 'baseUrl', message }]);
    }
    expect(ok(await get(platformAdmin, id))).toMatchObject({ configurada: false, atualizadoEm: null });

    const own = `${sim.url}/api/login`;
    expect(ok(await put(platformAdmin, id, integracao({ metodos: { login: { url: own } } })))).toMatchObject({ configurada: true, baseUrl: null });
    // Emptying a saved integração is refused the same way: the saved one stays.
    expect(invalid(await put(platformAdmin, id, integracao()))).toEqual([{ field: 'baseUrl', message }]);
    expect(ok(await get(platformAdmin, id)).metodos[0]).toMatchObject({ metodo: 'login', urlEfetiva: own });
  });

  it('a method’s own URL must end with that method’s suffix: 400 naming the field and the suffix', async () => {
    const { id } = await createCliente(t);
    const cases: [string, Record<string, { url: string }>, string, string][] = [
      ['another path', { login: { url: `${sim.url}/api/entrar` } }, 'metodos.login.url', '/login'],
      ['another method’s suffix', { login: { url: `${sim.url}/api/trocarSenha` } }, 'metodos.login.url', '/login'],
      ['the suffix glued to a word', { login: { url: `${sim.url}/api/xlogin` } }, 'metodos.login.url', '/login'],
    ];
    for (const [caso, metodos, field, suffix] of cases) {
      expect(invalid(await put(platformAdmin, id, integracao({ baseUrl: sim.url, metodos }))), caso).toEqual([
        { field, message: `O endpoint obrigatoriamente deve terminar com "${suffix}".` },
      ]);
    }
    // Every broken method is reported at once.
    const both = invalid(
      await put(platformAdmin, id, integracao({ metodos: { login: { url: `${sim.url}/x` }, recuperarSenhaNovaSenha: { url: `${sim.url}/recuperarSenhaIdentificacao` } } })),
    );
    expect(both.map((d) => d.field)).toEqual(['metodos.login.url', 'metodos.recuperarSenhaNovaSenha.url']);
    // The suffix only in the query is no suffix, and a URL with a query is refused anyway (issue 12: operator URLs carry none).
    expect(invalid(await put(platformAdmin, id, integracao({ metodos: { trocarSenha: { url: `${sim.url}/api?m=/trocarSenha` } } })))).toEqual([
      { field: 'metodos.trocarSenha.url', message: expect.stringMatching(/^URL recusada: a URL não pode ter query string/) },
    ]);
    expect(invalid(await put(platformAdmin, id, integracao({ metodos: { trocarSenha: { url: `${sim.url}/api/trocarSenha?v=2` } } })))).toEqual([
      { field: 'metodos.trocarSenha.url', message: expect.stringMatching(/^URL recusada: a URL não pode ter query string/) },
    ]);
    // A trailing slash does not hide the suffix.
    ok(await put(platformAdmin, id, integracao({ metodos: { login: { url: `${sim.url}/api/login/` }, trocarSenha: { url: `${sim.url}/api/trocarSenha` } } })));
    expect(ok(await get(platformAdmin, id)).metodos.map((m: { urlEfetiva: string | null }) => m.urlEfetiva)).toEqual([
      `${sim.url}/api/login/`,
      null,
      null,
      `${sim.url}/api/trocarSenha`,
      null,
    ]);
  });

  it('rejects invalid, reserved, duplicate and CRLF headers with field paths, and more than 30 headers; saves nothing', async () => {
    const { id } = await createCliente(t);
    const cases: [string, { nome: string; valor?: string }[], Detail[]][] = [
      ['space in the name', [{ nome: 'X Espaco', valor: 'a' }], [{ field: 'headers[0].nome', message: expect.stringMatching(/não é um nome de header HTTP válido/) }]],
      ['colon in the name', [{ nome: 'X-Ok', valor: 'a' }, { nome: 'X:Dois', valor: 'b' }], [{ field: 'headers[1].nome', message: expect.stringMatching(/não é um nome/) }]],
      ['non-ASCII name', [{ nome: 'X-Ação', valor: 'a' }], [{ field: 'headers[0].nome', message: expect.stringMatching(/não é um nome/) }]],
      ['Host', [{ nome: 'X-Ok', valor: 'a' }, { nome: 'Host', valor: 'operadora.example' }], [{ field: 'headers[1].nome', message: expect.stringMatching(/"Host" é um header de controle/) }]],
      ['Content-Length', [{ nome: 'Content-Length', valor: '10' }], [{ field: 'headers[0].nome', message: expect.stringMatching(/header de controle/) }]],
      ['Transfer-Encoding', [{ nome: 'Transfer-Encoding', valor: 'chunked' }], [{ field: 'headers[0].nome', message: expect.stringMatching(/header de controle/) }]],
      ['connection, lower case', [{ nome: 'connection', valor: 'close' }], [{ field: 'headers[0].nome', message: expect.stringMatching(/header de controle/) }]],
      ['duplicate in another case', [{ nome: 'X-Chave', valor: 'a' }, { nome: 'x-chave', valor: 'b' }], [{ field: 'headers[1].nome', message: expect.stringMatching(/mais de uma vez/) }]],
      ['CR LF in the value', [{ nome: 'X-Chave', valor: 'a\r\nX-Injetado: sim' }], [{ field: 'headers[0].valor', message: expect.stringMatching(/quebras de linha/) }]],
      ['LF alone in the value', [{ nome: 'X-Chave', valor: 'a\nb' }], [{ field: 'headers[0].valor', message: expect.stringMatching(/quebras de linha/) }]],
      ['a control character in the value', [{ nome: 'X-Chave', valor: 'a\u0001b' }], [{ field: 'headers[0].valor', message: expect.stringMatching(/caracteres de controle/) }]],
      ['U+2028 in the value', [{ nome: 'X-Chave', valor: 'a\u2028b' }], [{ field: 'headers[0].valor', message: expect.stringMatching(/U\+2028/) }]],
      [
        'several problems at once',
        [{ nome: 'Host', valor: 'x' }, { nome: 'X Y', valor: 'y' }, { nome: 'X-Z', valor: 'z\r\n' }],
        [
          { field: 'headers[0].nome', message: expect.any(String) },
          { field: 'headers[1].nome', message: expect.any(String) },
          { field: 'headers[2].valor', message: expect.any(String) },
        ],
      ],
    ];
    for (const [caso, headers, expected] of cases) {
      expect(invalid(await put(platformAdmin, id, integracao({ baseUrl: sim.url, headers }))), caso).toEqual(expected);
    }
    const tooMany = Array.from({ length: 31 }, (_, i) => ({ nome: `X-H${i}`, valor: 'v' }));
    expect(invalid(await put(platformAdmin, id, integracao({ baseUrl: sim.url, headers: tooMany })))).toEqual([{ field: 'headers', message: expect.stringMatching(/30/) }]);
    expect(ok(await get(platformAdmin, id)).configurada).toBe(false);
    // Exactly 30 is fine.
    expect(ok(await put(platformAdmin, id, integracao({ baseUrl: sim.url, headers: tooMany.slice(0, 30) }))).headers).toHaveLength(30);
  });

  it('a static header named Authorization, in any case, is refused at its nome with the reserved message; nothing saved', async () => {
    const { id } = await createCliente(t);
    for (const nome of ['Authorization', 'authorization', 'AUTHORIZATION', ' Authorization ']) {
      for (const secreto of [false, true]) {
        const headers = [{ nome: 'X-Ok', valor: 'a' }, { nome, secreto, valor: 'Bearer fixo' }];
        expect(invalid(await put(platformAdmin, id, integracao({ baseUrl: sim.url, headers }))), `${nome} secreto=${secreto}`).toEqual([{ field: 'headers[1].nome', message: reservedAuthorizationMessage }]);
      }
    }
    expect(ok(await get(platformAdmin, id)).configurada).toBe(false);
    expect(await t.database.db.selectFrom('integracoes').select('cliente_id').where('cliente_id', '=', id).execute()).toEqual([]);
    // The same name with a suffix is an ordinary header.
    expect(ok(await put(platformAdmin, id, integracao({ baseUrl: sim.url, headers: [{ nome: 'X-Authorization', valor: 'a' }] }))).headers).toHaveLength(1);
  });

  it('secret headers are write-only: sealed at rest, never returned, kept when re-saved without valor, sent for real', async () => {
    const { id } = await createCliente(t);
    const grupoId = await grupoOf(id);
    const save = (headers: unknown[]) => put(platformAdmin, id, integracao({ baseUrl: `${sim.url}/api`, grupoId, headers }));
    const sent = async () => {
      const outcome = await t.services.outbound.call({ clienteId: id, instancia: 1, method: 'login', body: { login: ana.cpf, senha: ana.senha } });
      expect(outcome.kind).toBe('sucesso');
      const headers = sim.calls().login.lastHeaders!;
      return { chave: headers['x-chave-api'], publico: headers['x-publico'], outro: headers['x-outro-segredo'] };
    };

    const first = await save([{ nome: 'X-Chave-Api', valor: SEGREDO_1, secreto: true }, { nome: 'X-Publico', valor: 'p1' }]);
    expect(ok(first).headers).toEqual([
      { nome: 'X-Chave-Api', secreto: true, valor: null },
      { nome: 'X-Publico', secreto: false, valor: 'p1' },
    ]);
    expect(first.body).not.toContain(SEGREDO_1);
    const read = await get(platformAdmin, id);
    expect(ok(read).headers[0]).toEqual({ nome: 'X-Chave-Api', secreto: true, valor: null });
    expect(read.body).not.toContain(SEGREDO_1);
    const stored = await t.database.db.selectFrom('integracoes').select('headers_json').where('cliente_id', '=', id).executeTakeFirstOrThrow();
    expect(stored.headers_json).not.toContain(SEGREDO_1);
    expect(await sent()).toEqual({ chave: SEGREDO_1, publico: 'p1', outro: undefined });

    // Re-saved without valor (any case of the name): the stored value stays.
    ok(await save([{ nome: 'X-Chave-Api', secreto: true }, { nome: 'X-Publico', valor: 'p2' }]));
    expect(await sent()).toEqual({ chave: SEGREDO_1, publico: 'p2', outro: undefined });
    ok(await save([{ nome: 'x-chave-api', secreto: true }, { nome: 'X-Publico', valor: 'p2' }]));
    expect(await sent()).toEqual({ chave: SEGREDO_1, publico: 'p2', outro: undefined });

    // A new valor replaces it.
    ok(await save([{ nome: 'X-Chave-Api', valor: SEGREDO_2, secreto: true }]));
    expect(await sent()).toEqual({ chave: SEGREDO_2, publico: undefined, outro: undefined });

    // A new secret header without valor has nothing to keep: 400, and nothing changes.
    expect(invalid(await save([{ nome: 'X-Chave-Api', secreto: true }, { nome: 'X-Outro-Segredo', secreto: true }]))).toEqual([
      { field: 'headers[1].valor', message: expect.stringMatching(/X-Outro-Segredo/) },
    ]);
    expect(await sent()).toEqual({ chave: SEGREDO_2, publico: undefined, outro: undefined });

    // Once removed, a secret cannot come back without its value.
    ok(await save([]));
    expect(invalid(await save([{ nome: 'X-Chave-Api', secreto: true }]))).toEqual([{ field: 'headers[0].valor', message: expect.any(String) }]);
  });

  it('grupoId must be a grupo of the same cliente and instância', async () => {
    const { id: a } = await createCliente(t);
    const { id: b } = await createCliente(t);
    const grupoA = await grupoOf(a);
    const grupoB = await grupoOf(b);
    const grupoField = [{ field: 'grupoId', message: expect.any(String) }];

    expect(invalid(await put(platformAdmin, a, integracao({ baseUrl: 'https://operadora.example.com/api', grupoId: grupoA }), 2))).toEqual(grupoField);
    expect(invalid(await put(platformAdmin, a, integracao({ baseUrl: sim.url, grupoId: grupoB })))).toEqual(grupoField);
    expect(invalid(await put(platformAdmin, a, integracao({ baseUrl: sim.url, grupoId: 'grupo_inexistente' })))).toEqual(grupoField);
    expect(ok(await get(platformAdmin, a)).configurada).toBe(false);

    expect(ok(await put(platformAdmin, a, integracao({ baseUrl: sim.url, grupoId: grupoA }))).grupoId).toBe(grupoA);
    expect(ok(await get(platformAdmin, a)).grupoId).toBe(grupoA);
  });

  it('timeout: 1000 to 30000 ms, integers; absent means the default, then the saved value', async () => {
    const { id } = await createCliente(t);
    const withTimeout = (timeoutMs?: unknown) => put(platformAdmin, id, integracao({ baseUrl: sim.url, ...(timeoutMs === undefined ? {} : { timeoutMs }) }));
    expect(ok(await withTimeout()).timeoutMs).toBe(10_000);
    for (const bad of [999, 30_001, 0, -1, 1500.5, '5000']) {
      expect(invalid(await withTimeout(bad)).map((d) => d.field), String(bad)).toEqual(['timeoutMs']);
    }
    expect(invalid(await withTimeout(999))[0]!.message).toMatch(/1000/);
    expect(invalid(await withTimeout(30_001))[0]!.message).toMatch(/30000/);
    expect(ok(await withTimeout(1_000)).timeoutMs).toBe(1_000);
    expect(ok(await withTimeout(30_000)).timeoutMs).toBe(30_000);
    expect(ok(await withTimeout()).timeoutMs).toBe(30_000);
  });

  it('every save is audited, before and after, with secret values masked', async () => {
    const { id } = await createCliente(t);
    const admin = await loginAs(t, { clienteId: id, role: 'admin' });
    ok(await put(admin, id, integracao({ baseUrl: sim.url, headers: [{ nome: 'X-Chave-Api', valor: SEGREDO_1, secreto: true }] })));
    ok(await put(admin, id, integracao({ baseUrl: `${sim.url}/v2`, timeoutMs: 2_000, headers: [{ nome: 'X-Chave-Api', valor: SEGREDO_2, secreto: true }, { nome: 'X-Publico', valor: 'p' }] })));

    const response = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${id}/auditoria`, headers: { cookie: admin.cookieHeader } });
    expect(response.statusCode).toBe(200);
    for (const secret of [SEGREDO_1, SEGREDO_2]) expect(response.body).not.toContain(secret);
    const events = (response.json().eventos as { acao: string; ator: string; alvo: { tipo: string }; antes: unknown; depois: unknown }[]).filter((e) => e.alvo.tipo === 'integracao');
    expect(events.map((e) => ({ acao: e.acao, ator: e.ator }))).toEqual([
      { acao: 'integracao.alterada', ator: admin.email },
      { acao: 'integracao.criada', ator: admin.email },
    ]);
    const [altered, created] = events;
    expect(created!.antes).toBeNull();
    expect(created!.depois).toMatchObject({ baseUrl: sim.url, timeoutMs: 10_000, headers: [{ nome: 'X-Chave-Api', valor: '***' }] });
    expect(altered!.antes).toEqual(created!.depois);
    expect(altered!.depois).toMatchObject({
      baseUrl: `${sim.url}/v2`,
      timeoutMs: 2_000,
      headers: [
        { nome: 'X-Chave-Api', valor: '***' },
        { nome: 'X-Publico', valor: 'p' },
      ],
    });
  });

  describe('security', () => {
    let clienteId: string;
    let other: string;
    beforeAll(async () => {
      clienteId = (await createCliente(t)).id;
      other = (await createCliente(t)).id;
    });

    it('a leitor reads but may not save (403); an editor saves', async () => {
      const leitor = await loginAs(t, { clienteId, role: 'leitor' });
      const editor = await loginAs(t, { clienteId, role: 'editor' });
      expect(ok(await get(leitor, clienteId)).configurada).toBe(false);
      expectError(await put(leitor, clienteId, integracao({ baseUrl: sim.url })), 403, 'FORBIDDEN');
      expect(ok(await get(leitor, clienteId)).configurada).toBe(false);
      expect(ok(await put(editor, clienteId, integracao({ baseUrl: sim.url }))).configurada).toBe(true);
    });

    it('another cliente’s integração does not exist for this user (404), read or write', async () => {
      const outsider = await loginAs(t, { clienteId: other, role: 'admin' });
      expectError(await get(outsider, clienteId), 404, 'NOT_FOUND');
      expectError(await put(outsider, clienteId, integracao({ baseUrl: sim.url })), 404, 'NOT_FOUND');
    });

    it('without a session: 401; without the CSRF header: 403; an unknown instância: 400', async () => {
      expectError(await get(undefined, clienteId), 401, 'UNAUTHENTICATED');
      expectError(await put(undefined, clienteId, integracao({ baseUrl: sim.url })), 401, 'UNAUTHENTICATED');
      expectError(await put({ headers: { cookie: platformAdmin.cookieHeader } }, clienteId, integracao({ baseUrl: sim.url })), 403, 'CSRF_REJECTED');
      expectError(await get(platformAdmin, clienteId, 3), 400, 'VALIDATION_FAILED');
    });
  });
});
