import { createHmac } from 'node:crypto';
import type { OutboundLogsTable } from '../../platform/db/schema.ts';
import { capText, MASK, MAX_STORED_BODY_BYTES, maskText, redactFreeText, redactHeaders, redactOperatorBody, redactOperatorJson, redactSecrets, redactUrl } from '../../platform/redaction.ts';
import type { OutboundLog } from './log-center.repo.ts';
import { inboundOperations, type OutboundCallRecord } from './log-center.types.ts';

/**
 * What the central de logs keeps of one outbound call (docs/ESPECIFICACAO.md §6, §8 LGPD): enough to debug an
 * integration, nothing that identifies a person or opens a door. The masks and the allow-list are
 * `platform/redaction.ts`'s, shared with the logger, the audit and the validador; this file builds
 * the stored row from them. Everything here is pure and runs off the request path, in the
 * writer's flush.
 */

/** More violations than this are not kept (an operator returning 10 000 broken contatos). */
export const MAX_STORED_VIOLATIONS = 200;

const CPF_LIKE_KEY = /^\d{3}\.?\d{3}\.?\d{3}-?\d{2}$/;

/** One canonical form per user key, so `529.982.247-25` and `52998224725` find the same calls. */
export function normalizeChaveUsuario(value: string): string {
  const trimmed = value.trim();
  return CPF_LIKE_KEY.test(trimmed) ? trimmed.replace(/\D/g, '') : trimmed;
}

/** Keyed hash of a user key: searchable by whoever knows the key, meaningless without the secret. */
export function hashChaveUsuario(hashKey: Buffer, value: string): string {
  return createHmac('sha256', hashKey).update(normalizeChaveUsuario(value)).digest('hex');
}

/** `529***`: enough to tell two users apart in a list; short keys show less. */
export function maskChaveUsuario(value: string): string {
  const normalized = normalizeChaveUsuario(value);
  return `${normalized.slice(0, Math.min(3, Math.floor(normalized.length / 3)))}${MASK}`;
}

export type StoredLogRow = OutboundLogsTable;

/**
 * A request body as stored and shown to anyone but an admin. What Ponte sends comes from the
 * instância's forms, under names the operator chose, so every value is masked by shape; the one
 * exception is the autorização body, which is the grupo's configuration (`usuario`, shown in the
 * grupos screen) and its senha: only the senha is masked there.
 */
export function redactRequestBody(operacao: string, body: unknown, secretKeys: readonly string[] = []): unknown {
  // `envioCodigo` (modules/mensagens) stores only what Ponte wrote: canal, provedor, the destination already masked.
  // An `entrada` row (`chavePasse/usuario`, …) keeps only parameters Ponte picked (instanciaApp, origem), secrets masked.
  if (operacao === 'autorizacao' || operacao === 'envioCodigo' || (inboundOperations as readonly string[]).includes(operacao)) return redactSecrets(body);
  return redactOperatorJson(body, { secretKeys, request: true });
}

/** The row the central de logs stores for one call. Throws only on values no JSON could hold. */
export function toStoredRow(entry: OutboundCallRecord, deps: { id: string; hashKey: Buffer }): StoredLogRow {
  const requestJson = entry.requestBody === undefined ? undefined : JSON.stringify(redactRequestBody(entry.operacao, entry.requestBody, entry.sensitiveFields ?? []));
  const { result } = entry;
  const chave = typeof entry.chaveUsuario === 'string' && entry.chaveUsuario.trim() !== '' ? entry.chaveUsuario : undefined;
  const violations = entry.violations.slice(0, MAX_STORED_VIOLATIONS);
  return {
    id: deps.id,
    cliente_id: entry.clienteId,
    instancia: entry.instancia,
    operacao: entry.operacao,
    url: redactUrl(entry.url),
    request_headers_json: JSON.stringify(redactHeaders(entry.requestHeaders)),
    request_body_json: requestJson === undefined ? null : capText(requestJson, MAX_STORED_BODY_BYTES),
    status: result.kind === 'response' ? result.status : null,
    // A failed call has no HTTP status: its reason (`tempo_esgotado`, …) and message take the place.
    status_text: result.kind === 'response' ? maskText(result.statusText).slice(0, MAX_STATUS_TEXT_LENGTH) : result.reason,
    response_body: result.kind === 'response' ? redactOperatorBody(result.bodyText) : maskText(result.message),
    latency_ms: latencyOf(entry),
    resultado: entry.outcome,
    // Written by the validator, which never quotes a value outside the allow-list; the net stays.
    violacoes_json: JSON.stringify(redactFreeText(violations)),
    chave_usuario_hash: chave === undefined ? null : hashChaveUsuario(deps.hashKey, chave),
    chave_usuario_mascarada: chave === undefined ? null : maskChaveUsuario(chave),
    correlation_id: typeof entry.correlationId === 'string' ? entry.correlationId.slice(0, 200) : null,
    created_at: entry.at,
    direcao: entry.direcao === 'entrada' ? 'entrada' : 'saida',
    motivo: typeof entry.motivo === 'string' ? entry.motivo.slice(0, 60) : null,
    token_id: typeof entry.tokenId === 'string' ? entry.tokenId.slice(0, 64) : null,
  };
}

const MAX_STATUS_TEXT_LENGTH = 200;

/**
 * A stored body read back through the current policy: rows written before the allow-list (names,
 * matrícula, family members in clear) are masked when shown, and a row written under it reads the
 * same (masking twice equals masking once). A body cut at the size limit is no longer JSON; it
 * gets the free-text net.
 */
export function reRedactStoredBody(text: string | null, request?: { operacao: string }): string | null {
  if (text === null || text.trim() === '') return text;
  try {
    const parsed: unknown = JSON.parse(text);
    return JSON.stringify(request ? redactRequestBody(request.operacao, parsed) : redactOperatorJson(parsed));
  } catch {
    return maskText(text);
  }
}

/** An entry as the painel shows it: bodies and violations through the current policy, whenever they were written. */
export function redactedForReading(entry: OutboundLog): OutboundLog {
  return {
    ...entry,
    requestBody: reRedactStoredBody(entry.requestBody, { operacao: entry.operacao }),
    responseBody: reRedactStoredBody(entry.responseBody),
    violations: redactFreeText(entry.violations) as unknown[],
  };
}

function latencyOf(entry: OutboundCallRecord): number {
  const latency = entry.result?.latencyMs;
  return typeof latency === 'number' && Number.isFinite(latency) ? Math.max(0, Math.round(latency)) : 0;
}

export const PARTIAL_ROW_NOTE = '[registro parcial: o conteúdo desta chamada não pôde ser mascarado e foi descartado]';

/**
 * What is kept when `toStoredRow` fails on a body no one expected: who, what, when and how it
 * ended, never the content. Builds only from plain scalars, so it does not fail the same way.
 */
export function minimalRow(entry: OutboundCallRecord, deps: { id: string; now: number }): StoredLogRow {
  const result = entry.result as Partial<{ kind: string; status: unknown; statusText: unknown; reason: unknown }> | undefined;
  const status = result?.kind === 'response' && typeof result.status === 'number' ? result.status : null;
  const statusText = result?.kind === 'response' ? result.statusText : result?.reason;
  return {
    id: deps.id,
    cliente_id: String(entry.clienteId),
    instancia: Number(entry.instancia),
    operacao: String(entry.operacao),
    url: typeof entry.url === 'string' ? redactUrl(entry.url) : '',
    request_headers_json: '{}',
    request_body_json: null,
    status,
    status_text: typeof statusText === 'string' ? statusText.slice(0, 100) : null,
    response_body: PARTIAL_ROW_NOTE,
    latency_ms: latencyOf(entry),
    resultado: String(entry.outcome),
    violacoes_json: '[]',
    chave_usuario_hash: null,
    chave_usuario_mascarada: null,
    correlation_id: typeof entry.correlationId === 'string' ? entry.correlationId.slice(0, 200) : null,
    created_at: typeof entry.at === 'number' && Number.isFinite(entry.at) ? entry.at : deps.now,
    direcao: entry.direcao === 'entrada' ? 'entrada' : 'saida',
    motivo: typeof entry.motivo === 'string' ? entry.motivo.slice(0, 60) : null,
    token_id: typeof entry.tokenId === 'string' ? entry.tokenId.slice(0, 64) : null,
  };
}
