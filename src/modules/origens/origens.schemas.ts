import { z } from 'zod';

/** A registered browser origin. */
export const origemSchema = z.object({ id: z.string(), origem: z.string(), criadaEm: z.number().int() });
