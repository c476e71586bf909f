import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../app.ts';
import { describeSeedUsers } from '../simulator/seed-data.ts';

/** What the demo seed created; kept in `<dataDir>/demo.json` (ids only, never a secret) so restarts do not reseed. */
type DemoRecord = { clienteId: string; adminEmail: string; grupoId: string; tokenId: string; seededAt: string };

export const DEMO_ADMIN_EMAIL = 'admin@ponte.local';
const actor = { userId: null, label: 'demo' };

/**
 * Seeds an idempotent demo on embedded storage: a cliente with a platform admin, a grupo de
 * autorização and a Sandbox integração pointing at the bundled operator simulator, and a token do
 * cliente. Secrets (admin password, token) are printed once, on the run that creates them.
 */
export async function seedDemo(services: Services, options: { dataDir: string; simulatorUrl: string }): Promise<{ created: boolean; lines: string[] }> {
  const recordFile = join(options.dataDir, 'demo.json');
  if (existsSync(recordFile)) {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as DemoRecord;
    // The simulator port may differ between runs (PONTE_SIMULATOR_PORT): keep the integração pointing at it.
    await pointIntegrationAt(services, record, options.simulatorUrl);
    return { created: false, lines: [`Demo já preparada em ${record.seededAt}: entre com ${record.adminEmail} (senha exibida na primeira execução).`] };
  }

  const senha = randomBytes(12).toString('base64url');
  const cliente = await services.clientes.create({ nome: 'Operadora Demo' });
  await services.users.create({ email: DEMO_ADMIN_EMAIL, nome: 'Administrador da demo', senha, isPlatformAdmin: true, actor });
  const grupo = await services.grupos.create({
    clienteId: cliente.id,
    instancia: 1,
    nome: 'Grupo da operadora demo',
    url: `${options.simulatorUrl}/autorizacao`,
    usuario: 'demo',
    senha: 'demo',
    actor,
  });
  const { token, plaintext } = await services.tokens.create({ clienteId: cliente.id, apis: ['chavePasse', 'seguranca'], descricao: 'Token da demo', actor });
  const record: DemoRecord = { clienteId: cliente.id, adminEmail: DEMO_ADMIN_EMAIL, grupoId: grupo.id, tokenId: token.id, seededAt: new Date().toISOString() };
  await pointIntegrationAt(services, record, options.simulatorUrl);
  writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });

  const [titular] = describeSeedUsers();
  return {
    created: true,
    lines: [
      'Demo criada (exibida só agora — guarde):',
      `  Painel:  ${DEMO_ADMIN_EMAIL}  /  ${senha}`,
      `  Token do cliente (chavePasse, seguranca):  ${plaintext}`,
      `  Cliente: ${cliente.nome} (${cliente.id}); Sandbox integrada ao simulador em ${options.simulatorUrl}`,
      ...(titular ? [`  Beneficiário de teste no simulador: ${titular.login} / ${titular.senha} (${titular.nome}); todos: npx ponte operator-sim --list-users`] : []),
    ],
  };
}

async function pointIntegrationAt(services: Services, record: DemoRecord, simulatorUrl: string): Promise<void> {
  const current = await services.integracoes.get(record.clienteId, 1);
  if (current?.baseUrl === simulatorUrl) return;
  const grupo = await services.grupos.get(record.clienteId, record.grupoId).catch(() => undefined);
  if (grupo && !grupo.url.startsWith(simulatorUrl)) {
    await services.grupos.update({ clienteId: record.clienteId, grupoId: grupo.id, nome: grupo.nome, url: `${simulatorUrl}/autorizacao`, usuario: grupo.usuario, actor });
  }
  await services.integracoes.save({
    clienteId: record.clienteId,
    instancia: 1,
    baseUrl: simulatorUrl,
    grupoId: grupo?.id ?? null,
    metodos: {},
    headers: [],
    actor,
  });
}
