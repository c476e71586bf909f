import { randomBytes } from 'node:crypto';
import type { ClientApi } from '../../src/modules/client-tokens/client-tokens.repo.ts';
import type { Role } from '../../src/platform/http/painel-authz.ts';
import type { TestApp } from './test-app.ts';

export const TEST_PASSWORD = 'senha-de-teste-123';

export function uniqueEmail(label = 'usuario'): string {
  return `${label}-${randomBytes(4).toString('hex')}@exemplo.com.br`;
}

export async function createCliente(t: TestApp, nome = 'Operadora Teste') {
  return t.services.clientes.create({ nome });
}

export async function createClientToken(t: TestApp, clienteId: string, apis: ClientApi[] = ['chavePasse']) {
  return t.services.tokens.create({ clienteId, apis, descricao: 'teste', actor: { userId: null, label: 'teste' } });
}

/** A painel user (platform admin, or with `role` in `clienteId`), already logged in. */
export async function loginAs(t: TestApp, access: { platformAdmin: true } | { clienteId: string; role: Role }) {
  const email = uniqueEmail('role' in access ? access.role : 'admin');
  const user = await t.services.users.create({
    email,
    nome: 'Pessoa Teste',
    senha: TEST_PASSWORD,
    isPlatformAdmin: 'platformAdmin' in access,
    memberships: 'role' in access ? [{ clienteId: access.clienteId, role: access.role }] : [],
  });
  const response = await t.app.inject({ method: 'POST', url: '/painel/api/auth/login', payload: { email, senha: TEST_PASSWORD } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'ponte_sessao');
  if (!cookie) throw new Error('login did not set the session cookie');
  const { csrfToken } = response.json() as { csrfToken: string };
  return {
    user,
    email,
    cookieHeader: `ponte_sessao=${cookie.value}`,
    csrfToken,
    /** Headers for a state-changing painel request. */
    headers: { cookie: `ponte_sessao=${cookie.value}`, 'x-csrf-token': csrfToken },
  };
}
