import { z } from 'zod';

/** A message in the development outbox, as the painel reads it. */
export const mensagemSchema = z.object({ id: z.string(), canal: z.enum(['email', 'sms']), destino: z.string(), texto: z.string(), criadaEm: z.number().int() });

/** Painel: the development outbox, where codes land when no real channel is configured. */

export const paginaDeMensagensSchema = z.object({ itens: z.array(mensagemSchema), pagina: z.number().int(), porPagina: z.number().int(), total: z.number().int() });
