import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs, TEST_PASSWORD, uniqueEmail } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import type { Membership } from './painel-users.repo.ts';

function expectError(response: LightMyRequestResponse, status: number, code: string) {
  expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });
  return response.json().error as { code: string; message: string; details?: { field?: string; message: string }[] };
}

type Session = Awaited<ReturnType<typeof loginAs>>;

describe('painel — usuários do cliente', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (email: string, senha: string) => t.app.inject({ method: 'POST', url: '/painel/api/auth/login', payload: { email, senha } });

  /** A user with these memberships (and optionally platform admin), logged in. */
  async function person(memberships: Membership[], options: { platformAdmin?: boolean } = {}): Promise<Session & { id: string }> {
    const email = uniqueEmail('pessoa');
    const user = await t.services.users.create({ email, nome: `Pessoa ${email.slice(7, 15)}`, senha: TEST_PASSWORD, memberships, isPlatformAdmin: options.platformAdmin ?? false });
    const response = await login(email, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'ponte_sessao')!.value;
    const csrfToken = response.json().csrfToken as string;
    return { id: user.id, user, email, csrfToken, cookieHeader: `ponte_sessao=${cookie}`, headers: { cookie: `ponte_sessao=${cookie}`, 'x-csrf-token': csrfToken } };
  }

  /** A user who never logs in in the test. */
  async function member(memberships: Membership[], options: { platformAdmin?: boolean } = {}) {
    const email = uniqueEmail('membro');
    return t.services.users.create({ email, nome: 'Membro', senha: TEST_PASSWORD, memberships, isPlatformAdmin: options.platformAdmin ?? false });
  }

  const usuariosUrl = (clienteId: string) => `/painel/api/clientes/${clienteId}/usuarios`;
  const list = async (clienteId: string, session: Session) => {
    const response = await t.app.inject({ method: 'GET', url: usuariosUrl(clienteId), headers: { cookie: session.cookieHeader } });
    expect(response.statusCode).toBe(200);
    return response.json().usuarios as { id: string; email: string; nome: string; papel: string; ativo: boolean; podeAlterarStatus: boolean; ultimoAcessoEm: number | null }[];
  };
  const auditActions = async (clienteId: string, session: Session, targetId: string) => {
    const response = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/auditoria`, headers: { cookie: session.cookieHeader } });
    return (response.json().eventos as { acao: string; ator: string; alvo: { id: string }; antes: unknown; depois: unknown }[]).filter((e) => e.alvo.id === targetId);
  };
  const request = (options: InjectOptions) => t.app.inject(options);

  describe('POST …/usuarios — convidar pessoa', () => {
    // Invitations in depth (links, acceptance, the takeover scenario): painel-contas.routes.test.ts.
    it('answers 202 with the invitation only: nobody joins, no password exists, nothing of any account is returned', async () => {
      const [cliente, outro] = [await createCliente(t), await createCliente(t)];
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const existing = await member([{ clienteId: outro.id, role: 'editor' }]);
      for (const email of [uniqueEmail('novo'), existing.email.toUpperCase()]) {
        const response = await request({ method: 'POST', url: usuariosUrl(cliente.id), headers: admin.headers, payload: { email, nome: 'Ignorado', senha: 'senha-escolhida-1', papel: 'editor' } });
        expect(response.statusCode).toBe(202);
        expect(response.json()).toEqual({
          convite: { id: expect.stringMatching(/^cnv_/), email: email.toLowerCase(), papel: 'editor', status: 'pendente', expiraEm: expect.any(Number), criadoEm: expect.any(Number) },
        });
        expectError(await login(email, 'senha-escolhida-1'), 401, 'INVALID_CREDENTIALS');
      }
      expect((await list(cliente.id, admin)).map((u) => u.email)).toEqual([admin.email]);
      const sessao = await t.app.inject({ method: 'GET', url: '/painel/api/auth/sessao', headers: { cookie: (await person([{ clienteId: outro.id, role: 'leitor' }])).cookieHeader } });
      expect(sessao.statusCode).toBe(200);
      expect((await t.services.users.listMembers(outro.id)).find((m) => m.id === existing.id)?.role).toBe('editor');
    });

    it.each([
      ['an invalid e-mail', { email: 'não-é-email', papel: 'editor' }, 'email'],
      ['an unknown papel', { email: 'a@b.com.br', papel: 'dono' }, 'papel'],
    ])('refuses %s with 400 on that field', async (_label, payload, field) => {
      const cliente = await createCliente(t);
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const error = expectError(await request({ method: 'POST', url: usuariosUrl(cliente.id), headers: admin.headers, payload }), 400, 'VALIDATION_FAILED');
      expect(error.details?.some((d) => d.field === field)).toBe(true);
    });

    it('refuses an e-mail already in the cliente (409), leaving the papel as it was', async () => {
      const cliente = await createCliente(t);
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const colleague = await member([{ clienteId: cliente.id, role: 'editor' }]);
      expectError(await request({ method: 'POST', url: usuariosUrl(cliente.id), headers: admin.headers, payload: { email: colleague.email, papel: 'admin' } }), 409, 'CONFLICT');
      expect((await list(cliente.id, admin)).find((u) => u.id === colleague.id)?.papel).toBe('editor');
    });
  });

  describe('PUT …/usuarios/:usuarioId/papel', () => {
    const url = (clienteId: string, userId: string) => `${usuariosUrl(clienteId)}/${userId}/papel`;

    it('changes a member’s papel (200) and audits before/after', async () => {
      const cliente = await createCliente(t);
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const target = await member([{ clienteId: cliente.id, role: 'editor' }]);
      const response = await request({ method: 'PUT', url: url(cliente.id, target.id), headers: admin.headers, payload: { papel: 'admin' } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: target.id, papel: 'admin' });
      expect((await list(cliente.id, admin)).find((u) => u.id === target.id)?.papel).toBe('admin');
      const [event] = await auditActions(cliente.id, admin, target.id).then((events) => events.filter((e) => e.acao === 'usuario.papel_alterado'));
      expect(event).toMatchObject({ ator: admin.email, antes: { role: 'editor' }, depois: { role: 'admin' } });
    });

    it('takes effect on the member’s next request: a demoted editor can no longer write', async () => {
      const cliente = await createCliente(t);
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const editor = await person([{ clienteId: cliente.id, role: 'editor' }]);
      expect((await request({ method: 'PUT', url: url(cliente.id, editor.id), headers: admin.headers, payload: { papel: 'leitor' } })).statusCode).toBe(200);
      expectError(await request({ method: 'POST', url: `/painel/api/clientes/${cliente.id}/instancias/1/formularios`, headers: editor.headers, payload: {} }), 403, 'FORBIDDEN');
    });

    it('refuses an unknown papel (400), your own papel (409) and someone not in the cliente (404)', async () => {
      const [cliente, outro] = [await createCliente(t), await createCliente(t)];
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      await member([{ clienteId: cliente.id, role: 'admin' }]);
      const stranger = await member([{ clienteId: outro.id, role: 'editor' }]);
      const invalid = expectError(await request({ method: 'PUT', url: url(cliente.id, admin.id), headers: admin.headers, payload: { papel: 'dono' } }), 400, 'VALIDATION_FAILED');
      expect(invalid.details?.map((d) => d.field)).toEqual(['papel']);
      expectError(await request({ method: 'PUT', url: url(cliente.id, admin.id), headers: admin.headers, payload: { papel: 'editor' } }), 409, 'CONFLICT');
      expectError(await request({ method: 'PUT', url: url(cliente.id, stranger.id), headers: admin.headers, payload: { papel: 'leitor' } }), 404, 'NOT_FOUND');
      expectError(await request({ method: 'PUT', url: url(cliente.id, 'usr_inexistente'), headers: admin.headers, payload: { papel: 'leitor' } }), 404, 'NOT_FOUND');
      expect((await t.services.users.listMembers(outro.id)).find((m) => m.id === stranger.id)?.role).toBe('editor');
    });

    it('keeps the last active admin: demoting them is 409 even for a platform admin; an inactive admin does not count', async () => {
      const cliente = await createCliente(t);
      const platform = await person([], { platformAdmin: true });
      const onlyAdmin = await member([{ clienteId: cliente.id, role: 'admin' }]);
      const inactiveAdmin = await member([{ clienteId: cliente.id, role: 'admin' }]);
      await t.services.users.setActive(inactiveAdmin.id, false);
      const error = expectError(await request({ method: 'PUT', url: url(cliente.id, onlyAdmin.id), headers: platform.headers, payload: { papel: 'editor' } }), 409, 'CONFLICT');
      expect(error.message).toContain(onlyAdmin.email);
      // Demoting the inactive one leaves the active admin in place: allowed.
      expect((await request({ method: 'PUT', url: url(cliente.id, inactiveAdmin.id), headers: platform.headers, payload: { papel: 'leitor' } })).statusCode).toBe(200);
      // With a second active admin, the first can be demoted.
      await member([{ clienteId: cliente.id, role: 'admin' }]);
      expect((await request({ method: 'PUT', url: url(cliente.id, onlyAdmin.id), headers: platform.headers, payload: { papel: 'editor' } })).statusCode).toBe(200);
    });

    it('two admins demoting each other at once: exactly one succeeds, the cliente keeps an admin', async () => {
      const cliente = await createCliente(t);
      const a = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const b = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const [first, second] = await Promise.all([
        request({ method: 'PUT', url: url(cliente.id, b.id), headers: a.headers, payload: { papel: 'leitor' } }),
        request({ method: 'PUT', url: url(cliente.id, a.id), headers: b.headers, payload: { papel: 'leitor' } }),
      ]);
      // The loser is refused either as the last admin (409, both in flight together) or, if the
      // winner committed before it was even authorized, as a leitor by then (403).
      const statuses = [first.statusCode, second.statusCode].sort();
      expect(statuses[0]).toBe(200);
      expect([403, 409]).toContain(statuses[1]);
      const admins = (await t.services.users.listMembers(cliente.id)).filter((m) => m.role === 'admin');
      expect(admins).toHaveLength(1);
    });
  });

  describe('DELETE …/usuarios/:usuarioId', () => {
    const url = (clienteId: string, userId: string) => `${usuariosUrl(clienteId)}/${userId}`;

    it('removes the membership only (204): the person loses the cliente at once but keeps the account and other clientes', async () => {
      const [cliente, outro] = [await createCliente(t), await createCliente(t)];
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const target = await person([
        { clienteId: cliente.id, role: 'editor' },
        { clienteId: outro.id, role: 'leitor' },
      ]);
      const response = await request({ method: 'DELETE', url: url(cliente.id, target.id), headers: admin.headers });
      expect(response.statusCode).toBe(204);
      expect(response.body).toBe('');
      expect((await list(cliente.id, admin)).map((u) => u.id)).not.toContain(target.id);
      expectError(await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${cliente.id}`, headers: { cookie: target.cookieHeader } }), 404, 'NOT_FOUND');
      expect((await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${outro.id}`, headers: { cookie: target.cookieHeader } })).statusCode).toBe(200);
      expect((await login(target.email, TEST_PASSWORD)).statusCode).toBe(200);
      const [event] = await auditActions(cliente.id, admin, target.id);
      expect(event).toMatchObject({ acao: 'usuario.removido', antes: { email: target.email, role: 'editor' } });
      expectError(await request({ method: 'DELETE', url: url(cliente.id, target.id), headers: admin.headers }), 404, 'NOT_FOUND');
    });

    it('refuses removing yourself and the last active admin (409)', async () => {
      const cliente = await createCliente(t);
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const platform = await person([], { platformAdmin: true });
      expectError(await request({ method: 'DELETE', url: url(cliente.id, admin.id), headers: admin.headers }), 409, 'CONFLICT');
      expectError(await request({ method: 'DELETE', url: url(cliente.id, admin.id), headers: platform.headers }), 409, 'CONFLICT');
      expect((await list(cliente.id, admin)).map((u) => u.id)).toEqual([admin.id]);
    });
  });

  describe('PUT …/usuarios/:usuarioId/ativo', () => {
    const url = (clienteId: string, userId: string) => `${usuariosUrl(clienteId)}/${userId}/ativo`;

    it('a cliente admin deactivates a member of only their cliente: sessions end at once, login refused; reactivating restores it', async () => {
      const cliente = await createCliente(t);
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const target = await person([{ clienteId: cliente.id, role: 'editor' }]);
      expect((await list(cliente.id, admin)).find((u) => u.id === target.id)?.podeAlterarStatus).toBe(true);

      const off = await request({ method: 'PUT', url: url(cliente.id, target.id), headers: admin.headers, payload: { ativo: false } });
      expect(off.statusCode).toBe(200);
      expect(off.json()).toMatchObject({ id: target.id, ativo: false, papel: 'editor' });
      expectError(await t.app.inject({ method: 'GET', url: '/painel/api/auth/sessao', headers: { cookie: target.cookieHeader } }), 401, 'UNAUTHENTICATED');
      expectError(await login(target.email, TEST_PASSWORD), 401, 'INVALID_CREDENTIALS');
      expect((await list(cliente.id, admin)).find((u) => u.id === target.id)?.ativo).toBe(false);

      const on = await request({ method: 'PUT', url: url(cliente.id, target.id), headers: admin.headers, payload: { ativo: true } });
      expect(on.json()).toMatchObject({ ativo: true });
      expect((await login(target.email, TEST_PASSWORD)).statusCode).toBe(200);
      expect((await auditActions(cliente.id, admin, target.id)).map((e) => e.acao).sort()).toEqual(['usuario.criado', 'usuario.desativado', 'usuario.reativado']);
      // The old session stays ended: deactivation deleted it.
      expectError(await t.app.inject({ method: 'GET', url: '/painel/api/auth/sessao', headers: { cookie: target.cookieHeader } }), 401, 'UNAUTHENTICATED');
    });

    it('a cliente admin cannot deactivate someone who is also in a cliente they do not administer (403); a platform admin can', async () => {
      const [cliente, outro] = [await createCliente(t), await createCliente(t)];
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const target = await member([
        { clienteId: cliente.id, role: 'editor' },
        { clienteId: outro.id, role: 'editor' },
      ]);
      expect((await list(cliente.id, admin)).find((u) => u.id === target.id)?.podeAlterarStatus).toBe(false);
      const error = expectError(await request({ method: 'PUT', url: url(cliente.id, target.id), headers: admin.headers, payload: { ativo: false } }), 403, 'FORBIDDEN');
      expect(error.message).toMatch(/clientes que você não administra/);
      expect((await t.services.users.listMembers(cliente.id)).find((m) => m.id === target.id)?.active).toBe(true);

      // Admin of both: allowed, and both clientes' audit logs record it.
      const adminOfBoth = await person([
        { clienteId: cliente.id, role: 'admin' },
        { clienteId: outro.id, role: 'admin' },
      ]);
      expect((await list(cliente.id, adminOfBoth)).find((u) => u.id === target.id)?.podeAlterarStatus).toBe(true);
      expect((await request({ method: 'PUT', url: url(cliente.id, target.id), headers: adminOfBoth.headers, payload: { ativo: false } })).statusCode).toBe(200);
      expect((await auditActions(outro.id, adminOfBoth, target.id)).map((e) => e.acao).sort()).toEqual(['usuario.criado', 'usuario.desativado']);

      const platform = await person([], { platformAdmin: true });
      expect((await request({ method: 'PUT', url: url(cliente.id, target.id), headers: platform.headers, payload: { ativo: true } })).json()).toMatchObject({ ativo: true });
    });

    it('only a platform admin deactivates a platform admin; nobody deactivates themselves (409); ativo must be a boolean', async () => {
      const cliente = await createCliente(t);
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const platformMember = await member([{ clienteId: cliente.id, role: 'leitor' }], { platformAdmin: true });
      expectError(await request({ method: 'PUT', url: url(cliente.id, platformMember.id), headers: admin.headers, payload: { ativo: false } }), 403, 'FORBIDDEN');
      expectError(await request({ method: 'PUT', url: url(cliente.id, admin.id), headers: admin.headers, payload: { ativo: false } }), 409, 'CONFLICT');
      const invalid = expectError(await request({ method: 'PUT', url: url(cliente.id, admin.id), headers: admin.headers, payload: { ativo: 'não' } }), 400, 'VALIDATION_FAILED');
      expect(invalid.details?.map((d) => d.field)).toEqual(['ativo']);
      const platform = await person([], { platformAdmin: true });
      expect((await request({ method: 'PUT', url: url(cliente.id, platformMember.id), headers: platform.headers, payload: { ativo: false } })).statusCode).toBe(200);
    });
  });

  describe('who may call the routes', () => {
    it('editor and leitor get 403, another cliente’s admin 404, no session 401 — on every route, and nothing changes', async () => {
      const [cliente, outro] = [await createCliente(t), await createCliente(t)];
      const target = await member([{ clienteId: cliente.id, role: 'editor' }]);
      const admin = await person([{ clienteId: cliente.id, role: 'admin' }]);
      const editor = await person([{ clienteId: cliente.id, role: 'editor' }]);
      const leitor = await person([{ clienteId: cliente.id, role: 'leitor' }]);
      const intruder = await person([{ clienteId: outro.id, role: 'admin' }]);
      const base = usuariosUrl(cliente.id);
      const writes: InjectOptions[] = [
        { method: 'POST', url: base, payload: { email: uniqueEmail(), nome: 'X', papel: 'admin' } },
        { method: 'PUT', url: `${base}/${target.id}/papel`, payload: { papel: 'admin' } },
        { method: 'PUT', url: `${base}/${target.id}/ativo`, payload: { ativo: false } },
        { method: 'DELETE', url: `${base}/${target.id}` },
      ];
      for (const write of writes) {
        const label = `${write.method} ${write.url}`;
        for (const [who, session, status] of [
          ['editor', editor, 403],
          ['leitor', leitor, 403],
          ['intruder', intruder, 404],
        ] as const) {
          const response = await request({ ...write, headers: session.headers });
          expect({ label, who, status: response.statusCode }).toEqual({ label, who, status });
        }
        expectError(await request(write), 401, 'UNAUTHENTICATED');
      }
      expectError(await t.app.inject({ method: 'GET', url: base, headers: { cookie: intruder.cookieHeader } }), 404, 'NOT_FOUND');
      expect((await t.app.inject({ method: 'GET', url: base, headers: { cookie: leitor.cookieHeader } })).statusCode).toBe(200);
      expectError(await t.app.inject({ method: 'GET', url: base }), 401, 'UNAUTHENTICATED');
      const members = await t.services.users.listMembers(cliente.id);
      expect(members.map((m) => m.id).sort()).toEqual([target.id, admin.id, editor.id, leitor.id].sort());
      expect(members.find((m) => m.id === target.id)).toMatchObject({ role: 'editor', active: true });
    });
  });
});
