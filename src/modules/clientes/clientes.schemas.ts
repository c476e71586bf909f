import { z } from 'zod';
import type { Cliente } from './clientes.repo.ts';

/** What the painel API and the CLI answer about a cliente. */
export const clienteSchema = z.object({
  id: z.string(),
  codigo: z.number().int().describe('Código numérico do cliente: o idCliente dos tokens temporários'),
  nome: z.string(),
  criadoEm: z.number().int(),
  retencaoLogsDias: z.number().int().describe('Por quantos dias a central de logs guarda as chamadas deste cliente'),
  instancias: z.array(
    z.object({
      numero: z.union([z.literal(1), z.literal(2)]).describe('1 = Sandbox, 2 = Produção'),
      nome: z.enum(['Sandbox', 'Produção']),
      appId: z.string().describe('Id público que o app usa para se identificar nesta instância'),
    }),
  ),
});

export function toClienteDto(cliente: Cliente) {
  return {
    id: cliente.id,
    codigo: cliente.codigo,
    nome: cliente.nome,
    criadoEm: cliente.createdAt,
    retencaoLogsDias: cliente.retencaoLogsDias,
    instancias: cliente.instancias.map((i) => ({ numero: i.numero, nome: i.numero === 1 ? ('Sandbox' as const) : ('Produção' as const), appId: i.appId })),
  };
}
