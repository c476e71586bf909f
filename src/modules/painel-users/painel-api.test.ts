import { createHash } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientToken, createCliente, loginAs, TEST_PASSWORD, uniqueEmail } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

const TEMP_AUTH = '/clientes/auth/temp-authorization';

/** A painel error: the status, the catalogue code, and the request id of the response. */
function expectError(response: LightMyRequestResponse, status: number, code: string) {
  expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });
  expect(response.json().error.requestId).toBe(response.headers['x-request-id']);
  return response.json().error as { code: string; message: string; details?: { field?: string; message: string }[] };
}

async function createUser(t: TestApp, options: { platformAdmin?: boolean } = {}) {
  const email = uniqueEmail('pessoa');
  await t.services.users.create({ email, nome: 'Pessoa', senha: TEST_PASSWORD, isPlatformAdmin: options.platformAdmin ?? false });
  return email;
}

const login = (t: TestApp, email: string, senha: string, remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/painel/api/auth/login', payload: { email, senha }, remoteAddress });

// Failing logins get their own loopback address so the per-IP failure limit never interferes.
let lastOctet = 0;
const freshIp = () => `127.0.4.${++lastOctet}`;

describe('painel API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** The temp-auth answer for a token do cliente: what proves a token works or not. */
  const mintWith = (token: string) => t.app.inject({ method: 'POST', url: TEMP_AUTH, headers: { authorization: token } });

  describe('session', () => {
    it('login sets an HttpOnly SameSite=Strict session cookie on / and returns the CSRF token', async () => {
      const email = await createUser(t);
      const response = await login(t, email, TEST_PASSWORD);
      expect(response.statusCode).toBe(200);
      const cookie = response.cookies.find((c) => c.name === 'ponte_sessao');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(cookie?.value).toMatch(/^psess_/);
      const setCookie = String(response.headers['set-cookie']);
      expect(setCookie).toMatch(/;\s*HttpOnly/i);
      expect(setCookie).toMatch(/;\s*SameSite=Strict/i);
      expect(setCookie).toMatch(/;\s*Path=\/(;|$)/);
      const body = response.json();
      expect(body.csrfToken).toMatch(/^[0-9a-f]{64}$/);
      expect(body.usuario.email).toBe(email);
      // The session secret travels only in the HttpOnly cookie.
      expect(response.body).not.toContain(cookie!.value);
    });

    it('refuses a wrong password and an unknown e-mail with the same 401 INVALID_CREDENTIALS', async () => {
      const email = await createUser(t);
      const wrong = expectError(await login(t, email, 'senha-errada-123', freshIp()), 401, 'INVALID_CREDENTIALS');
      const unknown = expectError(await login(t, uniqueEmail('ninguem'), TEST_PASSWORD, freshIp()), 401, 'INVALID_CREDENTIALS');
      expect(unknown.message).toBe(wrong.message);
    });

    it('never locks the account: 5 wrong passwords make that e-mail wait from that IP only (429), never 423', async () => {
      const email = await createUser(t);
      const ip = freshIp();
      for (let i = 0; i < 5; i += 1) expectError(await login(t, email, `senha-errada-${i}`, ip), 401, 'INVALID_CREDENTIALS');
      const response = await login(t, email, TEST_PASSWORD, ip);
      expectError(response, 429, 'RATE_LIMITED');
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.cookies.find((c) => c.name === 'ponte_sessao')).toBeUndefined();
      expect((await login(t, email, TEST_PASSWORD, freshIp())).statusCode).toBe(200);
    });

    it('GET /painel/api/auth/sessao answers with the cookie and is 401 UNAUTHENTICATED without it', async () => {
      const cliente = await createCliente(t);
      const session = await loginAs(t, { clienteId: cliente.id, role: 'editor' });
      const withCookie = await t.app.inject({ method: 'GET', url: '/painel/api/auth/sessao', headers: { cookie: session.cookieHeader } });
      expect(withCookie.statusCode).toBe(200);
      expect(withCookie.json()).toMatchObject({
        usuario: { email: session.email },
        clientes: [{ id: cliente.id, papel: 'editor' }],
        csrfToken: session.csrfToken,
      });
      expectError(await t.app.inject({ method: 'GET', url: '/painel/api/auth/sessao' }), 401, 'UNAUTHENTICATED');
      expectError(await t.app.inject({ method: 'GET', url: '/painel/api/auth/sessao', headers: { cookie: 'ponte_sessao=psess_inventado' } }), 401, 'UNAUTHENTICATED');
    });

    it('rejects a state-changing request without, or with a wrong, x-csrf-token: 403 CSRF_REJECTED and nothing done', async () => {
      const cliente = await createCliente(t);
      const admin = await loginAs(t, { clienteId: cliente.id, role: 'admin' });
      const otherSession = await loginAs(t, { clienteId: cliente.id, role: 'admin' });
      const url = `/painel/api/clientes/${cliente.id}/tokens`;
      const payload = { apis: ['chavePasse'], descricao: 'csrf' };
      const attempts: InjectOptions['headers'][] = [
        { cookie: admin.cookieHeader },
        { cookie: admin.cookieHeader, 'x-csrf-token': '' },
        { cookie: admin.cookieHeader, 'x-csrf-token': admin.csrfToken.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
        // A CSRF token is bound to its own session.
        { cookie: admin.cookieHeader, 'x-csrf-token': otherSession.csrfToken },
      ];
      for (const headers of attempts) expectError(await t.app.inject({ method: 'POST', url, headers, payload }), 403, 'CSRF_REJECTED');
      const list = await t.app.inject({ method: 'GET', url, headers: { cookie: admin.cookieHeader } });
      expect(list.json().tokens).toEqual([]);
      expect((await t.app.inject({ method: 'POST', url, headers: admin.headers, payload })).statusCode).toBe(201);
    });

    it('logout ends the session: the cookie no longer works', async () => {
      const email = await createUser(t);
      const response = await login(t, email, TEST_PASSWORD);
      const cookie = `ponte_sessao=${response.cookies.find((c) => c.name === 'ponte_sessao')!.value}`;
      const headers = { cookie, 'x-csrf-token': response.json().csrfToken as string };
      expect((await t.app.inject({ method: 'GET', url: '/painel/api/auth/sessao', headers: { cookie } })).statusCode).toBe(200);
      const logout = await t.app.inject({ method: 'POST', url: '/painel/api/auth/logout', headers });
      expect(logout.statusCode).toBe(204);
      expect(logout.cookies.find((c) => c.name === 'ponte_sessao')?.value).toBe('');
      expectError(await t.app.inject({ method: 'GET', url: '/painel/api/auth/sessao', headers: { cookie } }), 401, 'UNAUTHENTICATED');
      expectError(await t.app.inject({ method: 'POST', url: '/painel/api/auth/logout', headers }), 401, 'UNAUTHENTICATED');
    });
  });

  describe('roles', () => {
    it('a leitor lists tokens but gets 403 FORBIDDEN creating or revoking one', async () => {
      const cliente = await createCliente(t);
      const { token, plaintext } = await createClientToken(t, cliente.id);
      const leitor = await loginAs(t, { clienteId: cliente.id, role: 'leitor' });
      const url = `/painel/api/clientes/${cliente.id}/tokens`;
      const list = await t.app.inject({ method: 'GET', url, headers: { cookie: leitor.cookieHeader } });
      expect(list.statusCode).toBe(200);
      expect(list.json().tokens.map((x: { id: string }) => x.id)).toEqual([token.id]);
      expectError(await t.app.inject({ method: 'POST', url, headers: leitor.headers, payload: { apis: ['chavePasse'] } }), 403, 'FORBIDDEN');
      expectError(await t.app.inject({ method: 'DELETE', url: `${url}/${token.id}`, headers: leitor.headers }), 403, 'FORBIDDEN');
      expect((await mintWith(plaintext)).statusCode).toBe(200);
    });

    it('an editor cannot create tokens either (admin only)', async () => {
      const cliente = await createCliente(t);
      const editor = await loginAs(t, { clienteId: cliente.id, role: 'editor' });
      const url = `/painel/api/clientes/${cliente.id}/tokens`;
      expectError(await t.app.inject({ method: 'POST', url, headers: editor.headers, payload: { apis: ['chavePasse'] } }), 403, 'FORBIDDEN');
      expect((await t.app.inject({ method: 'GET', url, headers: { cookie: editor.cookieHeader } })).json().tokens).toEqual([]);
    });

    it('another cliente’s admin gets 404 NOT_FOUND on every route of a cliente not theirs', async () => {
      const target = await createCliente(t, 'Alvo');
      const own = await createCliente(t, 'Própria');
      const { token, plaintext } = await createClientToken(t, target.id);
      const intruder = await loginAs(t, { clienteId: own.id, role: 'admin' });
      const base = `/painel/api/clientes/${target.id}`;
      const read = { cookie: intruder.cookieHeader };
      const requests: InjectOptions[] = [
        { method: 'GET', url: base, headers: read },
        { method: 'GET', url: `${base}/tokens`, headers: read },
        { method: 'POST', url: `${base}/tokens`, headers: intruder.headers, payload: { apis: ['chavePasse'] } },
        { method: 'DELETE', url: `${base}/tokens/${token.id}`, headers: intruder.headers },
        { method: 'GET', url: `${base}/usuarios`, headers: read },
        { method: 'POST', url: `${base}/usuarios`, headers: intruder.headers, payload: { email: uniqueEmail(), nome: 'X', senha: TEST_PASSWORD, papel: 'admin' } },
        { method: 'GET', url: `${base}/auditoria`, headers: read },
      ];
      for (const request of requests) {
        const response = await t.app.inject(request);
        expect({ route: `${request.method} ${request.url}`, status: response.statusCode }).toEqual({ route: `${request.method} ${request.url}`, status: 404 });
        expectError(response, 404, 'NOT_FOUND');
      }
      // Nothing happened to the target: its token still works and it has no new token nor member.
      expect((await mintWith(plaintext)).statusCode).toBe(200);
      expect(await t.services.tokens.list(target.id)).toHaveLength(1);
      expect(await t.services.users.listMembers(target.id)).toEqual([]);
    });

    it('only a platform admin creates clientes', async () => {
      const cliente = await createCliente(t);
      const clienteAdmin = await loginAs(t, { clienteId: cliente.id, role: 'admin' });
      const payload = { nome: 'Operadora Nova' };
      expectError(await t.app.inject({ method: 'POST', url: '/painel/api/clientes', headers: clienteAdmin.headers, payload }), 403, 'FORBIDDEN');
      const platform = await loginAs(t, { platformAdmin: true });
      const created = await t.app.inject({ method: 'POST', url: '/painel/api/clientes', headers: platform.headers, payload });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ nome: 'Operadora Nova', id: expect.stringMatching(/^cli_/) });
    });
  });

  describe('tokens do cliente', () => {
    let clienteId: string;
    let admin: Awaited<ReturnType<typeof loginAs>>;
    let url: string;
    beforeAll(async () => {
      clienteId = (await createCliente(t)).id;
      admin = await loginAs(t, { clienteId, role: 'admin' });
      url = `/painel/api/clientes/${clienteId}/tokens`;
    });
    const createToken = (payload: unknown) => t.app.inject({ method: 'POST', url, headers: admin.headers, payload: payload as object });

    it('creates a token and shows the plaintext once; the list never holds it nor its hash', async () => {
      const response = await createToken({ apis: ['chavePasse', 'seguranca'], descricao: 'Integração ERP' });
      expect(response.statusCode).toBe(201);
      const created = response.json();
      expect(Object.keys(created).sort()).toEqual(['apis', 'criadoEm', 'descricao', 'id', 'prefixo', 'revogadoEm', 'token', 'ultimoUsoEm']);
      expect(created).toMatchObject({ apis: ['chavePasse', 'seguranca'], descricao: 'Integração ERP', revogadoEm: null, ultimoUsoEm: null });
      const plaintext = created.token as string;
      expect(plaintext).toMatch(/^ptk_/);
      expect(created.prefixo.length).toBeGreaterThan(4);
      expect(created.prefixo.length).toBeLessThan(plaintext.length);
      expect(plaintext.startsWith(created.prefixo)).toBe(true);

      const list = await t.app.inject({ method: 'GET', url, headers: { cookie: admin.cookieHeader } });
      expect(list.statusCode).toBe(200);
      const digest = createHash('sha256').update(plaintext).digest();
      for (const secret of [plaintext, plaintext.slice(created.prefixo.length), digest.toString('hex'), digest.toString('base64'), digest.toString('base64url')]) {
        expect(list.body).not.toContain(secret);
      }
      const listed = list.json().tokens.find((x: { id: string }) => x.id === created.id);
      const { token: _plaintext, ...withoutPlaintext } = created;
      expect(listed).toStrictEqual(withoutPlaintext);
    });

    it.each([
      ['no API', { apis: [] }, 'apis'],
      ['an unknown API', { apis: ['chavePasse', 'pagamentos'] }, 'apis'],
      ['a descricao over 200 characters', { apis: ['chavePasse'], descricao: 'x'.repeat(201) }, 'descricao'],
    ])('refuses %s with 400 VALIDATION_FAILED and details', async (_label, payload, field) => {
      const error = expectError(await createToken(payload), 400, 'VALIDATION_FAILED');
      expect(error.details?.length).toBeGreaterThan(0);
      expect(error.details!.some((d) => d.field?.startsWith(field) && d.message.length > 0)).toBe(true);
    });

    it('revokes once (200 with revogadoEm), then 404; the token stops minting temp tokens with the exact 401', async () => {
      const created = (await createToken({ apis: ['chavePasse'] })).json();
      const minted = await mintWith(created.token);
      expect(minted.statusCode).toBe(200);
      expect(minted.json()).toMatchObject({ status: true, message: 'Token gerado com sucesso!' });

      const revoked = await t.app.inject({ method: 'DELETE', url: `${url}/${created.id}`, headers: admin.headers });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json()).toMatchObject({ id: created.id, revogadoEm: expect.any(Number) });
      expect(revoked.json()).not.toHaveProperty('token');
      expectError(await t.app.inject({ method: 'DELETE', url: `${url}/${created.id}`, headers: admin.headers }), 404, 'NOT_FOUND');

      const refused = await mintWith(created.token);
      expect(refused.statusCode).toBe(401);
      expect(JSON.parse(refused.body)).toStrictEqual({ success: false, message: 'Invalid token.' });
    });

    it('revoking another cliente’s token id through your own cliente’s URL is 404 and the token keeps working', async () => {
      const other = await createCliente(t, 'Outra');
      const { token, plaintext } = await createClientToken(t, other.id);
      expectError(await t.app.inject({ method: 'DELETE', url: `${url}/${token.id}`, headers: admin.headers }), 404, 'NOT_FOUND');
      expect((await mintWith(plaintext)).statusCode).toBe(200);
      expect((await t.services.tokens.list(other.id))[0]?.revokedAt).toBeNull();
    });

    it('audits creation and revocation with the actor e-mail, never the plaintext', async () => {
      const created = (await createToken({ apis: ['seguranca'], descricao: 'auditada' })).json();
      expect((await t.app.inject({ method: 'DELETE', url: `${url}/${created.id}`, headers: admin.headers })).statusCode).toBe(200);
      const response = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/auditoria`, headers: { cookie: admin.cookieHeader } });
      expect(response.statusCode).toBe(200);
      const events = (response.json().eventos as { acao: string; ator: string; alvo: { tipo: string; id: string } }[]).filter((e) => e.alvo.id === created.id);
      expect(events.map((e) => e.acao).sort()).toEqual(['token.criado', 'token.revogado']);
      for (const event of events) expect(event).toMatchObject({ ator: admin.email, alvo: { tipo: 'token', id: created.id } });
      expect(response.body).not.toContain(created.token);
      expect(response.body).not.toContain(created.token.slice(created.prefixo.length));
    });
  });

  describe('usuarios', () => {
    it('an admin invites a member (202): listed as an invitation, not as a member, until they accept', async () => {
      const cliente = await createCliente(t);
      const admin = await loginAs(t, { clienteId: cliente.id, role: 'admin' });
      const url = `/painel/api/clientes/${cliente.id}/usuarios`;
      const email = uniqueEmail('membro');

      const created = await t.app.inject({ method: 'POST', url, headers: admin.headers, payload: { email, papel: 'editor' } });
      expect(created.statusCode).toBe(202);
      expect(created.json().convite).toMatchObject({ email, papel: 'editor', status: 'pendente' });
      const list = await t.app.inject({ method: 'GET', url, headers: { cookie: admin.cookieHeader } });
      expect(list.json().usuarios.map((u: { email: string }) => u.email)).toEqual([admin.email]);
      const convites = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${cliente.id}/convites`, headers: { cookie: admin.cookieHeader } });
      expect(convites.json().convites.map((c: { email: string; status: string }) => [c.email, c.status])).toEqual([[email, 'pendente']]);
    });
  });
});

describe('per-IP limit on painel login failures', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { PONTE_AUTH_FAILURES_PER_IP: '3' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 RATE_LIMITED after 3 failures, even with the right password, and only for that IP', async () => {
    const email = await createUser(t);
    for (let i = 0; i < 3; i += 1) expectError(await login(t, email, `senha-errada-${i}`, '127.0.5.1'), 401, 'INVALID_CREDENTIALS');
    const blocked = await login(t, email, TEST_PASSWORD, '127.0.5.1');
    expectError(blocked, 429, 'RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(t, email, TEST_PASSWORD, '127.0.5.2')).statusCode).toBe(200);
  });
});
