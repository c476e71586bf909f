import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, TEST_PASSWORD, uniqueEmail } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { manualClock } from '../../platform/clock.ts';
import { sha256Hex } from '../../platform/crypto.ts';
import { convitePolicy } from './painel-convites.service.ts';
import { loginBackoffPolicy } from './login-backoff.ts';
import type { Membership } from './painel-users.repo.ts';

/**
 * Painel accounts as the security audit attacked them: invitations instead of passwords chosen by
 * an admin (the cross-tenant pre-hijacking replayed), answers that do not tell whether an e-mail
 * has an account, single-use links, password change and "esqueci minha senha", and the login
 * backoff per e-mail and IP.
 */

function expectError(response: LightMyRequestResponse, status: number, code: string) {
  expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });
  return response.json().error as { code: string; message: string; details?: { field?: string; message: string }[] };
}

type Session = { id: string; email: string; cookieHeader: string; csrfToken: string; headers: Record<string, string> };

/** Headers that may differ between two otherwise identical answers. */
const VARYING_HEADERS = new Set(['x-request-id', 'date']);
function comparableHeaders(response: LightMyRequestResponse) {
  return Object.fromEntries(Object.entries(response.headers).filter(([name]) => !VARYING_HEADERS.has(name)));
}

/** Two e-mails of the same length (so even content-length must match). */
function sameLengthEmails(): [string, string] {
  const a = uniqueEmail('xx');
  const b = uniqueEmail('yy');
  expect(a.length).toBe(b.length);
  return [a, b];
}

describe('painel — contas: convites, senhas e bloqueio', () => {
  let t: TestApp;
  const clock = manualClock(Date.now());
  let lastOctet = 0;
  const freshIp = () => `127.0.7.${++lastOctet}`;

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  // Each request a second after the previous one, so the outbox lists e-mails in the order they were sent.
  const request = (options: InjectOptions) => {
    clock.advance(1000);
    return t.app.inject({ remoteAddress: freshIp(), ...options });
  };
  const login = (email: string, senha: string, remoteAddress = freshIp()) => t.app.inject({ method: 'POST', url: '/painel/api/auth/login', payload: { email, senha }, remoteAddress });

  async function sessionOf(response: LightMyRequestResponse, id: string, email: string): Promise<Session> {
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'ponte_sessao')!.value;
    const csrfToken = response.json().csrfToken as string;
    return { id, email, csrfToken, cookieHeader: `ponte_sessao=${cookie}`, headers: { cookie: `ponte_sessao=${cookie}`, 'x-csrf-token': csrfToken } };
  }

  async function person(memberships: Membership[], options: { platformAdmin?: boolean; email?: string } = {}): Promise<Session> {
    const email = options.email ?? uniqueEmail('pessoa');
    const user = await t.services.users.create({ email, nome: 'Pessoa Teste', senha: TEST_PASSWORD, memberships, isPlatformAdmin: options.platformAdmin ?? false });
    return sessionOf(await login(email, TEST_PASSWORD), user.id, email);
  }

  const usuariosUrl = (clienteId: string) => `/painel/api/clientes/${clienteId}/usuarios`;
  const convidar = (clienteId: string, admin: Session, email: string, papel = 'editor', extra: Record<string, unknown> = {}) =>
    request({ method: 'POST', url: usuariosUrl(clienteId), headers: admin.headers, payload: { email, papel, ...extra } });
  const membros = async (clienteId: string, admin: Session) =>
    (await request({ method: 'GET', url: usuariosUrl(clienteId), headers: { cookie: admin.cookieHeader } })).json().usuarios as { id: string; email: string; nome: string }[];
  const convites = async (clienteId: string, admin: Session) =>
    (await request({ method: 'GET', url: `/painel/api/clientes/${clienteId}/convites`, headers: { cookie: admin.cookieHeader } })).json().convites as { id: string; email: string; status: string; papel: string }[];

  /** The link tokens e-mailed to `email` (newest first), read from the development outbox. */
  async function linksTo(clienteId: string, email: string, kind: 'convite' | 'redefinir-senha'): Promise<string[]> {
    await t.services.users.settle();
    const { itens } = await t.services.caixaDeSaida.listar({ clienteId, instancia: 1, pagina: 1, porPagina: 100 });
    return itens
      .filter((m) => m.destino === email)
      .flatMap((m) => [...m.texto.matchAll(new RegExp(`/painel/${kind}#([A-Za-z0-9_-]+)`, 'g'))].map((match) => match[1]!));
  }
  async function latestLink(clienteId: string, email: string, kind: 'convite' | 'redefinir-senha'): Promise<string> {
    const [token] = await linksTo(clienteId, email, kind);
    expect(token).toBeDefined();
    return token!;
  }

  const consultar = (token: string) => request({ method: 'POST', url: '/painel/api/convites/consultar', payload: { token } });
  const aceitar = (token: string, payload: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    request({ method: 'POST', url: '/painel/api/convites/aceitar', payload: { token, ...payload }, headers });
  const sessao = (session: Session) => request({ method: 'GET', url: '/painel/api/auth/sessao', headers: { cookie: session.cookieHeader } });

  describe('the cross-tenant pre-hijacking, replayed', () => {
    it('admin A invites x; admin B adds x: B gets nothing until x accepts, and no password A chose ever exists', async () => {
      const [clienteA, clienteB] = [await createCliente(t, 'Cliente A'), await createCliente(t, 'Cliente B')];
      const adminA = await person([{ clienteId: clienteA.id, role: 'admin' }]);
      const adminB = await person([{ clienteId: clienteB.id, role: 'admin' }]);
      const x = uniqueEmail('vitima');

      // A tries the old attack: a password of A's choosing. It is not part of the API any more.
      const byA = await convidar(clienteA.id, adminA, x, 'admin', { nome: 'Vítima', senha: 'senha-escolhida-por-A' });
      expect(byA.statusCode).toBe(202);
      expect(byA.body).not.toContain('senha-escolhida-por-A');
      expectError(await login(x, 'senha-escolhida-por-A'), 401, 'INVALID_CREDENTIALS');

      // B adds the same e-mail: the same answer, and nothing of x (or of A) in it.
      const byB = await convidar(clienteB.id, adminB, x, 'editor');
      expect(byB.statusCode).toBe(202);
      expect(Object.keys(byB.json().convite).sort()).toEqual(['criadoEm', 'email', 'expiraEm', 'id', 'papel', 'status']);
      expect(byB.json().convite).toMatchObject({ email: x, papel: 'editor', status: 'pendente' });
      expect((await membros(clienteB.id, adminB)).map((m) => m.email)).toEqual([adminB.email]);
      expect((await convites(clienteB.id, adminB)).map((c) => [c.email, c.status])).toEqual([[x, 'pendente']]);

      // x (the real owner of the mailbox) accepts A's invitation, choosing their own password.
      const tokenA = await latestLink(clienteA.id, x, 'convite');
      expect((await consultar(tokenA)).json()).toMatchObject({ cliente: { nome: 'Cliente A' }, email: x, papel: 'admin', contaExistente: false });
      const accepted = await aceitar(tokenA, { nome: 'Xis Dono', senha: 'senha-do-dono-1' });
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json().clientes.map((c: { id: string }) => c.id)).toEqual([clienteA.id]);
      const xSession = await sessionOf(accepted, '', x);
      expect((await sessao(xSession)).json().usuario).toMatchObject({ email: x, nome: 'Xis Dono' });

      // B still has only a pending invitation; now that x has an account, its link needs x logged in.
      expect((await membros(clienteB.id, adminB)).map((m) => m.email)).toEqual([adminB.email]);
      const tokenB = await latestLink(clienteB.id, x, 'convite');
      expect((await consultar(tokenB)).json()).toMatchObject({ cliente: { nome: 'Cliente B' }, contaExistente: true });
      expectError(await aceitar(tokenB, { nome: 'Outro Nome', senha: 'senha-de-quem-tem-o-link' }), 403, 'FORBIDDEN');
      expectError(await aceitar(tokenB, {}, adminB.headers), 403, 'FORBIDDEN');
      // A session without its CSRF token counts as nobody.
      expectError(await aceitar(tokenB, {}, { cookie: xSession.cookieHeader }), 403, 'FORBIDDEN');
      expect((await membros(clienteB.id, adminB)).map((m) => m.email)).toEqual([adminB.email]);

      const joined = await aceitar(tokenB, {}, xSession.headers);
      expect(joined.statusCode).toBe(200);
      expect(joined.json().clienteId).toBe(clienteB.id);
      expect(joined.json().clientes.map((c: { id: string; papel: string }) => [c.id, c.papel]).sort()).toEqual([[clienteA.id, 'admin'], [clienteB.id, 'editor']].sort());
      expect(joined.cookies.find((c) => c.name === 'ponte_sessao')).toBeUndefined();
      expect((await membros(clienteB.id, adminB)).map((m) => m.email).sort()).toEqual([adminB.email, x].sort());
      expect(await convites(clienteB.id, adminB)).toEqual([]);
      expect((await login(x, 'senha-do-dono-1')).statusCode).toBe(200);
    });
  });

  describe('answers that do not tell whether an e-mail has an account', () => {
    it('adding an e-mail: the same status, body and headers for a new e-mail, another cliente’s user and a platform admin', async () => {
      const [cliente, outro] = [await createCliente(t), await createCliente(t)];
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const [novo, existente] = sameLengthEmails();
      await t.services.users.create({ email: existente, nome: 'Já Existe', senha: TEST_PASSWORD, memberships: [{ clienteId: outro.id, role: 'admin' }] });
      const [, plataforma] = sameLengthEmails();
      await t.services.users.create({ email: plataforma, nome: 'Admin Plataforma', senha: TEST_PASSWORD, isPlatformAdmin: true });

      const answers = [await convidar(cliente.id, admin, novo), await convidar(cliente.id, admin, existente), await convidar(cliente.id, admin, plataforma)];
      const normalized = answers.map((response) => {
        const body = response.json();
        return {
          status: response.statusCode,
          headers: comparableHeaders(response),
          body: { ...body, convite: { ...body.convite, id: typeof body.convite.id, email: body.convite.email.length, expiraEm: typeof body.convite.expiraEm, criadoEm: typeof body.convite.criadoEm } },
        };
      });
      expect(normalized[0]!.status).toBe(202);
      expect(normalized[1]).toEqual(normalized[0]);
      expect(normalized[2]).toEqual(normalized[0]);
      for (const response of answers) {
        expect(response.body).not.toMatch(/Já Existe|Admin Plataforma|administradorPlataforma|ultimoAcesso|usuarioExistente/);
      }
      // Nobody joined: the list shows the invitations, with the e-mail only.
      expect((await membros(cliente.id, admin)).map((m) => m.email)).toEqual([admin.email]);
      expect((await convites(cliente.id, admin)).map((c) => c.email).sort()).toEqual([novo, existente, plataforma].sort());
      // The e-mails sent are the same text but for the address and the link.
      const texts = (await t.services.caixaDeSaida.listar({ clienteId: cliente.id, instancia: 1, pagina: 1, porPagina: 10 })).itens.map((m) =>
        m.texto.replace(/#[A-Za-z0-9_-]+/, '#TOKEN'),
      );
      expect(new Set(texts).size).toBe(1);
    });

    it('"esqueci minha senha": byte-identical answers for an account and an unknown e-mail, and the same 429s', async () => {
      await createCliente(t);
      const [conhecido, desconhecido] = sameLengthEmails();
      await t.services.users.create({ email: conhecido, nome: 'Conhecida', senha: TEST_PASSWORD });
      const ip = freshIp();
      const ask = (email: string, remoteAddress = ip) => t.app.inject({ method: 'POST', url: '/painel/api/auth/senha/esqueci', payload: { email }, remoteAddress });
      const [a, b] = [await ask(conhecido), await ask(desconhecido)];
      expect(a.statusCode).toBe(202);
      expect({ status: b.statusCode, body: b.body, headers: comparableHeaders(b) }).toEqual({ status: a.statusCode, body: a.body, headers: comparableHeaders(a) });

      // Per e-mail and IP: the same limit, the same 429, for both.
      const other = freshIp();
      const limited = async (email: string) => {
        let response = await ask(email, other);
        for (let i = 0; i < 5 && response.statusCode === 202; i += 1) response = await ask(email, other);
        return response;
      };
      const [la, lb] = [await limited(conhecido), await limited(desconhecido)];
      expectError(la, 429, 'RATE_LIMITED');
      expect({ status: lb.statusCode, message: lb.json().error.message, retry: typeof lb.headers['retry-after'] }).toEqual({ status: 429, message: la.json().error.message, retry: 'string' });
    });

    it('login: the same 401 for a wrong password, an unknown e-mail and an inactive account', async () => {
      const [conhecido, desconhecido] = sameLengthEmails();
      const user = await t.services.users.create({ email: conhecido, nome: 'Conhecida', senha: TEST_PASSWORD });
      const [, inativo] = sameLengthEmails();
      const inactive = await t.services.users.create({ email: inativo, nome: 'Inativa', senha: TEST_PASSWORD });
      await t.services.users.setActive(inactive.id, false);
      const answers = [await login(conhecido, 'senha-errada-1'), await login(desconhecido, 'senha-errada-1'), await login(inativo, TEST_PASSWORD)];
      const shape = (response: LightMyRequestResponse) => ({
        status: response.statusCode,
        headers: comparableHeaders(response),
        error: { ...response.json().error, requestId: typeof response.json().error.requestId },
      });
      expect(shape(answers[0]!).status).toBe(401);
      expect(shape(answers[1]!)).toEqual(shape(answers[0]!));
      expect(shape(answers[2]!)).toEqual(shape(answers[0]!));
      expect(user.id).toBeDefined();
    });
  });

  describe('invitation links', () => {
    it('are stored only as SHA-256, work once, and are refused after expiry, cancel and re-send', async () => {
      const cliente = await createCliente(t);
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);

      // Single use.
      const once = uniqueEmail('uma-vez');
      expect((await convidar(cliente.id, admin, once, 'leitor')).statusCode).toBe(202);
      const token = await latestLink(cliente.id, once, 'convite');
      expect(token).toMatch(/^pconv_[A-Za-z0-9_-]{43}$/);
      const stored = await t.database.db.selectFrom('painel_convites').selectAll().where('email', '=', once).executeTakeFirstOrThrow();
      expect(stored.token_hash).toBe(sha256Hex(token));
      expect(JSON.stringify(stored)).not.toContain(token);
      const [first, second] = await Promise.all([aceitar(token, { nome: 'Uma Vez', senha: 'senha-uma-vez-1' }), aceitar(token, { nome: 'Duas Vezes', senha: 'senha-duas-vezes-2' })]);
      expect([first.statusCode, second.statusCode].sort()).toEqual([200, 404]);
      expectError(await aceitar(token, { nome: 'Três', senha: 'senha-tres-vezes-3' }), 404, 'NOT_FOUND');
      expectError(await consultar(token), 404, 'NOT_FOUND');
      expect((await membros(cliente.id, admin)).filter((m) => m.email === once)).toHaveLength(1);

      // Expiry: listed as expirado, the link refused; re-sending makes a new link and kills the old.
      const late = uniqueEmail('atrasado');
      await convidar(cliente.id, admin, late);
      const expired = await latestLink(cliente.id, late, 'convite');
      clock.advance(convitePolicy.validadeHoras * 3_600_000 + 1);
      expectError(await consultar(expired), 404, 'NOT_FOUND');
      expectError(await aceitar(expired, { nome: 'Atrasada', senha: 'senha-atrasada-1' }), 404, 'NOT_FOUND');
      // Three days later the admin's session is long gone: they log in again.
      const again = await sessionOf(await login(admin.email, TEST_PASSWORD), admin.id, admin.email);
      const listed = (await convites(cliente.id, again)).find((c) => c.email === late)!;
      expect(listed.status).toBe('expirado');
      const resent = await request({ method: 'POST', url: `/painel/api/clientes/${cliente.id}/convites/${listed.id}/reenviar`, headers: again.headers });
      expect(resent.statusCode).toBe(202);
      expect(resent.json().convite).toMatchObject({ id: listed.id, email: late, status: 'pendente' });
      const fresh = await latestLink(cliente.id, late, 'convite');
      expect(fresh).not.toBe(expired);
      expectError(await consultar(expired), 404, 'NOT_FOUND');
      expect((await consultar(fresh)).statusCode).toBe(200);

      // Cancel: the link stops at once; cancelling again is 404.
      const url = `/painel/api/clientes/${cliente.id}/convites/${listed.id}`;
      expect((await request({ method: 'DELETE', url, headers: again.headers })).statusCode).toBe(204);
      expectError(await consultar(fresh), 404, 'NOT_FOUND');
      expectError(await aceitar(fresh, { nome: 'Cancelada', senha: 'senha-cancelada-1' }), 404, 'NOT_FOUND');
      expectError(await request({ method: 'DELETE', url, headers: again.headers }), 404, 'NOT_FOUND');
      expectError(await login(late, 'senha-cancelada-1'), 401, 'INVALID_CREDENTIALS');

      // Inviting the same e-mail again replaces the pending invitation (one row, the old link dead).
      const twice = uniqueEmail('duas');
      await convidar(cliente.id, again, twice, 'leitor');
      const old = await latestLink(cliente.id, twice, 'convite');
      await convidar(cliente.id, again, twice, 'editor');
      expectError(await consultar(old), 404, 'NOT_FOUND');
      expect((await consultar(await latestLink(cliente.id, twice, 'convite'))).json()).toMatchObject({ papel: 'editor' });
      expect((await convites(cliente.id, again)).filter((c) => c.email === twice)).toHaveLength(1);

      const actions = (await request({ method: 'GET', url: `/painel/api/clientes/${cliente.id}/auditoria`, headers: { cookie: again.cookieHeader } })).json().eventos.map((e: { acao: string }) => e.acao);
      expect(actions).toEqual(expect.arrayContaining(['usuario.convidado', 'usuario.convite_aceito', 'usuario.convite_reenviado', 'usuario.convite_cancelado']));
    });

    it('refuses someone already in the cliente (409), a bad body (400), and needs nome and senha for a new account', async () => {
      const cliente = await createCliente(t);
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      expectError(await convidar(cliente.id, admin, admin.email.toUpperCase()), 409, 'CONFLICT');
      expect(expectError(await convidar(cliente.id, admin, 'não-é-email'), 400, 'VALIDATION_FAILED').details?.map((d) => d.field)).toEqual(['email']);
      expect(expectError(await convidar(cliente.id, admin, uniqueEmail(), 'dono'), 400, 'VALIDATION_FAILED').details?.map((d) => d.field)).toEqual(['papel']);

      const email = uniqueEmail('nova');
      await convidar(cliente.id, admin, email);
      const token = await latestLink(cliente.id, email, 'convite');
      expect(expectError(await aceitar(token), 400, 'VALIDATION_FAILED').details?.map((d) => d.field).sort()).toEqual(['nome', 'senha']);
      expect(expectError(await aceitar(token, { nome: 'Nova', senha: 'curta' }), 400, 'VALIDATION_FAILED').details?.map((d) => d.field)).toEqual(['senha']);
      // Nothing was consumed by the refusals.
      expect((await aceitar(token, { nome: 'Nova Pessoa', senha: 'senha-longa-da-nova' })).statusCode).toBe(200);
    });

    it('leitor and editor get 403, another cliente’s admin 404, no session 401 on the invitation routes', async () => {
      const [cliente, outro] = [await createCliente(t), await createCliente(t)];
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      await convidar(cliente.id, admin, uniqueEmail('alvo'));
      const [convite] = await convites(cliente.id, admin);
      const editor = await person([{ clienteId: cliente.id, role: 'editor' }]);
      const leitor = await person([{ clienteId: cliente.id, role: 'leitor' }]);
      const intruder = await person([{ clienteId: outro.id, role: 'admin' }]);
      const calls: InjectOptions[] = [
        { method: 'GET', url: `/painel/api/clientes/${cliente.id}/convites` },
        { method: 'POST', url: usuariosUrl(cliente.id), payload: { email: uniqueEmail(), papel: 'admin' } },
        { method: 'POST', url: `/painel/api/clientes/${cliente.id}/convites/${convite!.id}/reenviar` },
        { method: 'DELETE', url: `/painel/api/clientes/${cliente.id}/convites/${convite!.id}` },
      ];
      for (const call of calls) {
        const label = `${call.method} ${call.url}`;
        for (const [who, session, status] of [
          ['editor', editor, 403],
          ['leitor', leitor, 403],
          ['intruder', intruder, 404],
        ] as const) {
          const response = await request({ ...call, headers: call.method === 'GET' ? { cookie: session.cookieHeader } : session.headers });
          expect({ label, who, status: response.statusCode }).toEqual({ label, who, status });
        }
        expectError(await request(call), 401, 'UNAUTHENTICATED');
      }
      expect((await convites(cliente.id, admin)).map((c) => c.id)).toEqual([convite!.id]);
    });
  });

  describe('trocar senha', () => {
    it('needs the current password, ends every other session and keeps this one', async () => {
      const email = uniqueEmail('troca');
      const user = await t.services.users.create({ email, nome: 'Troca', senha: TEST_PASSWORD });
      const s1 = await sessionOf(await login(email, TEST_PASSWORD), user.id, email);
      const s2 = await sessionOf(await login(email, TEST_PASSWORD), user.id, email);
      const trocar = (session: Session, payload: Record<string, unknown>) => request({ method: 'PUT', url: '/painel/api/auth/senha', headers: session.headers, payload });

      expect(expectError(await trocar(s2, { senhaAtual: 'não-é-esta-1', senhaNova: 'senha-nova-123' }), 400, 'VALIDATION_FAILED').details?.map((d) => d.field)).toEqual(['senhaAtual']);
      expect(expectError(await trocar(s2, { senhaAtual: TEST_PASSWORD, senhaNova: 'curta' }), 400, 'VALIDATION_FAILED').details?.map((d) => d.field)).toEqual(['senhaNova']);
      expect((await sessao(s1)).statusCode).toBe(200);

      const changed = await trocar(s2, { senhaAtual: TEST_PASSWORD, senhaNova: 'senha-nova-123' });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toEqual({ sessoesEncerradas: 1 });
      expectError(await sessao(s1), 401, 'UNAUTHENTICATED');
      expect((await sessao(s2)).statusCode).toBe(200);
      expectError(await login(email, TEST_PASSWORD), 401, 'INVALID_CREDENTIALS');
      expect((await login(email, 'senha-nova-123')).statusCode).toBe(200);

      expectError(await request({ method: 'PUT', url: '/painel/api/auth/senha', payload: { senhaAtual: 'x', senhaNova: 'senha-nova-456' } }), 401, 'UNAUTHENTICATED');
      expectError(await request({ method: 'PUT', url: '/painel/api/auth/senha', headers: { cookie: s2.cookieHeader }, payload: { senhaAtual: 'senha-nova-123', senhaNova: 'senha-nova-456' } }), 403, 'CSRF_REJECTED');
    });

    it('is limited per account: 429 after 5 attempts', async () => {
      const email = uniqueEmail('limite');
      const user = await t.services.users.create({ email, nome: 'Limite', senha: TEST_PASSWORD });
      const session = await sessionOf(await login(email, TEST_PASSWORD), user.id, email);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        statuses.push((await request({ method: 'PUT', url: '/painel/api/auth/senha', headers: session.headers, payload: { senhaAtual: `errada-${i}-xyz`, senhaNova: 'senha-nova-123' } })).statusCode);
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    });
  });

  describe('esqueci minha senha', () => {
    it('mails a single-use link that sets a new password and ends every session', async () => {
      const cliente = await createCliente(t);
      const email = uniqueEmail('esqueci');
      const user = await t.services.users.create({ email, nome: 'Esquecida', senha: TEST_PASSWORD, memberships: [{ clienteId: cliente.id, role: 'editor' }] });
      const session = await sessionOf(await login(email, TEST_PASSWORD), user.id, email);
      // A Host chosen by the caller never makes it into the link (reset poisoning).
      const ask = () => request({ method: 'POST', url: '/painel/api/auth/senha/esqueci', payload: { email: email.toUpperCase() }, headers: { host: 'evil.example' } });
      const redefinir = (token: string, senhaNova: string) => request({ method: 'POST', url: '/painel/api/auth/senha/redefinir', payload: { token, senhaNova } });

      expect((await ask()).statusCode).toBe(202);
      const first = await latestLink(cliente.id, email, 'redefinir-senha');
      const [mensagem] = (await t.services.caixaDeSaida.listar({ clienteId: cliente.id, instancia: 1, pagina: 1, porPagina: 1 })).itens;
      expect(mensagem!.texto).toContain(`http://localhost:${t.config.port}/painel/redefinir-senha#${first}`);
      expect(mensagem!.texto).not.toContain('evil.example');
      expect((await ask()).statusCode).toBe(202);
      const token = await latestLink(cliente.id, email, 'redefinir-senha');
      // Only the newest link works, and only its hash is stored.
      expectError(await redefinir(first, 'senha-redefinida-1'), 404, 'NOT_FOUND');
      const stored = await t.database.db.selectFrom('painel_redefinicoes_senha').selectAll().where('user_id', '=', user.id).execute();
      expect(stored.map((r) => r.token_hash)).toEqual([sha256Hex(token)]);

      expect(expectError(await redefinir(token, 'curta'), 400, 'VALIDATION_FAILED').details?.map((d) => d.field)).toEqual(['senhaNova']);
      const done = await redefinir(token, 'senha-redefinida-1');
      expect(done.statusCode).toBe(204);
      expectError(await sessao(session), 401, 'UNAUTHENTICATED');
      expectError(await redefinir(token, 'senha-redefinida-2'), 404, 'NOT_FOUND');
      expectError(await login(email, TEST_PASSWORD), 401, 'INVALID_CREDENTIALS');
      expect((await login(email, 'senha-redefinida-1')).statusCode).toBe(200);

      // Expired links are refused.
      await ask();
      const late = await latestLink(cliente.id, email, 'redefinir-senha');
      clock.advance(61 * 60_000);
      expectError(await redefinir(late, 'senha-redefinida-3'), 404, 'NOT_FOUND');
    });

    it('sends nothing for an unknown or inactive e-mail', async () => {
      const cliente = await createCliente(t);
      const inactive = await t.services.users.create({ email: uniqueEmail('inativa'), nome: 'Inativa', senha: TEST_PASSWORD, memberships: [{ clienteId: cliente.id, role: 'leitor' }] });
      await t.services.users.setActive(inactive.id, false);
      const unknown = uniqueEmail('ninguem');
      for (const email of [inactive.email, unknown]) expect((await request({ method: 'POST', url: '/painel/api/auth/senha/esqueci', payload: { email } })).statusCode).toBe(202);
      expect(await linksTo(cliente.id, inactive.email, 'redefinir-senha')).toEqual([]);
      expect(await t.database.db.selectFrom('painel_redefinicoes_senha').selectAll().where('user_id', '=', inactive.id).execute()).toEqual([]);
    });
  });

  describe('login backoff per e-mail and IP', () => {
    it('an IP that keeps failing waits (429, Retry-After) for that e-mail only; the owner elsewhere is never refused', async () => {
      const email = uniqueEmail('alvo');
      await t.services.users.create({ email, nome: 'Alvo', senha: TEST_PASSWORD });
      const attacker = freshIp();
      for (let i = 0; i < loginBackoffPolicy.freeFailures; i += 1) expectError(await login(email, `errada-${i}-abc`, attacker), 401, 'INVALID_CREDENTIALS');
      const waiting = await login(email, TEST_PASSWORD, attacker);
      expectError(waiting, 429, 'RATE_LIMITED');
      expect(Number(waiting.headers['retry-after'])).toBe(loginBackoffPolicy.firstWaitSeconds);
      expect(waiting.cookies.find((c) => c.name === 'ponte_sessao')).toBeUndefined();
      // No 423 and no lock of the account: the owner, from another address, logs in.
      expect((await login(email, TEST_PASSWORD, freshIp())).statusCode).toBe(200);
      // Another e-mail from the attacker's address is not affected either.
      const other = uniqueEmail('outra');
      await t.services.users.create({ email: other, nome: 'Outra', senha: TEST_PASSWORD });
      expect((await login(other, TEST_PASSWORD, attacker)).statusCode).toBe(200);
    });

    it('unknown and known e-mails go through the same 401s and the same 429', async () => {
      const [known, unknown] = sameLengthEmails();
      await t.services.users.create({ email: known, nome: 'Conhecida', senha: TEST_PASSWORD });
      const ip = freshIp();
      const run = async (email: string) => {
        const answers: string[] = [];
        for (let i = 0; i <= loginBackoffPolicy.freeFailures; i += 1) {
          const response = await login(email, `errada-${i}-abc`, ip);
          answers.push(`${response.statusCode} ${response.json().error.code} ${response.headers['retry-after'] ?? '-'} ${response.json().error.message}`);
        }
        return answers;
      };
      const knownAnswers = await run(known);
      expect(knownAnswers.at(-1)).toMatch(/^429 RATE_LIMITED 30 /);
      expect(await run(unknown)).toEqual(knownAnswers);
    });
  });
});
