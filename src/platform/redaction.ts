/**
 * The one redaction module (LGPD): what of a person or a credential may leave the request that
 * carried it. One vocabulary of sensitive keys, one set of masks and the policies built on them:
 *
 * - **operator bodies** (`redactOperatorJson`, `redactOperatorBody`) — what the central de logs
 *   stores of each call and what the validador shows to anyone but a cliente admin: structure plus
 *   an **allow-list** of non-personal contract fields; every other value is masked.
 * - **audit** (`redactAudit`) — before/after of painel changes: secrets and beneficiary data masked.
 * - **log lines** (`censorLogFields`, used by `platform/logger.ts`) — sensitive keys censored.
 * - **violation reports** (`contracts/validator.ts` asks `isClearField` before quoting a value).
 *
 * Everything here is pure and synchronous; none of it throws on any JSON value.
 */

// ── Vocabulary ───────────────────────────────────────────────────────────────────────────────

/** Keys are compared lowercased and without separators: `Nova_Senha`, `nova-senha` and `novaSenha` match alike. */
export const normalizeKey = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

// Credentials: never shown anywhere, not even their length.
const SECRET_KEYS = new Set(['authorization', 'proxyauthorization', 'cookie', 'setcookie', 'chavepasse', 'chavefuncionalidade', 'apikey', 'xapikey']);
const SECRET_KEY_PART = /senha|passw|token|secret|segredo|credencia|credential|privatekey|hash|selad/;

// Beneficiary personal data. `contato` alone (not `contatos`), so a contact list keeps its `id` and
// `tipo`; `login` and `chaveUnica` are usually the CPF; `integracao` is whatever the operator uses
// to identify the person (matrícula, codigoBeneficiario…), echoed back on later calls.
const PERSONAL_KEYS = new Set(['login', 'contato', 'integracao', 'rg', 'cns', 'pis', 'nis', 'cep', 'sexo', 'genero', 'idade', 'mae', 'pai', 'conjuge']);
const PERSONAL_KEY_PART =
  /cpf|cnpj|email|telefone|celular|whatsapp|nascimento|nome|matricula|carteirinha|cartao|endereco|logradouro|bairro|chaveunica|beneficiari|dependente|titular|profissiona|dadospessoais|documento/;

// `tokenId`, `session_id`, `userIds`: ids Ponte minted, which log lines need to stay useful.
const MINTED_ID = /(?:[a-z0-9]Ids?|[_-]ids?)$/;

/** A credential's key: its value is never shown, not even its length. `extra` holds more, normalized. */
export function isSecretKey(key: string, extra: ReadonlySet<string> = EMPTY): boolean {
  const k = normalizeKey(key);
  return SECRET_KEYS.has(k) || extra.has(k) || (SECRET_KEY_PART.test(k) && !MINTED_ID.test(key));
}

/** A key whose value is a beneficiary's personal data — or whose whole subtree is (`beneficiarios`, `integracao`). */
export function isPersonalKey(key: string): boolean {
  const k = normalizeKey(key);
  return PERSONAL_KEYS.has(k) || (PERSONAL_KEY_PART.test(k) && !MINTED_ID.test(key));
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * The allow-list: the only operator-body fields whose values are stored and shown in clear. Each
 * is declared by a contract in `modules/contracts/contracts.ts` (a test holds this list to that)
 * and says something about the integration, never about a person: messages for the user, contract
 * and contact *kinds*, permissoes, the color scheme, header names and expiries. `numeroContrato`
 * is deliberately out (an individual plan's number identifies its titular), as are `ofuscado`
 * (the operator's obfuscation may be weak) and everything under a personal or secret key.
 * Booleans and `null` are kept wherever they are not under such a key: they are structure.
 */
export const CLEAR_FIELDS = ['mensagem', 'mensagemBloqueio', 'tipo', 'descricaoContrato', 'funcionalidade', 'acesso', 'ocultar', 'esquemaCor', 'chave', 'expiracao', 'id'] as const;
const CLEAR_KEYS = new Set<string>(CLEAR_FIELDS.map(normalizeKey));

/** Whether a value under `key` may be shown: the allow-list, by key name at any depth. */
export function isClearField(key: string | undefined): boolean {
  return key !== undefined && CLEAR_KEYS.has(normalizeKey(key));
}

// ── Masks ────────────────────────────────────────────────────────────────────────────────────
//
// A masked value keeps what helps an operator debug and nothing about the person:
//   secret (any value)                  `***`                   (a JWT: `eyJ***.***.***`)
//   digits with separators (CPF, phone, `529.982.247-25` → `***.***.***-**`, `1980-03-14` → `****-**-**`
//     date, matrícula)                  every digit becomes `*`, the format stays readable
//   e-mail                              `***@***`
//   any other text                      `*** (19)`: its length in characters
//   number                              every digit becomes `#` (`11990000001` → `"###########"`)
//   boolean under a personal key        `***`
//   empty or blank text, `null`         kept: absence is not personal, and contracts check it

export const MASK = '***';
export const CPF_MASK = '***.***.***-**';
export const JWT_MASK = 'eyJ***.***.***';
export const EMAIL_MASK = '***@***';
const PHONE_MASK = '(**) *****-****';

const JWT_SHAPE = /^(?:(?:bearer|jwt)\s+)?eyJ[\w-]*\.[\w-]*\.[\w-]*$/i;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;
const DIGITS_SHAPE = /^[\d\s().+/-]*\d[\d\s().+/-]*$/;
// What `maskString` and `maskNumber` produce: masking it again changes nothing (reading old rows
// through the current policy must not blur what was already masked).
const ALREADY_MASKED = /^(?:\*\*\* \(\d+\)|\*\*\*@\*\*\*|eyJ\*\*\*\.\*\*\*\.\*\*\*|[*#\s().+/-]*)$/;

// Value shapes that are personal data or credentials wherever they appear in free text.
const JWT_IN_TEXT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const EMAIL_IN_TEXT = /[\w.%+-]+@[\w-]+(?:\.[\w-]+)+/g;
const FORMATTED_CPF_IN_TEXT = /\d{3}\.\d{3}\.\d{3}-\d{2}/g;
const LONG_DIGIT_RUN = /\d{11,}/g;
// Brazilian phones as people write them: (27) 99715-7620, +55 27 3333-4444, 2733334444.
const PHONE_IN_TEXT = /(?<!\d)(?:\+?55[\s.-]?)?(?:\(\d{2}\)|\d{2})[\s.-]?9?\d{4}[\s.-]?\d{4}(?!\d)/g;
const MIGHT_HOLD_PERSONAL_DATA = /[\d@]|eyJ/;

/**
 * The net under free text that is kept (messages, URLs, non-JSON previews): every CPF, e-mail, JWT,
 * phone and run of 11+ digits inside it is masked. Names cannot be recognized in free text — which
 * is why only the allow-listed fields are ever kept as text.
 */
export function maskText(text: string): string {
  if (!MIGHT_HOLD_PERSONAL_DATA.test(text)) return text;
  return text
    .replace(JWT_IN_TEXT, JWT_MASK)
    .replace(EMAIL_IN_TEXT, EMAIL_MASK)
    .replace(FORMATTED_CPF_IN_TEXT, CPF_MASK)
    .replace(LONG_DIGIT_RUN, (run) => '*'.repeat(run.length))
    .replace(PHONE_IN_TEXT, PHONE_MASK);
}

/** A personal string, masked keeping its shape (see the table above). */
export function maskString(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || ALREADY_MASKED.test(value)) return value;
  if (JWT_SHAPE.test(trimmed)) return JWT_MASK;
  if (DIGITS_SHAPE.test(value)) return value.replace(/\d/g, '*');
  if (EMAIL_SHAPE.test(trimmed)) return EMAIL_MASK;
  return `${MASK} (${codePoints(value)})`;
}

/** `[...value].length` without building the array: UTF-16 units minus the second half of each surrogate pair. */
function codePoints(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count -= 1;
        i += 1;
      }
    }
  }
  return count;
}

function maskNumber(value: number): string {
  return String(value).replace(/\d/g, '#');
}

/** Any value that must not be shown, masked by its type; objects and arrays keep their structure. */
function maskPersonal(value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') return maskString(value);
  if (typeof value === 'number') return maskNumber(value);
  if (typeof value === 'boolean') return MASK;
  if (depth > MAX_DEPTH) return DEPTH_NOTE;
  if (Array.isArray(value)) return value.map((item) => maskPersonal(item, depth + 1));
  if (typeof value === 'object') return mapEntries(value, (key, child) => [maskText(key), maskPersonal(child, depth + 1)]);
  return MASK;
}

/** A credential: `***` whatever it was (a JWT says so); empty stays empty, `null` stays `null`. */
function maskSecret(value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    if (value.trim() === '' || ALREADY_MASKED.test(value)) return value;
    return JWT_SHAPE.test(value.trim()) ? JWT_MASK : MASK;
  }
  if (depth > MAX_DEPTH) return DEPTH_NOTE;
  if (Array.isArray(value)) return value.map((item) => maskSecret(item, depth + 1));
  if (typeof value === 'object') return mapEntries(value, (key, child) => [maskText(key), maskSecret(child, depth + 1)]);
  return MASK;
}

const MAX_DEPTH = 64;
const DEPTH_NOTE = '[profundidade excedida]';

// As `Object.fromEntries(Object.entries(value).map(…))` without the intermediate arrays (this runs
// for every object of every stored body). Properties are defined, not assigned, where it matters:
// a key named `__proto__` stays data.
function mapEntries(value: object, map: (key: string, child: unknown) => [string, unknown]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const [stored, mapped] = map(key, (value as Record<string, unknown>)[key]);
    if (stored === '__proto__') Object.defineProperty(out, stored, { value: mapped, enumerable: true, writable: true, configurable: true });
    else out[stored] = mapped;
  }
  return out;
}

// ── Operator bodies: the allow-list policy ───────────────────────────────────────────────────

type KeyInfo = { normalized: string; stored: string; secret: boolean; personal: boolean; clear: boolean };
/**
 * What the vocabulary says of each key, computed once per key name: operator bodies repeat the same
 * few dozen keys in every call, and the regular expressions above cost more than the walk itself.
 * Bounded (an operator could send endless distinct keys): past the limit it starts over.
 */
const keyInfos = new Map<string, KeyInfo>();
const MAX_KEY_INFOS = 10_000;

function keyInfo(key: string): KeyInfo {
  let info = keyInfos.get(key);
  if (info) return info;
  info = { normalized: normalizeKey(key), stored: maskText(key), secret: isSecretKey(key), personal: isPersonalKey(key), clear: isClearField(key) };
  if (keyInfos.size >= MAX_KEY_INFOS) keyInfos.clear();
  keyInfos.set(key, info);
  return info;
}

/**
 * A deep copy of a JSON value as the central de logs stores it: objects and arrays keep their keys
 * and lengths; a value is kept only when its key is allow-listed (`CLEAR_FIELDS`, free text still
 * through `maskText`) or it is a boolean or `null` outside any personal or secret key. Everything
 * under a secret key (the vocabulary, plus `secretKeys`) is `***`; everything else is masked by
 * `maskString`'s shapes. Masking twice equals masking once.
 *
 * `request: true` is for what Ponte sends: its fields come from the instância's forms, named as the
 * operator likes (a CPF field may well be called `id`), so no field name is trusted there.
 */
export function redactOperatorJson(value: unknown, options: { secretKeys?: Iterable<string>; request?: boolean } = {}): unknown {
  const secretKeys = options.secretKeys ? new Set([...options.secretKeys].map(normalizeKey)) : EMPTY;
  const clear = options.request ? () => false : (key: string | undefined) => key !== undefined && keyInfo(key).clear;
  const walk = (node: unknown, key: string | undefined, depth: number): unknown => {
    if (node === null || node === undefined || typeof node === 'boolean') return node;
    if (typeof node === 'string') return clear(key) ? maskText(node) : maskString(node);
    if (typeof node === 'number') return clear(key) ? node : maskNumber(node);
    if (depth > MAX_DEPTH) return DEPTH_NOTE;
    // Array items are judged under their list's key: `segmentacao: ["premium"]` is as masked as its key.
    if (Array.isArray(node)) return node.map((item) => walk(item, key, depth + 1));
    if (typeof node === 'object') {
      return mapEntries(node, (childKey, child) => {
        const info = keyInfo(childKey);
        if (info.secret || secretKeys.has(info.normalized)) return [info.stored, maskSecret(child, depth + 1)];
        if (info.personal) return [info.stored, maskPersonal(child, depth + 1)];
        return [info.stored, walk(child, childKey, depth + 1)];
      });
    }
    // bigint, symbol, function: not JSON; never kept as they are.
    return MASK;
  };
  return walk(value, undefined, 0);
}

/** Stored request and JSON response bodies are cut here, with a marker saying so. */
export const MAX_STORED_BODY_BYTES = 64 * 1024;
/** A response that is not JSON cannot be redacted field by field: only a short masked preview is kept. */
export const MAX_NON_JSON_PREVIEW_BYTES = 2 * 1024;
// How much of a non-JSON body is read at most to produce the preview; far more than the preview
// itself, so what the masks shorten still fills it.
const NON_JSON_SCAN_CHARS = 16 * 1024;

const truncationMarker = (totalBytes: number) => `\n…[truncado: ${totalBytes} bytes no total]`;

/** At most `maxBytes` of UTF-8 (never splitting a character), plus a marker when anything was cut. */
export function capText(text: string, maxBytes: number, totalBytes = Buffer.byteLength(text)): string {
  if (totalBytes <= maxBytes && Buffer.byteLength(text) <= maxBytes) return text;
  const cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
  return `${cut}${truncationMarker(totalBytes)}`;
}

// Stops before the last, possibly cut, token so a half e-mail or half CPF is never left unmasked.
const TRAILING_PARTIAL_TOKEN = /[^\s<>"'`,;:(){}[\]]*$/;

/**
 * A body that is not JSON (an HTML error page, a stack trace): a short preview masked as free
 * text. The one place text outside the allow-list is kept — what a broken gateway answered is what
 * an operator most needs to see, and such pages rarely carry a person.
 */
export function nonJsonPreview(text: string): string {
  const totalBytes = Buffer.byteLength(text);
  const scanned = text.length > NON_JSON_SCAN_CHARS ? text.slice(0, NON_JSON_SCAN_CHARS).replace(TRAILING_PARTIAL_TOKEN, '') : text;
  return capText(maskText(scanned), MAX_NON_JSON_PREVIEW_BYTES, totalBytes);
}

/** An operator's response body as the central de logs stores it: redacted JSON when it parses, else a masked preview. */
export function redactOperatorBody(text: string): string {
  if (text.trim() === '') return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return nonJsonPreview(text);
  }
  return capText(JSON.stringify(redactOperatorJson(parsed)), MAX_STORED_BODY_BYTES);
}

/** A deep copy with `maskText` over every string: for text Ponte wrote itself (violation reports, failure messages). */
export function redactFreeText(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return DEPTH_NOTE;
  if (Array.isArray(value)) return value.map((item) => redactFreeText(item, depth + 1));
  return mapEntries(value, (key, child) => [maskText(key), redactFreeText(child, depth + 1)]);
}

const MAX_URL_LENGTH = 2048;
const MAX_HEADER_LENGTH = 256;

/** The URL without credentials, query string or fragment (tokens must never be there, but might). */
export function redactUrl(raw: string): string {
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

/** Header values worth showing: they describe the format, never a person or a credential. */
const VISIBLE_HEADER_VALUES = new Set(['content-type', 'accept']);

/** Header names as sent; values masked except the harmless format ones. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
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

// ── Secrets only ─────────────────────────────────────────────────────────────────────────────

/**
 * A deep copy with only the credentials masked (by the secret vocabulary): what a cliente admin
 * sees of a validador request they typed themselves — the CPF they entered, never a senha.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return DEPTH_NOTE;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  return mapEntries(value, (key, child) => [key, isSecretKey(key) ? maskSecret(child, depth + 1) : redactSecrets(child, depth + 1)]);
}

// ── Audit ────────────────────────────────────────────────────────────────────────────────────

/**
 * Kept in the audit although personal: a painel account's `email` and `nome` are who did what to
 * whom — the point of the audit trail, and shown to the same people in the cliente's users list —
 * and elsewhere `nome` names configuration (a grupo, a header, a form field, a funcionalidade).
 */
const AUDIT_KEPT_KEYS = new Set(['email', 'nome']);

/**
 * An audit event's before/after as stored: credentials `***` (an empty or `null` one shows it was
 * unset), beneficiary personal data masked by shape, configuration kept.
 */
export function redactAudit(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return DEPTH_NOTE;
  if (Array.isArray(value)) return value.map((item) => redactAudit(item, depth + 1));
  return mapEntries(value, (key, child) => {
    if (isSecretKey(key)) return [key, maskSecret(child, depth + 1)];
    if (isPersonalKey(key) && !AUDIT_KEPT_KEYS.has(normalizeKey(key))) return [key, maskPersonal(child, depth + 1)];
    // An integração's `metodos` is keyed by operator method: `login` and `trocarSenha` name a method there.
    if (normalizeKey(key) === 'metodos' && child !== null && typeof child === 'object' && !Array.isArray(child)) {
      return [key, mapEntries(child, (method, config) => [method, redactAudit(config, depth + 2)])];
    }
    return [key, redactAudit(child, depth + 1)];
  });
}

// ── Log lines ────────────────────────────────────────────────────────────────────────────────

/** What a censored field of a log line reads. */
export const LOG_CENSOR = '[redacted]';
const MAX_LOG_DEPTH = 10;

const isPlainObject = (value: object) => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * The fields of one log line with every secret or personal key censored, at any depth (pino's own
 * `redact` only knows fixed paths). Only plain objects and arrays are walked: an `Error` is left to
 * pino's serializer, and the logger's `redact` paths take care of what it exposes.
 */
export function censorLogFields<T extends Record<string, unknown>>(fields: T): T {
  const walk = (node: unknown, depth: number): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (depth > MAX_LOG_DEPTH) return LOG_CENSOR;
    if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
    if (!isPlainObject(node)) return node;
    return mapEntries(node, (key, child) => [key, child !== null && child !== undefined && (isSecretKey(key) || isPersonalKey(key)) ? LOG_CENSOR : walk(child, depth + 1)]);
  };
  return walk(fields, 0) as T;
}
