import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { outageOf, OUTAGE_RETRY_AFTER_SECONDS, type Dependency } from '../dependency-outage.ts';
import { AppError, type ErrorDetail } from '../errors.ts';
import { clientesFailure, invalidTokenBody } from './envelope.ts';

const TEMP_AUTH_PATH = '/clientes/auth/temp-authorization';

type Surface = 'temp-auth' | 'clientes' | 'api';

/**
 * The path a request addressed, for choosing its error shape. The matched route's pattern when
 * there is one (it decides the response schema the body must fit); else the pathname of the URL,
 * which may arrive in absolute form (`POST http://host/clientes/… HTTP/1.1`) and must not be read
 * as a path beginning with `http:`.
 */
function pathOf(request: FastifyRequest): string {
  // A catch-all such as CORS's `OPTIONS *` says nothing about the surface: use the URL then.
  const route = request.routeOptions?.url;
  if (route?.startsWith('/')) return route;
  const url = request.url ?? '';
  if (url.startsWith('/') && !url.startsWith('//')) return url.split('?', 1)[0] ?? '';
  try {
    return new URL(url, 'http://ponte.invalid').pathname;
  } catch {
    return '';
  }
}

function surfaceOf(request: FastifyRequest): Surface {
  const path = pathOf(request);
  if (path === TEMP_AUTH_PATH) return 'temp-auth';
  if (path.startsWith('/clientes/') || path === '/clientes') return 'clientes';
  return 'api';
}

const outageMessages: Record<Dependency, string> = {
  database: 'Serviço temporariamente indisponível: o banco de dados não respondeu a tempo. Tente novamente em instantes.',
  kv: 'Serviço temporariamente indisponível: o armazenamento compartilhado não respondeu a tempo. Tente novamente em instantes.',
};

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
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('MALFORMED_REQUEST', 'O corpo recebido não tem o tamanho declarado no header Content-Length. Envie o corpo inteiro com o Content-Length correto.');
  }
  if (fastifyError.statusCode === 400 && error instanceof SyntaxError) return new AppError('MALFORMED_REQUEST');
  if (fastifyError.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (fastifyError.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (fastifyError.statusCode === 429) return new AppError('RATE_LIMITED');
  const dependency = outageOf(error);
  if (dependency) {
    return new AppError('SERVICE_UNAVAILABLE', outageMessages[dependency], { retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS, cause: error });
  }
  return new AppError('INTERNAL', undefined, { cause: error });
}

/** Renders an `AppError` in the shape its surface documents. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  if (error.options.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.options.retryAfterSeconds));
  const surface = surfaceOf(request);
  // The seed: "O erro sempre é retornado no status code 401" — a body Ponte cannot parse, a media
  // type it does not read, a body too large are refusals like a bad token. An outage stays a 503.
  if (surface === 'temp-auth' && error.status >= 400 && error.status < 500) {
    return reply.code(401).send(invalidTokenBody);
  }
  if (surface === 'temp-auth' || surface === 'clientes') {
    const critical = (error.options.details ?? []).map((d) => (d.field ? { campo: d.field, mensagem: d.message } : { mensagem: d.message }));
    // The six documented attributes only: the request id is in the `x-request-id` header.
    return reply.code(error.status).send(clientesFailure(error.message, error.status, critical));
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

const CLIENT_ABORTED_MESSAGE = 'A conexão foi encerrada antes de a requisição chegar por inteiro. Envie a requisição novamente.';

/**
 * The client went away mid-request: Node fails the body stream with `aborted` (code ECONNRESET),
 * or the request is marked aborted when an unknown error followed. Nobody is left to answer
 * and nothing on our side broke, so it is neither logged as an error nor counted as a 5xx.
 */
function isClientAbort(error: unknown, request: FastifyRequest): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 'ECONNRESET' && message === 'aborted') return true;
  return request.raw.aborted && toAppError(error).code === 'INTERNAL';
}

export function registerErrorHandling(app: FastifyInstance, options: { onOutage?: (dependency: Dependency) => void } = {}): void {
  app.setErrorHandler((error, request, reply) => {
    // Before toAppError: the body parser's ECONNRESET is the client leaving, not a dependency outage.
    if (isClientAbort(error, request)) {
      request.log.info({ method: request.method, route: request.routeOptions?.url ?? null }, 'o cliente abandonou a requisição');
      return sendError(request, reply, new AppError('MALFORMED_REQUEST', CLIENT_ABORTED_MESSAGE));
    }
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL') request.log.error({ err: error }, 'erro não tratado');
    else if (appError.code === 'SERVICE_UNAVAILABLE') {
      request.log.warn({ err: { message: (error as Error).message, code: (error as { code?: string }).code } }, 'dependência indisponível');
      options.onOutage?.(outageOf(error) ?? 'database');
    }
    return sendError(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, new AppError('ROUTE_NOT_FOUND')));
}
