import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Services } from '../app.ts';
import { defaultFormFor } from '../modules/forms/forms.defaults.ts';
import type { FormFinalidade, FormularioDefinicao } from '../modules/forms/forms.schemas.ts';
import { AppError } from '../platform/errors.ts';
import { describeSeedUsers, seedPeople } from '../simulator/seed-data.ts';
import { WEBVIEW_PATH } from '../simulator/webview.ts';

/**
 * What the demo seed created; kept in `<dataDir>/demo.json` (ids only, never a secret) so restarts
 * do not reseed. `formularios` and `funcionalidades` came with the demo app: a record written before
 * it lacks them, and the next start adds what is missing.
 */
type DemoRecord = {
  clienteId: string;
  adminEmail: string;
  grupoId: string;
  tokenId: string;
  seededAt: string;
  formularios?: Partial<Record<DemoForm, string>>;
  funcionalidades?: Partial<Record<DemoFuncionalidade, string>>;
};

/**
 * `<dataDir>/simulador.json` and `<dataDir>/portal.json` (mode 0600): the tokens do cliente the
 * simulator's WebView page (API `chavePasse`) and the portal do beneficiário (API `seguranca`)
 * call Ponte with. Development only — they play the operator's own secret store: Ponte keeps only
 * the hash, so without these files a restart could not hand the operator's pages their tokens again.
 */
type StoredToken = { tokenId: string; token: string };

export type DemoSeed = {
  created: boolean;
  lines: string[];
  /** The Sandbox app id (`/demo?app=…`). */
  appId: string;
  /** What the simulator's WebView page calls Ponte with. */
  simulatorToken: string;
  /** What the portal do beneficiário calls chaveAuth with (API `seguranca`), and the funcionalidade it embeds. */
  portal: { token: string; chaveFuncionalidade: string; funcionalidadeUrl: string };
};

export const DEMO_ADMIN_EMAIL = 'admin@ponte.local';
const actor = { userId: null, label: 'demo' };
const SANDBOX = 1;

type DemoForm = 'login' | 'recuperarSenhaIdentificacao' | 'trocarSenha';
type DemoFuncionalidade = 'boasVindas' | 'reembolso' | 'telemedicina';

/** The Sandbox forms, matching what the simulator expects (`login` is the CPF). */
const demoForms: Record<DemoForm, FormularioDefinicao> = {
  login: {
    nome: 'Login por CPF (demo)',
    finalidade: 'login',
    campos: [
      { nome: 'login', rotulo: 'CPF', tipo: 'cpf', obrigatorio: true, mascara: '999.999.999-99' },
      { nome: 'senha', rotulo: 'Senha', tipo: 'senha', obrigatorio: true },
    ],
  },
  recuperarSenhaIdentificacao: {
    nome: 'Identificação por CPF e nascimento (demo)',
    finalidade: 'recuperarSenhaIdentificacao',
    campos: [
      { nome: 'cpf', rotulo: 'CPF', tipo: 'cpf', obrigatorio: true, mascara: '999.999.999-99' },
      { nome: 'dataNascimento', rotulo: 'Data de nascimento', tipo: 'data', obrigatorio: true, mascara: '99/99/9999' },
    ],
  },
  trocarSenha: {
    nome: 'Trocar senha (demo)',
    finalidade: 'trocarSenha',
    // The default form's fields: the one new-senha policy (at least 6 characters, typed twice).
    campos: defaultFormFor('trocarSenha').campos,
  },
};

/**
 * Funcionalidades at the simulator's sample page. `codigo` ties them to the simulator's permissoes:
 * for the titular, Reembolso is blocked and Telemedicina hidden (`src/simulator/responses.ts`).
 */
const demoFuncionalidades: Record<DemoFuncionalidade, { nome: string; codigo?: string }> = {
  boasVindas: { nome: 'Boas-vindas' },
  reembolso: { nome: 'Reembolso', codigo: 'reembolso' },
  telemedicina: { nome: 'Telemedicina', codigo: 'telemedicina' },
};

const writeSecretJson = (file: string, value: unknown) => {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; an existing one is tightened too.
  chmodSync(file, 0o600);
};

/**
 * Seeds an idempotent demo on embedded storage: a cliente with a platform admin, a grupo de
 * autorização and a Sandbox integração pointing at the bundled operator simulator, a token do
 * cliente, what the beneficiary demo app needs (forms, funcionalidades at the simulator's
 * WebView page, the simulator's origin, and the token that page uses) and what the portal do
 * beneficiário needs (elegibilidade active in the Sandbox, the portal's origin, its `seguranca`
 * token). Secrets (admin password, token) are printed once, on the run that creates them. A start
 * with an older `demo.json` adds what it lacks; any start keeps the demo pointing at the
 * simulator's and the portal's current URLs.
 */
export async function seedDemo(services: Services, options: { dataDir: string; simulatorUrl: string; portalUrl: string }): Promise<DemoSeed> {
  const recordFile = join(options.dataDir, 'demo.json');
  const existing = existsSync(recordFile) ? (JSON.parse(readFileSync(recordFile, 'utf8')) as DemoRecord) : undefined;
  const lines: string[] = [];
  let record: DemoRecord;

  if (existing) {
    record = existing;
    lines.push(
      `Demo já preparada em ${record.seededAt}: entre com ${record.adminEmail} (senha exibida na primeira execução; esqueceu? npx ponte --dev admin senha --email ${record.adminEmail}).`,
    );
  } else {
    const senha = randomBytes(12).toString('base64url');
    const cliente = await services.clientes.create({ nome: 'Operadora Demo' });
    await services.users.create({ email: DEMO_ADMIN_EMAIL, nome: 'Administrador da demo', senha, isPlatformAdmin: true, actor });
    const grupo = await services.grupos.create({
      clienteId: cliente.id,
      instancia: SANDBOX,
      nome: 'Grupo da operadora demo',
      url: `${options.simulatorUrl}/autorizacao`,
      usuario: 'demo',
      senha: 'demo',
      actor,
    });
    const { token, plaintext } = await services.tokens.create({ clienteId: cliente.id, apis: ['chavePasse', 'seguranca'], descricao: 'Token da demo', actor });
    record = { clienteId: cliente.id, adminEmail: DEMO_ADMIN_EMAIL, grupoId: grupo.id, tokenId: token.id, seededAt: new Date().toISOString() };
    lines.push(
      'Demo criada (exibida só agora — guarde):',
      `  Entrada no painel:  ${DEMO_ADMIN_EMAIL}  /  ${senha}`,
      `  Token do cliente (chavePasse, seguranca):  ${plaintext}`,
      `  Cliente: ${cliente.nome} (${cliente.id}, código ${cliente.codigo}: o idCliente dos tokens temporários); Sandbox integrada ao simulador em ${options.simulatorUrl}`,
    );
  }

  const cliente = await services.clientes.get(record.clienteId);
  if (!cliente) {
    throw new AppError(
      'VALIDATION_FAILED',
      `A demo registrada em ${recordFile} não existe neste banco (cliente ${record.clienteId}). Apague ${recordFile}, ${join(options.dataDir, 'simulador.json')} e ${join(options.dataDir, 'portal.json')} para criá-la de novo.`,
    );
  }

  const createdForms = await ensureForms(services, record);
  await pointIntegrationAt(services, record, options.simulatorUrl, createdForms);
  const createdFuncionalidades = await ensureFuncionalidades(services, record, options.simulatorUrl);
  await ensureOrigin(services, record.clienteId, new URL(options.simulatorUrl).origin);
  const simulador = await ensureStoredToken(services, record.clienteId, join(options.dataDir, 'simulador.json'), 'chavePasse', 'Página de exemplo do simulador (demo)');
  // The portal do beneficiário: chaveAuth needs elegibilidade active; embedding needs its origin.
  const elegibilidade = await ensureElegibilidade(services, record.clienteId);
  await ensureOrigin(services, record.clienteId, new URL(options.portalUrl).origin);
  const portal = await ensureStoredToken(services, record.clienteId, join(options.dataDir, 'portal.json'), 'seguranca', 'Portal do beneficiário do simulador (demo)');
  writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });

  const added = [
    ...createdForms.map((f) => `formulário "${demoForms[f].nome}"`),
    ...createdFuncionalidades.map((f) => `funcionalidade "${demoFuncionalidades[f].nome}"`),
    ...(simulador.created ? ['token do cliente da página de exemplo do simulador'] : []),
    ...(elegibilidade === 'ativada' ? ['elegibilidade ativa na Sandbox'] : []),
    ...(portal.created ? ['token do cliente do portal do beneficiário'] : []),
  ];
  if (existing && added.length > 0) lines.push(`Demo atualizada: ${added.join(', ')}.`);
  // Not a secret (the simulator's seed): shown on every start, it is what the app demo logs in with.
  const [titular] = describeSeedUsers();
  if (titular) lines.push(`  Beneficiário de teste (app demo): CPF ${titular.login} / senha ${titular.senha} (${titular.nome}); todos: npx ponte operator-sim --list-users`);
  lines.push(`  Portal do beneficiário (embutir): ${options.portalUrl}/  — o site da operadora abre a sessão pelo chaveAuth e embute Boas-vindas`);
  if (typeof elegibilidade === 'object') lines.push(`  Atenção: a elegibilidade da Sandbox não foi ativada, e o portal do beneficiário será recusado: ${elegibilidade.problema}`);

  const appId = cliente.instancias.find((i) => i.numero === SANDBOX)!.appId;
  const boasVindas = await services.funcionalidades.get(record.clienteId, SANDBOX, record.funcionalidades!.boasVindas!);
  return {
    created: !existing,
    lines,
    appId,
    simulatorToken: simulador.token,
    portal: { token: portal.token, chaveFuncionalidade: boasVindas.chave, funcionalidadeUrl: boasVindas.url },
  };
}

/** Creates the demo forms the record lacks (or whose form was removed); returns which it created. */
async function ensureForms(services: Services, record: DemoRecord): Promise<DemoForm[]> {
  const created: DemoForm[] = [];
  record.formularios ??= {};
  for (const finalidade of Object.keys(demoForms) as DemoForm[]) {
    const id = record.formularios[finalidade];
    if (id && (await services.forms.get(record.clienteId, SANDBOX, id).then(() => true, () => false))) continue;
    const { formulario } = await services.forms.create({ clienteId: record.clienteId, instancia: SANDBOX, definicao: demoForms[finalidade], actor });
    record.formularios[finalidade] = formulario.id;
    created.push(finalidade);
  }
  return created;
}

/**
 * Keeps the Sandbox integração (and the grupo) at the simulator's URL, which may change between runs
 * (`PONTE_SIMULATOR_PORT`), and links the forms created in this run. Whatever else the integração
 * holds (forms chosen in the painel, headers, timeout) is kept.
 */
async function pointIntegrationAt(services: Services, record: DemoRecord, simulatorUrl: string, newForms: readonly DemoForm[]): Promise<void> {
  const current = await services.integracoes.get(record.clienteId, SANDBOX);
  if (current?.baseUrl === simulatorUrl && newForms.length === 0) return;
  const grupo = await services.grupos.get(record.clienteId, record.grupoId).catch(() => undefined);
  if (grupo && !grupo.url.startsWith(simulatorUrl)) {
    // The senha is bound to the grupo URL's origin: another address takes it again (the simulator's, as created above).
    await services.grupos.update({ clienteId: record.clienteId, grupoId: grupo.id, nome: grupo.nome, url: `${simulatorUrl}/autorizacao`, usuario: grupo.usuario, senha: 'demo', actor });
  }
  const metodos: Partial<Record<FormFinalidade, { url?: string; formularioId?: string }>> = { ...current?.metodos };
  for (const finalidade of newForms) metodos[finalidade] = { ...metodos[finalidade], formularioId: record.formularios![finalidade]! };
  await services.integracoes.save({
    clienteId: record.clienteId,
    instancia: SANDBOX,
    baseUrl: simulatorUrl,
    timeoutMs: current?.timeoutMs,
    grupoId: grupo?.id ?? current?.grupoId ?? null,
    metodos,
    // A secret header sent without its value keeps the stored one — only at the same origin: secrets
    // added in the painel do not follow the simulator to another address (they would need typing again).
    headers: (current?.headers ?? [])
      .filter((h) => !h.secreto || (current?.baseUrl && new URL(current.baseUrl).origin === new URL(simulatorUrl).origin))
      .map((h) => ({ nome: h.nome, secreto: h.secreto, ...(h.secreto ? {} : { valor: h.valor }) })),
    actor,
  });
}

/**
 * The demo funcionalidades at the simulator's sample page. Its URL carries what the page needs to
 * call Ponte back (`instanciaApp`, `chaveFuncionalidade`, known only once created); a URL still at
 * the sample page of an older simulator address follows the current one.
 */
async function ensureFuncionalidades(services: Services, record: DemoRecord, simulatorUrl: string): Promise<DemoFuncionalidade[]> {
  const created: DemoFuncionalidade[] = [];
  const origin = new URL(simulatorUrl).origin;
  record.funcionalidades ??= {};
  for (const [key, spec] of Object.entries(demoFuncionalidades) as [DemoFuncionalidade, (typeof demoFuncionalidades)[DemoFuncionalidade]][]) {
    const id = record.funcionalidades[key];
    let f = id ? await services.funcionalidades.get(record.clienteId, SANDBOX, id).catch(() => undefined) : undefined;
    if (!f) {
      f = await services.funcionalidades.create({ clienteId: record.clienteId, instancia: SANDBOX, nome: spec.nome, url: `${simulatorUrl}${WEBVIEW_PATH}`, codigo: spec.codigo, actor });
      record.funcionalidades[key] = f.id;
      created.push(key);
    }
    const url = new URL(f.url);
    const atSamplePage = url.pathname === WEBVIEW_PATH;
    const wanted = `${origin}${WEBVIEW_PATH}?instanciaApp=${SANDBOX}&chaveFuncionalidade=${f.chave}`;
    if (atSamplePage && f.url !== wanted && (url.origin !== origin || !url.searchParams.has('chaveFuncionalidade'))) {
      await services.funcionalidades.update({ clienteId: record.clienteId, instancia: SANDBOX, id: f.id, nome: f.nome, url: wanted, actor });
    }
  }
  return created;
}

/** The simulator's origin in Segurança → Origens (its page may call `/clientes` from the browser). */
async function ensureOrigin(services: Services, clienteId: string, origin: string): Promise<void> {
  const origens = await services.origens.list(clienteId);
  if (origens.some((o) => o.origem === origin)) return;
  await services.origens.add({ clienteId, origem: origin, actor }).catch((error: unknown) => {
    // Another start added it in the meantime: that is the goal.
    if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
  });
}

/**
 * Elegibilidade active in the Sandbox (chaveAuth needs it). Activating runs the validador's live
 * check against the simulator with the titular's CPF; a failure does not stop the demo: it is
 * reported in the banner. Already active: nothing is saved (a restart adds no audit entry).
 */
async function ensureElegibilidade(services: Services, clienteId: string): Promise<'ja_ativa' | 'ativada' | { problema: string }> {
  const current = await services.integracoes.get(clienteId, SANDBOX);
  if (current?.elegibilidadeAtiva) return 'ja_ativa';
  try {
    await services.elegibilidade.save({ clienteId, instancia: SANDBOX, ativa: true, reloginHoras: current?.reloginHoras ?? null, chaveUnicaTeste: seedPeople[0]!.cpf, actor });
    return 'ativada';
  } catch (error) {
    if (error instanceof AppError) return { problema: error.message };
    throw error;
  }
}

/** The token stored in `file` while Ponte still accepts it for this cliente and `api`; a new one otherwise. */
async function ensureStoredToken(
  services: Services,
  clienteId: string,
  file: string,
  api: 'chavePasse' | 'seguranca',
  descricao: string,
): Promise<{ token: string; created: boolean }> {
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredToken>;
    const verified = typeof stored.token === 'string' ? await services.tokens.verifyPlaintext(stored.token) : undefined;
    if (verified && verified.clienteId === clienteId && verified.apis.includes(api)) return { token: stored.token!, created: false };
  }
  const { token, plaintext } = await services.tokens.create({ clienteId, apis: [api], descricao, actor });
  writeSecretJson(file, { tokenId: token.id, token: plaintext } satisfies StoredToken);
  return { token: plaintext, created: true };
}
