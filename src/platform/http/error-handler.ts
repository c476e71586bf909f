import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorDetail } from '../errors.ts';
import { clientesFailure, invalidTokenBody } from './envelope.ts';

const TEMP_AUTH_PATH = '/clientes/auth/temp-authorization';

type Surface = 'temp-auth' | 'clientes' | 'api';

function surfaceOf(url: string): Surface {
  const path = url.split('?', 1)[0] ?? '';
  if (path === TEMP_AUTH_PATH) return 'temp-auth';
  if (path.startsWith('/clientes/') || path === '/clientes') return 'clientes';
  return 'api';
}

/** Turns anything thrown into an `AppError` from the catalogue; unknown errors become INTERNAL. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details: ErrorDetail[] = error.validation.map((issue) => {
      const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || String(issue.params?.issue?.path?.join('.') ?? '');
      return { ...(field ? { field } : {}), message: issue.message ?? 'valor inválido' };
    });
    const missing = error.validationContext === 'querystring' && error.validation.every((i) => i.params?.issue?.code === 'invalid_type' && i.params.issue.input === undefined);
    return new AppError(missing ? 'MISSING_PARAMETERS' : 'VALIDATION_FAILED', undefined, { details });
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('MALFORMED_REQUEST');
  }
  if (fastifyError.statusCode === 400 && error instanceof SyntaxError) return new AppError('MALFORMED_REQUEST');
  if (fastifyError.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (fastifyError.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (fastifyError.statusCode === 429) return new AppError('RATE_LIMITED');
  return new AppError('INTERNAL', undefined, { cause: error });
}

/** Renders an `AppError` in the shape its surface documents. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  if (error.options.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.options.retryAfterSeconds));
  const surface = surfaceOf(request.url);
  if (surface === 'temp-auth' && error.code === 'INVALID_TOKEN') {
    return reply.code(401).send(invalidTokenBody);
  }
  if (surface === 'temp-auth' || surface === 'clientes') {
    const critical = (error.options.details ?? []).map((d) => (d.field ? { campo: d.field, mensagem: d.message } : { mensagem: d.message }));
    return reply.code(error.status).send({ ...clientesFailure(error.message, error.status, critical), requestId: request.id });
  }
  return reply.code(error.status).send({
    error: {
      code: error.code,
      message: error.message,
      requestId: request.id,
      ...(error.options.details ? { details: error.options.details } : {}),
    },
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL') request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError('ROUTE_NOT_FOUND')));
}
