import { createServices } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openInfrastructure } from '../src/platform/infrastructure.ts';

/** The environment every Ponte process of the run shares: one fresh SQLite data folder. */
export function ponteEnv(dataDir: string): Record<string, string> {
  return { PONTE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development' };
}

/**
 * Creates, through the real services, what the scenarios call with: a cliente and a token do
 * cliente for both APIs, in `dataDir` (development keys are generated there on the way).
 */
export async function prepareData(dataDir: string): Promise<{ clienteId: string; token: string }> {
  const config = loadConfig(ponteEnv(dataDir));
  const infra = await openInfrastructure(config);
  try {
    const services = await createServices(infra);
    try {
      const actor = { userId: null, label: 'bench' };
      const cliente = await services.clientes.create({ nome: 'Operadora de benchmark' });
      const created = await services.tokens.create({ clienteId: cliente.id, apis: ['chavePasse', 'seguranca'], descricao: 'npm run bench', actor });
      return { clienteId: cliente.id, token: created.plaintext };
    } finally {
      await services.close();
    }
  } finally {
    await infra.close();
  }
}
