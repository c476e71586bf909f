import { z } from 'zod';

/**
 * The documented `/clientes` envelope (SPEC §4): every response of the public client API, success
 * or failure, has exactly these fields; `statusCode` equals the HTTP status.
 */
export type ClientesEnvelope<T> = {
  status: boolean;
  data: T;
  message: string;
  critical: unknown[];
  statusCode: number;
  timestamp: number;
};

export function clientesSuccess<T>(data: T, message: string, statusCode = 200): ClientesEnvelope<T> {
  return { status: true, data, message, critical: [], statusCode, timestamp: Date.now() };
}

export function clientesFailure(message: string, statusCode: number, critical: unknown[] = []): ClientesEnvelope<never[]> {
  return { status: false, data: [], message, critical, statusCode, timestamp: Date.now() };
}

export const clientesEnvelopeSchema = <T extends z.ZodType>(data: T) =>
  z.object({
    status: z.boolean(),
    data,
    message: z.string(),
    critical: z.array(z.unknown()),
    statusCode: z.number().int(),
    timestamp: z.number().int().describe('Epoch em milissegundos'),
  });

export const clientesFailureSchema = clientesEnvelopeSchema(z.array(z.never())).extend({
  status: z.literal(false),
  requestId: z.string().optional().describe('Id da requisição (req_…), também no header x-request-id'),
});

/** The temp-auth failure body, fixed by the seed: always HTTP 401 and exactly these two fields. */
export const invalidTokenBody = { success: false, message: 'Invalid token.' } as const;
export const invalidTokenSchema = z.object({ success: z.literal(false), message: z.literal('Invalid token.') });

/** Error body of Ponte's own surfaces (painel API, app API). */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    details: z.array(z.object({ field: z.string().optional(), message: z.string() })).optional(),
  }),
});
