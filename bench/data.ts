import { createServices, type Services } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openInfrastructure } from '../src/platform/infrastructure.ts';
import { createOperatorSimulator } from '../src/simulator/simulator.ts';

/**
 * The environment every Ponte process of the run shares: one fresh data folder (the SQLite database
 * and the development keys); `storage` (DATABASE_URL, REDIS_URL) moves the data to PostgreSQL and
 * Redis, the keys staying in the folder.
 */
export function ponteEnv(dataDir: string, storage: Record<string, string> = {}): Record<string, string> {
  return { PONTE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development', ...storage };
}

const actor = { userId: null, label: 'bench' };

/** The beneficiary of every login of the run (the simulator's seeded titular) and the static headers of its integração. */
export const BENCH_LOGIN = { login: '10020030169', senha: 'ana12345' } as const;
export const BENCH_STATIC_HEADERS: { nome: string; valor: string; secreto: boolean }[] = [
  { nome: 'x-canal', valor: 'app-beneficiario', secreto: false },
  { nome: 'x-chave-parceiro', valor: 'bench-parceiro-5f1c2a', secreto: true },
];
/** Grupo de autorização credentials: the simulator's defaults. */
export const BENCH_GRUPO = { usuario: 'demo', senha: 'demo' } as const;
/** What the app reports when it opens a funcionalidade. */
const SISTEMA = { plataforma: 'android', versaoApp: '3.2.1', dispositivo: 'Pixel 7', idioma: 'pt-BR', geolocalizacao: null };

export type PreparedData = {
  clienteId: string;
  /** Plaintext token do cliente (chavePasse + seguranca). */
  token: string;
  /** Public app id of instância 1 (Sandbox), whose integração points at the simulator. */
  appId: string;
  /** Its grupo de autorização (whose tokens Ponte caches in the key-value store). */
  grupoId: string;
  /** chaveFuncionalidade of a funcionalidade valid 10 minutes. */
  chaveFuncionalidade: string;
  /** Bearer token of an app session (logged in through the simulator) to open chaves passe with. */
  appSessionToken: string;
};

/** Runs `work` over the real services of the run's data folder, then closes them. */
async function withServices<T>(dataDir: string, storage: Record<string, string>, work: (services: Services) => Promise<T>): Promise<T> {
  const infra = await openInfrastructure(loadConfig(ponteEnv(dataDir, storage)));
  try {
    const services = await createServices(infra);
    try {
      return await work(services);
    } finally {
      await services.close();
    }
  } finally {
    await infra.close();
  }
}

/**
 * Creates, through the real services, what the scenarios call with, in `dataDir` (development keys
 * are generated there on the way): a cliente and a token do cliente for both APIs; a Sandbox
 * integração pointing at the operator simulator on `simulatorPort` with a grupo de autorização and
 * two static headers; a funcionalidade; an app session. Grupo creation and login are live calls, so
 * a simulator runs on that port meanwhile — the scenarios start their own there later. `storage`
 * seeds PostgreSQL (migrated on the way) instead of the folder's SQLite, as ponteEnv.
 */
export async function prepareData(dataDir: string, simulatorPort: number, storage: Record<string, string> = {}): Promise<PreparedData> {
  const simulator = await createOperatorSimulator({ port: simulatorPort, host: '127.0.0.1' });
  try {
    return await withServices(dataDir, storage, async (services) => {
      const cliente = await services.clientes.create({ nome: 'Operadora de benchmark' });
      const created = await services.tokens.create({ clienteId: cliente.id, apis: ['chavePasse', 'seguranca'], descricao: 'npm run bench', actor });
      const grupo = await services.grupos.create({ clienteId: cliente.id, instancia: 1, nome: 'Grupo do benchmark', url: `${simulator.url}/autorizacao`, ...BENCH_GRUPO, actor });
      await services.integracoes.save({ clienteId: cliente.id, instancia: 1, baseUrl: simulator.url, grupoId: grupo.id, metodos: {}, headers: BENCH_STATIC_HEADERS, actor });
      const funcionalidade = await services.funcionalidades.create({
        clienteId: cliente.id,
        instancia: 1,
        nome: 'Carteirinha digital',
        url: 'https://parceiro.example.com/carteirinha?origem=app',
        validadeMinutos: 10,
        actor,
      });
      const app = { clienteId: cliente.id, clienteNome: cliente.nome, instancia: 1 as const };
      const session = await services.sessions.login({ app, campos: { ...BENCH_LOGIN }, ip: '127.0.0.1', correlationId: 'bench-prepare' });
      const sent = simulator.calls().login;
      if (JSON.stringify(sent.lastBody) !== JSON.stringify(BENCH_LOGIN)) throw new Error(`Ponte sent the operator an unexpected login body: ${JSON.stringify(sent.lastBody)}`);
      const appId = cliente.instancias.find((i) => i.numero === 1)?.appId;
      if (!appId) throw new Error('the cliente has no instância 1');
      return { clienteId: cliente.id, token: created.plaintext, appId, grupoId: grupo.id, chaveFuncionalidade: funcionalidade.chave, appSessionToken: session.token };
    });
  } finally {
    await simulator.close();
  }
}

/**
 * Opens a fresh chave passe (valid for the funcionalidade's 10 minutes) for the run's app session,
 * as `POST /app/v1/funcionalidades/:chave/abrir` does, and returns the key.
 */
export async function openChavePasse(
  dataDir: string,
  data: Pick<PreparedData, 'appSessionToken' | 'chaveFuncionalidade'>,
  storage: Record<string, string> = {},
): Promise<string> {
  return withServices(dataDir, storage, async (services) => {
    const session = await services.sessions.resolve(data.appSessionToken);
    if (!session) throw new Error('the app session of the run is gone');
    const opened = await services.chavesPasse.open({ session, chaveFuncionalidade: data.chaveFuncionalidade, sistema: SISTEMA });
    const key = new URL(opened.url).searchParams.get('chavePasse');
    if (!key) throw new Error(`no chavePasse in ${opened.url}`);
    return key;
  });
}

/** Every login of a run is the same user from one IP: lift the abuse limits (10 and 100 per 15 min) for it. */
export const LOGIN_LIMITS_ENV = { PONTE_APP_LOGIN_MAX_PER_IDENTIFIER: '100000000', PONTE_APP_LOGIN_MAX_PER_IP: '100000000' };
