import { createHmac } from 'node:crypto';
import type { OutboundLogsTable } from '../../platform/db/schema.ts';
import { isValidCpf } from '../contracts/validator.ts';
import type { OutboundCallRecord } from './log-center.types.ts';

/**
 * What the central de logs keeps of one outbound call (SPEC §6, §8 LGPD): enough to debug an
 * integration, nothing that identifies a person or opens a door. Everything here is pure and runs
 * off the request path, in the writer's flush.
 */

/** Stored request and JSON response bodies are cut here, with a marker saying so. */
export const MAX_STORED_BODY_BYTES = 64 * 1024;
/** A response that is not JSON cannot be redacted field by field: only a short masked preview is kept. */
export const MAX_NON_JSON_PREVIEW_BYTES = 2 * 1024;
/** More violations than this are not kept (an operator returning 10 000 broken contatos). */
export const MAX_STORED_VIOLATIONS = 200;

export const MASK = '***';
export const CPF_MASK = '***.***.***-**';
const JWT_MASK = 'eyJ***.***.***';
const PHONE_MASK = '(**) *****-****';
const MAX_URL_LENGTH = 2048;
const MAX_HEADER_LENGTH = 256;
const MAX_DEPTH = 64;
// How much of a non-JSON body is read at most to produce the preview; far more than the preview
// itself, so what the masks shorten still fills it.
const NON_JSON_SCAN_CHARS = 16 * 1024;

/** Header values worth showing: they describe the format, never a person or a credential. */
const VISIBLE_HEADER_VALUES = new Set(['content-type', 'accept']);

// Keys are compared lowercased and without `_`/`-`. `login` and `chaveUnica` are usually the CPF;
// `contato` alone (not `contatos`) so a contact list keeps its `id`/`tipo` for debugging.
const SENSITIVE_KEYS = new Set(['login', 'contato', 'chaveunica', 'chavepasse', 'authorization', 'cookie', 'setcookie']);
const SENSITIVE_KEY_PART = /senha|passw|token|secret|cpf|email|telefone|celular|nascimento/;

const normalizeKey = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

export function isSensitiveKey(key: string, extra: ReadonlySet<string> = new Set()): boolean {
  const normalized = normalizeKey(key);
  return SENSITIVE_KEYS.has(normalized) || SENSITIVE_KEY_PART.test(normalized) || extra.has(normalized);
}

// Value shapes that are personal data or credentials wherever they appear.
const JWT_IN_TEXT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const EMAIL_IN_TEXT = /[\w.%+-]+@[\w-]+(?:\.[\w-]+)+/g;
const FORMATTED_CPF_IN_TEXT = /\d{3}\.\d{3}\.\d{3}-\d{2}/g;
const LONG_DIGIT_RUN = /\d{11,}/g;
// Brazilian phones as people write them: (27) 99715-7620, +55 27 3333-4444, 2733334444.
const PHONE_IN_TEXT = /(?<!\d)(?:\+?55[\s.-]?)?(?:\(\d{2}\)|\d{2})[\s.-]?9?\d{4}[\s.-]?\d{4}(?!\d)/g;
const MIGHT_HOLD_PERSONAL_DATA = /[\d@]|eyJ/;

const CPF_SHAPE = /^(?:\d{11}|\d{3}\.\d{3}\.\d{3}-\d{2})$/;
const EMAIL_SHAPE = /^[\w.%+-]+@[\w-]+(?:\.[\w-]+)+$/;
const JWT_SHAPE = /^(?:(?:bearer|jwt)\s+)?eyJ[\w-]*\.[\w-]*\.[\w-]*$/i;

/** `maria@exemplo.com` → `m***@e***`: tells an e-mail was there, and little else. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}***@${email.slice(at + 1, at + 2)}***`;
}

/** Replaces every CPF, e-mail, JWT, phone and run of 11+ digits inside free text. */
export function maskText(text: string): string {
  if (!MIGHT_HOLD_PERSONAL_DATA.test(text)) return text;
  return text
    .replace(JWT_IN_TEXT, JWT_MASK)
    .replace(EMAIL_IN_TEXT, maskEmail)
    .replace(FORMATTED_CPF_IN_TEXT, CPF_MASK)
    .replace(LONG_DIGIT_RUN, (run) => '*'.repeat(run.length))
    .replace(PHONE_IN_TEXT, PHONE_MASK);
}

/** The value of a sensitive field: gone, but its kind still readable (CPF, e-mail, JWT). */
function maskSensitiveString(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') return value;
  if (CPF_SHAPE.test(trimmed)) return CPF_MASK;
  if (EMAIL_SHAPE.test(trimmed)) return maskEmail(trimmed);
  if (JWT_SHAPE.test(trimmed)) return JWT_MASK;
  return MASK;
}

// A CPF sent as a JSON number loses its leading zeros; 13-digit millisecond timestamps (such as
// `expiracao`) are kept, they are what an operator debugs with.
function maskNumber(value: number): number | string {
  if (!Number.isInteger(value) || value < 1e8 || value >= 1e11) return value;
  return value >= 1e10 || isValidCpf(String(value).padStart(11, '0')) ? CPF_MASK : value;
}

/**
 * A deep copy of a JSON value with every sensitive field masked (by key name, case-insensitively,
 * at any depth — and everything under such a key) and every personal-looking value masked
 * wherever it sits, keys included.
 */
export function redactJson(value: unknown, extraSensitiveKeys: ReadonlySet<string> = new Set(), sensitive = false, depth = 0): unknown {
  if (depth > MAX_DEPTH) return '[profundidade excedida]';
  if (value === null || typeof value === 'boolean' || value === undefined) return value;
  if (typeof value === 'number') return sensitive ? MASK : maskNumber(value);
  if (typeof value === 'string') return sensitive ? maskSensitiveString(value) : maskText(value);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, extraSensitiveKeys, sensitive, depth + 1));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        maskText(key),
        redactJson(child, extraSensitiveKeys, sensitive || isSensitiveKey(key, extraSensitiveKeys), depth + 1),
      ]),
    );
  }
  // bigint, symbol, function: not JSON; never stored as they are.
  return sensitive ? MASK : maskText(String(value));
}

/** The URL without credentials, query string or fragment (tokens must never be there, but might). */
export function storedUrl(raw: string): string {
  let url: string;
  try {
    const parsed = new URL(raw);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    url = parsed.toString();
  } catch {
    // Credentials first: a password may itself hold `?` or `#`.
    url = raw.replace(/\/\/[^/]*@/, '//').replace(/[?#][\s\S]*$/, '');
  }
  return maskText(url).slice(0, MAX_URL_LENGTH);
}

/** Header names as sent; values masked except the harmless format ones. */
export function storedHeaders(headers: Record<string, string>): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const visible = VISIBLE_HEADER_VALUES.has(name.toLowerCase());
    Object.defineProperty(stored, name.slice(0, MAX_HEADER_LENGTH), {
      value: visible ? maskText(String(value)).slice(0, MAX_HEADER_LENGTH) : MASK,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return stored;
}

const truncationMarker = (totalBytes: number) => `\n…[truncado: ${totalBytes} bytes no total]`;

/** At most `maxBytes` of UTF-8 (never splitting a character), plus a marker when anything was cut. */
export function capText(text: string, maxBytes: number, totalBytes = Buffer.byteLength(text)): string {
  if (totalBytes <= maxBytes && Buffer.byteLength(text) <= maxBytes) return text;
  const cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
  return `${cut}${truncationMarker(totalBytes)}`;
}

// Stops before the last, possibly cut, token so a half e-mail or half CPF is never left unmasked.
const TRAILING_PARTIAL_TOKEN = /[^\s<>"'`,;:(){}[\]]*$/;

/** A body that is not JSON: a short preview, masked as free text. */
export function nonJsonPreview(text: string): string {
  const totalBytes = Buffer.byteLength(text);
  const scanned = text.length > NON_JSON_SCAN_CHARS ? text.slice(0, NON_JSON_SCAN_CHARS).replace(TRAILING_PARTIAL_TOKEN, '') : text;
  return capText(maskText(scanned), MAX_NON_JSON_PREVIEW_BYTES, totalBytes);
}

/** A response body as stored: redacted JSON when it parses, else a masked preview. */
export function storedResponseBody(text: string): string {
  if (text.trim() === '') return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return nonJsonPreview(text);
  }
  return capText(JSON.stringify(redactJson(parsed)), MAX_STORED_BODY_BYTES);
}

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

/** The row the central de logs stores for one call. Throws only on values no JSON could hold. */
export function toStoredRow(entry: OutboundCallRecord, deps: { id: string; hashKey: Buffer }): StoredLogRow {
  const extraSensitiveKeys = new Set((entry.sensitiveFields ?? []).map(normalizeKey));
  const requestJson = entry.requestBody === undefined ? undefined : JSON.stringify(redactJson(entry.requestBody, extraSensitiveKeys));
  const { result } = entry;
  const chave = typeof entry.chaveUsuario === 'string' && entry.chaveUsuario.trim() !== '' ? entry.chaveUsuario : undefined;
  const violations = entry.violations.slice(0, MAX_STORED_VIOLATIONS);
  return {
    id: deps.id,
    cliente_id: entry.clienteId,
    instancia: entry.instancia,
    operacao: entry.operacao,
    url: storedUrl(entry.url),
    request_headers_json: JSON.stringify(storedHeaders(entry.requestHeaders)),
    request_body_json: requestJson === undefined ? null : capText(requestJson, MAX_STORED_BODY_BYTES),
    status: result.kind === 'response' ? result.status : null,
    // A failed call has no HTTP status: its reason (`tempo_esgotado`, …) and message take the place.
    status_text: result.kind === 'response' ? result.statusText : result.reason,
    response_body: result.kind === 'response' ? storedResponseBody(result.bodyText) : maskText(result.message),
    latency_ms: latencyOf(entry),
    resultado: entry.outcome,
    violacoes_json: JSON.stringify(redactJson(violations)),
    chave_usuario_hash: chave === undefined ? null : hashChaveUsuario(deps.hashKey, chave),
    chave_usuario_mascarada: chave === undefined ? null : maskChaveUsuario(chave),
    correlation_id: typeof entry.correlationId === 'string' ? entry.correlationId.slice(0, 200) : null,
    created_at: entry.at,
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
    url: typeof entry.url === 'string' ? storedUrl(entry.url) : '',
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
  };
}
