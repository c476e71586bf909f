import { z } from 'zod';

/**
 * The documented `/clientes` envelope (seed "API de acesso a dados"): every response of the public
 * client API, success or failure, has exactly these six fields and no other — the request id
 * travels only in the `x-request-id` header; `statusCode` equals the HTTP status. The one
 * exception is temp-authorization's success (`TempAuthSuccess`), whose seed has no `critical`.
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

/** A `/clientes` failure: the six envelope fields, `status: false`, `data: []` (the id of the request is in `x-request-id`). */
export const clientesFailureSchema = clientesEnvelopeSchema(z.array(z.never()))
  .extend({ status: z.literal(false) })
  .strict();

/**
 * The temp-authorization success body, fixed by the seed ("Token temporário"): exactly status,
 * data {token, expireAt}, message, statusCode and timestamp — no `critical`.
 */
export type TempAuthSuccess = {
  status: true;
  data: { token: string; expireAt: number };
  message: string;
  statusCode: 200;
  timestamp: number;
};

export function tempAuthSuccess(data: { token: string; expireAt: number }, message: string): TempAuthSuccess {
  return { status: true, data: { token: data.token, expireAt: data.expireAt }, message, statusCode: 200, timestamp: Date.now() };
}

export const tempAuthSuccessSchema = z
  .object({
    status: z.literal(true),
    data: z
      .object({
        token: z.string().describe('JWT HS256 com as claims key (64 caracteres hexadecimais), aud "cliente_temporario", idCliente (número), iat e exp'),
        expireAt: z.number().int().describe('Expiração em epoch milissegundos: 12 horas após a geração'),
      })
      .strict(),
    message: z.string(),
    statusCode: z.literal(200),
    timestamp: z.number().int().describe('Epoch em milissegundos'),
  })
  .strict();

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
