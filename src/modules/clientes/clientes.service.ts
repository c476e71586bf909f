import { randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import { isUniqueViolation, type Cliente, type ClientesRepo } from './clientes.repo.ts';

export const INSTANCIAS = { sandbox: 1, producao: 2 } as const;
export const DEFAULT_LOG_RETENTION_DAYS = 30;
/** Concurrent creations racing for the same `codigo`: each lost race retries with the next number. */
const MAX_CODIGO_ATTEMPTS = 5;

/** Public app ids: short, unguessable enough to not be enumerable, safe in a URL. */
function newAppId(numero: 1 | 2): string {
  return `app_${numero === 1 ? 'sbx' : 'prd'}_${randomBytes(9).toString('base64url')}`;
}

export function createClientesService(deps: { db: Db; repos: { clientes: ClientesRepo }; clock: Clock; audit: AuditService }) {
  const repo = deps.repos.clientes;
  return {
    /**
     * Creates a cliente with its two instâncias, 1 (Sandbox) and 2 (Produção), numbered with the
     * next `codigo` (the repository serializes concurrent numbering). Should the unique index still
     * refuse the number, the transaction is run again and takes the next one.
     */
    async create(input: { nome: string }): Promise<Cliente> {
      const cliente: Omit<Cliente, 'codigo'> = {
        id: newId('cliente'),
        nome: input.nome.trim(),
        createdAt: deps.clock.now(),
        instancias: ([1, 2] as const).map((numero) => ({ id: newId('instancia'), numero, appId: newAppId(numero) })),
        retencaoLogsDias: DEFAULT_LOG_RETENTION_DAYS,
      };
      for (let attempt = 1; ; attempt += 1) {
        try {
          const codigo = await deps.db.transaction().execute((trx) => repo.insert(cliente, trx));
          return { ...cliente, codigo };
        } catch (error) {
          if (!isUniqueViolation(error) || attempt >= MAX_CODIGO_ATTEMPTS) throw error;
        }
      }
    },
    get: (id: string) => repo.findById(id),

    /** How long the central de logs keeps this cliente's calls (the purge job applies it). */
    async setLogRetention(input: { clienteId: string; dias: number; actor: AuditActor }): Promise<Cliente> {
      const before = await repo.findById(input.clienteId);
      if (!before) throw new AppError('NOT_FOUND', 'Cliente não encontrado.');
      await deps.db.transaction().execute(async (trx) => {
        await repo.setLogRetention(input.clienteId, input.dias, deps.clock.now(), trx);
        await deps.audit.record(
          {
            clienteId: input.clienteId,
            actor: input.actor,
            action: 'cliente.retencao_logs_alterada',
            targetType: 'cliente',
            targetId: input.clienteId,
            before: { retencaoLogsDias: before.retencaoLogsDias },
            after: { retencaoLogsDias: input.dias },
          },
          trx,
        );
      });
      return { ...before, retencaoLogsDias: input.dias };
    },
    findByAppId: (appId: string) => repo.findByAppId(appId),
    list: (filter?: { ids?: string[] }) => repo.list(filter),
  };
}

export type ClientesService = ReturnType<typeof createClientesService>;
