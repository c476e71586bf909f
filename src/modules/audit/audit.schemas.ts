import { z } from 'zod';

/** An audit event as the painel reads it. */
export const auditEventSchema = z.object({
  id: z.string(),
  ator: z.string().describe('Quem fez a mudança (e-mail da conta do painel, ou "sistema")'),
  atorId: z.string().nullable(),
  acao: z.string(),
  instancia: z.union([z.literal(1), z.literal(2)]).nullable().describe('1 Sandbox, 2 Produção; null para o que vale para o cliente todo (ou eventos anteriores ao registro da instância)'),
  alvo: z.object({ tipo: z.string(), id: z.string(), nome: z.string().nullable().describe('Nome atual (ou o do registro, se o item foi removido)') }),
  antes: z.unknown().nullable(),
  depois: z.unknown().nullable(),
  nomes: z.record(z.string(), z.string()).describe('Nomes dos ids que aparecem em antes/depois (grupoId, formularioId…)'),
  requestId: z.string().nullable(),
  criadoEm: z.number().int(),
});

/** The auditoria's filters (the painel keeps them in the page's query string). */
export const auditFilterQuerySchema = z
  .object({
    acao: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .regex(/^[a-z_-]+\.?[a-z_]*$/, 'Use uma ação (grupo.alterado) ou uma família (grupo.).')
      .optional()
      .describe('Ação exata (grupo.alterado) ou família terminada em ponto (grupo.)'),
    atorId: z.string().trim().min(1).max(64).optional().describe('Id da conta do painel, ou "sistema"'),
    de: z.coerce.number().int().min(0).optional().describe('Epoch ms, inclusive'),
    ate: z.coerce.number().int().min(0).optional().describe('Epoch ms, inclusive'),
    instancia: z.coerce
      .number()
      .int()
      .min(0)
      .max(2)
      .optional()
      .describe('1 Sandbox, 2 Produção, 0 = mudanças do cliente todo (sem instância)'),
  })
  .refine((q) => q.de === undefined || q.ate === undefined || q.de <= q.ate, { message: 'O início do período deve ser anterior ao fim.', path: ['ate'] });
