import { randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { createClientesRepo, type Cliente } from './clientes.repo.ts';

export const INSTANCIAS = { sandbox: 1, producao: 2 } as const;

/** Public app ids: short, unguessable enough to not be enumerable, safe in a URL. */
function newAppId(numero: 1 | 2): string {
  return `app_${numero === 1 ? 'sbx' : 'prd'}_${randomBytes(9).toString('base64url')}`;
}

export function createClientesService(deps: { db: Db; clock: Clock }) {
  const repo = createClientesRepo(deps.db);
  return {
    /** Creates a cliente with its two instâncias, 1 (Sandbox) and 2 (Produção). */
    async create(input: { nome: string }): Promise<Cliente> {
      const cliente: Cliente = {
        id: newId('cliente'),
        nome: input.nome.trim(),
        createdAt: deps.clock.now(),
        instancias: ([1, 2] as const).map((numero) => ({ id: newId('instancia'), numero, appId: newAppId(numero) })),
      };
      await deps.db.transaction().execute((trx) => repo.insert(cliente, trx));
      return cliente;
    },
    get: (id: string) => repo.findById(id),
    findByAppId: (appId: string) => repo.findByAppId(appId),
    list: (filter?: { ids?: string[] }) => repo.list(filter),
  };
}

export type ClientesService = ReturnType<typeof createClientesService>;
