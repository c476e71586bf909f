import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AppError, type ErrorDetail } from '../errors.ts';
import { MAX_JSON_DEPTH } from '../json-depth.ts';
import { sendError } from './error-handler.ts';

declare global {
  interface String {
    /** ES2024, present on Node ≥ 20; the project's `lib` is ES2023. False when a UTF-16 surrogate is unpaired. */
    isWellFormed(): boolean;
  }
}

/**
 * True when `s` holds a NUL (`\u0000`) or an unpaired UTF-16 surrogate. Neither belongs in any
 * text Ponte stores or forwards: PostgreSQL refuses NUL with an error (a 500 if it got that far)
 * and a lone surrogate has no UTF-8 form, so it would be silently replaced on the way to a column.
 */
export function hasForbiddenCharacters(s: string): boolean {
  return s.includes('\0') || !s.isWellFormed();
}

const NUL_MESSAGE = 'Contém o caractere nulo (\\u0000), que não é aceito. Remova-o e envie novamente.';
const SURROGATE_MESSAGE = 'Contém um caractere Unicode incompleto (metade de um par substituto UTF-16). Envie o texto em UTF-8 válido.';
const SUMMARY = 'Dados inválidos: um texto enviado contém caractere nulo ou Unicode incompleto. Corrija o campo indicado e envie novamente.';

function forbiddenCharacterError(field: string, offending: string): AppError {
  const message = offending.includes('\0') ? NUL_MESSAGE : SURROGATE_MESSAGE;
  return new AppError('VALIDATION_FAILED', SUMMARY, { details: [{ field, message }] });
}

/** A key as the caller can read it back: NUL and lone surrogates shown as `\u…` escapes. */
function printable(key: string): string {
  return hasForbiddenCharacters(key) ? JSON.stringify(key).slice(1, -1) : key;
}

/** Nesting a walk will follow; deeper than any body the JSON parser lets through. */
const MAX_WALK_DEPTH = MAX_JSON_DEPTH + 1;
const TOO_DEEP = Symbol('too deep');

type Found = { path: string[]; offending: string } | typeof TOO_DEEP | undefined;

/**
 * The first string (object key or value) in `value` that `hasForbiddenCharacters`, with its path
 * built only on the way out — a clean value costs no allocation.
 */
function findForbidden(value: unknown, depth: number): Found {
  if (typeof value === 'string') return hasForbiddenCharacters(value) ? { path: [], offending: value } : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_WALK_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = findForbidden(value[i], depth + 1);
      if (found === TOO_DEEP) return found;
      if (found) {
        found.path.push(String(i));
        return found;
      }
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (hasForbiddenCharacters(key)) return { path: [printable(key)], offending: key };
    const found = findForbidden(record[key], depth + 1);
    if (found === TOO_DEEP) return found;
    if (found) {
      found.path.push(key);
      return found;
    }
  }
  return undefined;
}

/** The refusal for a JSON body nested deeper than `MAX_JSON_DEPTH` (see json-depth.ts). */
export function jsonTooDeepError(): AppError {
  return new AppError('MALFORMED_REQUEST', `O JSON enviado tem mais de ${MAX_JSON_DEPTH} níveis de aninhamento. Envie uma estrutura com no máximo ${MAX_JSON_DEPTH} níveis.`);
}

/**
 * The refusal for `value` (params, query or body), or undefined when every string in it is clean.
 * `fieldOf` renames the offending field's path (`*`, the wildcard parameter, is the whole path).
 */
export function forbiddenInputError(value: unknown, fieldOf: (path: string) => string = (path) => path || 'corpo'): AppError | undefined {
  const found = findForbidden(value, 0);
  if (found === undefined) return undefined;
  if (found === TOO_DEEP) return jsonTooDeepError();
  return forbiddenCharacterError(fieldOf(found.path.reverse().join('.')), found.offending);
}

const paramField = (path: string) => (path === '*' || path === '' ? 'caminho' : path);

/**
 * Path parameters, query and the raw URL. Everything in them came from the URL, where a NUL can
 * only be `%00`; the raw check also covers a path no route matched and a route whose parameter is
 * checked later (or never).
 */
function urlInputError(request: FastifyRequest): AppError | undefined {
  const problem = forbiddenInputError(request.params, paramField) ?? forbiddenInputError(request.query);
  if (problem) return problem;
  const url = request.raw.url ?? '';
  if (url.includes('%00') || hasForbiddenCharacters(url)) return forbiddenCharacterError('caminho', '\0');
  return undefined;
}

/**
 * Refuses, as 400 VALIDATION_FAILED, any request whose path, query or JSON body holds a NUL or an
 * unpaired surrogate — in a value or in a key — before authentication, validation or storage see
 * it. The URL is checked at `onRequest` (before the painel guard looks anything up), the body at
 * `preValidation`, once parsed. Registered once on the root, so every route and the 404 get it.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    done(urlInputError(request));
  });
  app.addHook('preValidation', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    done(request.body === undefined ? undefined : forbiddenInputError(request.body));
  });
}

/**
 * Fastify's own answer for a URL it cannot decode (`%ZZ`, `%ED%A0%80`) or a path parameter over
 * `maxParamLength`, rendered in the surface's shape instead of Fastify's English body.
 */
export function renderFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const detail: ErrorDetail =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? { field: 'caminho', message: 'Um parâmetro do caminho é longo demais. Confira o endereço chamado.' }
      : { field: 'caminho', message: 'O endereço tem uma sequência de escape (%) inválida. Codifique o caminho em UTF-8 (por exemplo, com encodeURIComponent).' };
  void sendError(request, reply, new AppError('VALIDATION_FAILED', undefined, { details: [detail] }));
}
