import { z } from 'zod';

/** Path parameters every painel route of a cliente shares. */
export const clienteIdParams = z.object({ clienteId: z.string().trim().min(1).max(64) });

/** `instancia` in painel URLs: 1 = Sandbox, 2 = Produção. */
export const instanciaSchema = z.coerce
  .number()
  .int()
  .refine((n) => n === 1 || n === 2, 'A instância deve ser 1 (Sandbox) ou 2 (Produção).')
  .transform((n) => n as 1 | 2);

export const instanciaParams = clienteIdParams.extend({ instancia: instanciaSchema });
