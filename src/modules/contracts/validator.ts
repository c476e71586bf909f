import { isForbiddenHeaderName, isValidHeaderName } from '../../platform/http/header-names.ts';
import { jsonNestingExceeds, MAX_JSON_DEPTH } from '../../platform/json-depth.ts';
import { isClearField, maskText } from '../../platform/redaction.ts';
import {
  criterionLabels,
  typeLabels,
  type Criterion,
  type FieldSpec,
  type MethodContract,
  type ObjectSpec,
  type StringRule,
} from './contract-spec.ts';

/** Why a value broke its contract, so tests and tools can tell violations apart without reading prose. */
export type ViolationKind =
  | 'json_invalido'
  | 'ausente'
  | 'nulo'
  | 'vazio'
  | 'tipo'
  | 'valor_nao_permitido'
  | 'formato'
  | 'itens_insuficientes'
  | 'nome_incorreto';

export type Violation = {
  /** JSON path such as `contatos[2].tipo`; `$` is the whole body. */
  caminho: string;
  tipo: ViolationKind;
  criterio: Criterion;
  esperado: string;
  recebido: string;
  /** One Portuguese sentence an operator's developer can act on alone. */
  mensagem: string;
};

const PREVIEW_LENGTH = 40;

/**
 * A short excerpt of text an operator sent, with digit runs (CPFs, phones, cards) and e-mail
 * addresses masked: previews end up in the central de logs.
 */
export function safePreview(text: string): string {
  const cut = text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH)}…` : text;
  return maskText(cut).replace(/\d[\d.\-/ ]{4,}\d/g, (run) => run.replace(/\d/g, '*'));
}

/**
 * What came, described without leaking personal data or secrets: a value is quoted only under a key
 * the redaction allow-list shows in clear (`isClearField`: `tipo`, `acesso`, `mensagem`…); any other
 * is described by its type and length. Array items are described under their list's name.
 */
function describeValue(value: unknown, key: string): string {
  if (value === undefined) return 'atributo ausente';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `Array com ${value.length} ${value.length === 1 ? 'item' : 'itens'}`;
  if (typeof value === 'object') return 'Object';
  if (typeof value === 'string') {
    if (!isClearField(key)) return `String (${value.length} ${value.length === 1 ? 'caractere' : 'caracteres'})`;
    return `String "${safePreview(value)}"`;
  }
  if (typeof value === 'number') return isClearField(key) ? `Number ${value}` : 'Number';
  if (typeof value === 'boolean') return `Boolean ${value}`;
  return typeof value;
}

/** What a field must hold, in the words of the violation reports (the painel's contract view shows the same). */
export function expectedOf(spec: FieldSpec): string {
  const base = typeLabels[spec.type];
  if ((spec.type === 'string' || spec.type === 'number') && spec.oneOf) return `${base}, um de: ${spec.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
  if (spec.type === 'array' && spec.minItems) return `${base} com ao menos ${spec.minItems} ${spec.minItems === 1 ? 'item' : 'itens'}`;
  if (spec.type === 'string' && spec.rule) return `${base} (${ruleLabels[spec.rule]})`;
  return base;
}

const ruleLabels: Record<StringRule, string> = {
  ascii: 'somente letras sem acento, números, "-" e "_"',
  headerName: 'nome de header HTTP válido',
  asciiHeaderName: 'nome de header HTTP com somente letras sem acento, números, "-" e "_"',
  headerNameNotAuthorization: 'nome de header HTTP válido e diferente de "Authorization"',
  date: 'data no formato AAAA-MM-DD',
  cpf: 'CPF com 11 dígitos e dígitos verificadores válidos',
};

export function isValidCpf(value: string): boolean {
  if (!/^\d{11}$/.test(value) || /^(\d)\1{10}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const check = (length: number) => {
    const sum = digits.slice(0, length).reduce((acc, digit, index) => acc + digit * (length + 1 - index), 0);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  return check(9) === digits[9] && check(10) === digits[10];
}

export function isValidIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Returns the reason a string breaks its rule, or undefined when it follows it. */
function ruleProblem(rule: StringRule, value: string): string | undefined {
  switch (rule) {
    case 'ascii':
      return /^[A-Za-z0-9_-]+$/.test(value) ? undefined : 'contém caracteres especiais';
    case 'headerName':
    case 'asciiHeaderName':
    case 'headerNameNotAuthorization':
      if (!isValidHeaderName(value)) return 'não é um nome de header HTTP válido';
      if (rule === 'asciiHeaderName' && !/^[A-Za-z0-9_-]+$/.test(value)) return 'contém caracteres especiais';
      if (isForbiddenHeaderName(value)) return `"${value}" é um header de controle do HTTP e não pode ser usado`;
      if (rule === 'headerNameNotAuthorization' && value.toLowerCase() === 'authorization') {
        return 'a chave Authorization não pode ser utilizada, pois é reservada às requisições da plataforma';
      }
      return undefined;
    case 'date':
      return isValidIsoDate(value) ? undefined : 'não é uma data real no formato AAAA-MM-DD';
    case 'cpf':
      return isValidCpf(value) ? undefined : 'não é um CPF válido (11 dígitos com dígitos verificadores corretos)';
  }
}

function typeMatches(spec: FieldSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && (!spec.integer || Number.isInteger(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'stringOrNull':
      return typeof value === 'string' || value === null;
    case 'any':
      return true;
  }
}

const normalizedName = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');

type Context = { root: unknown; violations: Violation[] };

/**
 * Where a value sits, kept as links to its parent and turned into text (`contatos[2].tipo`) only
 * when a violation is reported: a conforming answer — almost every one — builds no path strings.
 */
type Path = { parent: Path; step: string | number } | null;

function pathText(path: Path): string {
  if (path === null) return '$';
  const parent = path.parent === null ? '' : pathText(path.parent);
  return typeof path.step === 'number' ? `${parent || '$'}[${path.step}]` : parent === '' ? path.step : `${parent}.${path.step}`;
}

/** Each object spec's fields as a list, made once per spec rather than once per value checked. */
const fieldLists = new WeakMap<ObjectSpec, [string, FieldSpec][]>();
function fieldsOf(spec: ObjectSpec): [string, FieldSpec][] {
  let fields = fieldLists.get(spec);
  if (!fields) {
    fields = Object.entries(spec.fields ?? {});
    fieldLists.set(spec, fields);
  }
  return fields;
}

function report(ctx: Context, at: Path, kind: ViolationKind, spec: FieldSpec, value: unknown, key: string, detail: string): void {
  const path = pathText(at);
  const esperado = expectedOf(spec);
  const recebido = describeValue(value, key);
  const criterion = criterionLabels[spec.criterion];
  ctx.violations.push({
    caminho: path,
    tipo: kind,
    criterio: spec.criterion,
    esperado,
    recebido,
    mensagem: `${path}: ${detail} — atributo ${criterion}, esperado ${esperado}; recebido ${recebido}.`,
  });
}

function isRequired(spec: FieldSpec, ctx: Context): boolean {
  if (spec.criterion === 'M') return true;
  if (spec.criterion === 'C') return spec.condition?.holds(ctx.root) ?? false;
  return false;
}

const conditionTextOf = (spec: FieldSpec) => (spec.criterion === 'C' && spec.condition ? ` (${spec.condition.text})` : '');

function checkField(ctx: Context, at: Path, key: string, spec: FieldSpec, value: unknown): void {
  if (value === undefined) {
    if (isRequired(spec, ctx)) report(ctx, at, 'ausente', spec, value, key, `atributo obrigatório ausente${conditionTextOf(spec)}`);
    return;
  }
  if (value === null) {
    if (spec.type !== 'stringOrNull' && isRequired(spec, ctx)) report(ctx, at, 'nulo', spec, value, key, `atributo obrigatório não pode ser null${conditionTextOf(spec)}`);
    return;
  }
  if (!typeMatches(spec, value)) {
    report(ctx, at, 'tipo', spec, value, key, 'tipo incorreto');
    return;
  }
  if (typeof value === 'string' && value.trim() === '') {
    if (isRequired(spec, ctx)) report(ctx, at, 'vazio', spec, value, key, `atributo obrigatório não pode estar em branco${conditionTextOf(spec)}`);
    return;
  }
  if (spec.type === 'string' && typeof value === 'string') {
    if (spec.oneOf && !spec.oneOf.includes(value)) report(ctx, at, 'valor_nao_permitido', spec, value, key, 'valor não permitido');
    else if (spec.rule) {
      const problem = ruleProblem(spec.rule, value);
      if (problem) report(ctx, at, 'formato', spec, value, key, problem);
    }
  }
  if (spec.type === 'number' && spec.oneOf && !spec.oneOf.includes(value as number)) {
    report(ctx, at, 'valor_nao_permitido', spec, value, key, 'valor não permitido');
  }
  if (spec.type === 'array' && Array.isArray(value)) {
    const minItems = spec.minItems ?? 0;
    if (value.length < Math.max(minItems, 1) && isRequired(spec, ctx)) {
      report(ctx, at, 'itens_insuficientes', spec, value, key, `a lista precisa de ao menos ${Math.max(minItems, 1)} ${minItems > 1 ? 'itens' : 'item'}${conditionTextOf(spec)}`);
    }
    for (let index = 0; index < value.length; index++) checkField(ctx, { parent: at, step: index }, key, spec.items, value[index]);
  }
  if (spec.type === 'object' && spec.fields) checkObject(ctx, at, spec, value as Record<string, unknown>);
}

function checkObject(ctx: Context, at: Path, spec: ObjectSpec, value: Record<string, unknown>): void {
  for (const [name, fieldSpec] of fieldsOf(spec)) {
    const fieldAt: Path = { parent: at, step: name };
    const fieldValue = Object.hasOwn(value, name) ? value[name] : undefined;
    if (fieldValue === undefined) {
      const lookalike = Object.keys(value).find((k) => k !== name && normalizedName(k) === normalizedName(name));
      if (lookalike !== undefined) {
        report(ctx, fieldAt, 'nome_incorreto', fieldSpec, undefined, name, `nome de atributo incorreto: veio "${lookalike}", o nome exato (com maiúsculas e minúsculas) é "${name}"`);
        continue;
      }
    }
    checkField(ctx, fieldAt, name, fieldSpec, fieldValue);
  }
}

/** Every way `value` breaks `spec`. Never throws, whatever it is given. */
export function validateValue(spec: ObjectSpec, value: unknown): Violation[] {
  const ctx: Context = { root: value, violations: [] };
  try {
    checkField(ctx, null, '$', spec, value);
  } catch (error) {
    // A contract bug must not take a user's request down with it; report it as a violation.
    ctx.violations.push({
      caminho: '$',
      tipo: 'formato',
      criterio: 'M',
      esperado: 'uma resposta validável',
      recebido: 'estrutura que interrompeu a validação',
      mensagem: `$: a resposta não pôde ser validada (${error instanceof Error ? error.message : 'erro desconhecido'}).`,
    });
  }
  return ctx.violations;
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; violation: Violation };

/**
 * Parses a body as JSON; a body that is not JSON is itself a violation — and so is one nested past
 * `MAX_JSON_DEPTH`, which would overflow the stack of whatever serializes it next.
 */
export function parseJsonBody(text: string): ParsedBody {
  if (jsonNestingExceeds(text)) {
    return {
      ok: false,
      violation: {
        caminho: '$',
        tipo: 'json_invalido',
        criterio: 'M',
        esperado: `um corpo JSON com no máximo ${MAX_JSON_DEPTH} níveis de objetos e listas aninhados`,
        recebido: `JSON com mais de ${MAX_JSON_DEPTH} níveis de aninhamento`,
        mensagem: `$: a resposta aninha objetos e listas em mais de ${MAX_JSON_DEPTH} níveis; devolva uma estrutura com no máximo ${MAX_JSON_DEPTH} níveis.`,
      },
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const preview = safePreview(text);
    return {
      ok: false,
      violation: {
        caminho: '$',
        tipo: 'json_invalido',
        criterio: 'M',
        esperado: 'um corpo JSON (Content-Type: application/json)',
        recebido: text.length === 0 ? 'corpo vazio' : `texto que não é JSON: "${preview}"`,
        mensagem: `$: a resposta não é um JSON válido — esperado um objeto JSON; recebido ${text.length === 0 ? 'corpo vazio' : `"${preview}"`}.`,
      },
    };
  }
}

/**
 * Checks an operator's answer to `contract`: a 2xx against the success contract, anything else
 * against the failure shape `{mensagem}`. Never throws.
 */
export function validateResponse(contract: MethodContract, status: number, bodyText: string): { value: unknown; violations: Violation[] } {
  const success = status >= 200 && status < 300;
  const spec = success ? contract.response : contract.failure;
  // "2xx; mensagem OP": a success without a body (e.g. 204) is fine when nothing in it is required.
  if (success && bodyText.trim() === '' && !Object.values(spec.fields ?? {}).some((f) => f.criterion === 'M')) {
    return { value: {}, violations: [] };
  }
  const parsed = parseJsonBody(bodyText);
  if (!parsed.ok) return { value: undefined, violations: [parsed.violation] };
  return { value: parsed.value, violations: validateValue(spec, parsed.value) };
}
