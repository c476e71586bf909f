import type { FieldSpec, ObjectSpec, OperatorMethod } from '../modules/contracts/contract-spec.ts';

/**
 * Ways the operator simulator misbehaves. The broken-contract modes are derived by walking the
 * method's declared contract (never a restated copy of it), so they stay right when a contract
 * changes.
 */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status-500' }
  | { kind: 'status-503' }
  | { kind: 'invalid-json' }
  | { kind: 'wrong-types' }
  | { kind: 'missing-mandatory' }
  | { kind: 'null-mandatory' }
  | { kind: 'blank-mandatory' }
  | { kind: 'authorization-chave' }
  | { kind: 'huge-body'; bytes: number }
  | { kind: 'connection-reset' }
  | { kind: 'redirect'; url: string }
  | { kind: 'hang' };

export type FaultKind = Fault['kind'];
export type ContractBreak = Extract<FaultKind, 'wrong-types' | 'missing-mandatory' | 'null-mandatory' | 'blank-mandatory'>;

export const DEFAULT_HUGE_BODY_BYTES = 5 * 1024 * 1024;
const MAX_HUGE_BODY_BYTES = 256 * 1024 * 1024;
const MAX_LATENCY_MS = 10 * 60 * 1000;

/** Every mode with its syntax and one line of help; `--help` and the error messages print this. */
export const faultModes: ReadonlyArray<{ kind: FaultKind; syntax: string; help: string }> = [
  { kind: 'latency', syntax: 'latency:<ms>', help: 'espera <ms> milissegundos e responde normalmente' },
  { kind: 'status-500', syntax: 'status-500', help: 'responde 500 com {mensagem}' },
  { kind: 'status-503', syntax: 'status-503', help: 'responde 503 com {mensagem} e Retry-After' },
  { kind: 'invalid-json', syntax: 'invalid-json', help: 'responde o corpo normal truncado (JSON inválido) com Content-Type JSON' },
  { kind: 'wrong-types', syntax: 'wrong-types', help: 'troca o tipo do primeiro atributo M da resposta (ex.: String vira Number)' },
  { kind: 'missing-mandatory', syntax: 'missing-mandatory', help: 'remove o primeiro atributo M da resposta' },
  { kind: 'null-mandatory', syntax: 'null-mandatory', help: 'envia null no primeiro atributo M da resposta' },
  { kind: 'blank-mandatory', syntax: 'blank-mandatory', help: 'envia "   " no primeiro atributo M do tipo String da resposta' },
  { kind: 'authorization-chave', syntax: 'authorization-chave', help: 'só /autorizacao: acrescenta um par com chave "Authorization"' },
  { kind: 'huge-body', syntax: 'huge-body[:<bytes>]', help: `JSON válido preenchido até <bytes> (padrão ${DEFAULT_HUGE_BODY_BYTES}, 5 MiB)` },
  { kind: 'connection-reset', syntax: 'connection-reset', help: 'derruba a conexão (TCP RST) sem responder' },
  { kind: 'redirect', syntax: 'redirect:<url>', help: 'responde 302 com Location: <url> (a Ponte não deve seguir)' },
  { kind: 'hang', syntax: 'hang', help: 'nunca responde (para testar timeouts)' },
];

export function faultModesHelp(): string {
  const width = Math.max(...faultModes.map((m) => m.syntax.length));
  return [
    'Modos de falha (--fault <modo>, ou por requisição com o header "x-sim-fault: <modo>"):',
    ...faultModes.map((m) => `  ${m.syntax.padEnd(width)}  ${m.help}`),
    'Nas respostas sem atributo M abaixo da raiz (nova senha, trocar senha), os modos de contrato quebram o próprio corpo:',
    '  null → null, blank → "   ", wrong-types → [], missing → corpo vazio (aceito pelo contrato: nada ali é obrigatório).',
  ].join('\n');
}

export class FaultParseError extends Error {}

/** Parses `latency:200`, `huge-body`, `redirect:http://…`; throws FaultParseError with the list of modes. */
export function parseFault(text: string): Fault {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const name = colon === -1 ? trimmed : trimmed.slice(0, colon);
  const argument = colon === -1 ? undefined : trimmed.slice(colon + 1);
  const fail = (why: string): never => {
    throw new FaultParseError(`Modo de falha inválido "${trimmed.slice(0, 80)}": ${why}. Modos: ${faultModes.map((m) => m.syntax).join(', ')}.`);
  };
  const integer = (raw: string | undefined, min: number, max: number): number => {
    const value = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) fail(`informe um inteiro entre ${min} e ${max}`);
    return value;
  };
  const mode = faultModes.find((m) => m.kind === name);
  if (!mode) return fail('modo desconhecido');
  switch (mode.kind) {
    case 'latency':
      return { kind: 'latency', ms: integer(argument, 0, MAX_LATENCY_MS) };
    case 'huge-body':
      return { kind: 'huge-body', bytes: argument === undefined ? DEFAULT_HUGE_BODY_BYTES : integer(argument, 1, MAX_HUGE_BODY_BYTES) };
    case 'redirect': {
      if (argument === undefined || !URL.canParse(argument)) return fail('informe a URL de destino, ex.: redirect:http://127.0.0.1:1/');
      return { kind: 'redirect', url: argument };
    }
    default:
      if (argument !== undefined) fail('este modo não tem argumento');
      return { kind: mode.kind } as Fault;
  }
}

type Segment = string | number;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Depth-first, in declaration order, the first field reached only through M fields that the body
 * actually has, whose spec is a leaf (String, Number, Boolean) — or a String only, for blanks.
 * Arrays are entered at their first item. `[]` means no such field: the body itself is the target.
 */
export function firstMandatoryLeaf(spec: ObjectSpec, body: unknown, stringsOnly: boolean): Segment[] {
  const walk = (field: FieldSpec, value: unknown, path: Segment[]): Segment[] | undefined => {
    if (field.type === 'object' && isRecord(value)) {
      for (const [name, child] of Object.entries(field.fields ?? {})) {
        if (child.criterion !== 'M' || value[name] === undefined) continue;
        const found = walk(child, value[name], [...path, name]);
        if (found) return found;
      }
      return undefined;
    }
    if (field.type === 'array' && Array.isArray(value) && value.length > 0) return walk(field.items, value[0], [...path, 0]);
    const leaf = stringsOnly ? field.type === 'string' : field.type === 'string' || field.type === 'number' || field.type === 'boolean';
    return path.length > 0 && leaf ? path : undefined;
  };
  return walk(spec, body, []) ?? [];
}

/** `['auth', 0, 'token']` → `auth[0].token`, the validator's path notation; `$` for the body. */
export function pathText(path: Segment[]): string {
  if (path.length === 0) return '$';
  return path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment), '');
}

function wrongTypeOf(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  return 'valor com tipo errado';
}

/**
 * Returns the body text with `mode` applied to the first M field of `spec`, and the path it broke.
 * At the root (no M field below it) the body itself breaks: null → `null`, blank → `"   "`, wrong
 * type → `[]`; missing → an empty body, which such a contract accepts (nothing in it is mandatory).
 */
export function breakContract(mode: ContractBreak, spec: ObjectSpec, body: unknown): { text: string; caminho: string } {
  const path = firstMandatoryLeaf(spec, body, mode === 'blank-mandatory');
  if (path.length === 0) {
    const rootText: Record<ContractBreak, string> = { 'missing-mandatory': '', 'null-mandatory': 'null', 'blank-mandatory': '"   "', 'wrong-types': '[]' };
    return { text: rootText[mode], caminho: '$' };
  }
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (mode === 'missing-mandatory') delete parent[last];
  else if (mode === 'null-mandatory') parent[last] = null;
  else if (mode === 'blank-mandatory') parent[last] = '   ';
  else parent[last] = wrongTypeOf(parent[last]);
  return { text: JSON.stringify(copy), caminho: pathText(path) };
}

/** The /autorizacao answer with an `Authorization` pair added, which the contract forbids. */
export function withAuthorizationChave(body: unknown): unknown {
  if (!isRecord(body) || !Array.isArray(body.auth)) return body;
  return { ...body, auth: [...body.auth, { chave: 'Authorization', token: 'Bearer simulado' }] };
}

/** Valid JSON of exactly `bytes` bytes (or the body unchanged when it is already that long). */
export function paddedBody(body: unknown, bytes: number): string {
  const base = JSON.stringify({ ...(isRecord(body) ? body : { valor: body }), preenchimento: '' });
  const missing = bytes - Buffer.byteLength(base);
  if (missing <= 0) return JSON.stringify(body);
  return `${base.slice(0, -2)}${'x'.repeat(missing)}"}`;
}

export const contractBreaks: ReadonlySet<FaultKind> = new Set(['wrong-types', 'missing-mandatory', 'null-mandatory', 'blank-mandatory']);

/** A run-wide fault, optionally limited to some methods. */
export type ScopedFault = { fault: Fault; methods?: ReadonlySet<OperatorMethod> };
