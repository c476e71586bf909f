import { LRUCache } from 'lru-cache';
import type { ErrorDetail } from '../../platform/errors.ts';
import { isValidCpf, isValidIsoDate } from '../contracts/validator.ts';
import { compileLinearPattern } from './forms.regex.ts';
import { formLimits, type Campo, type FormularioDefinicao } from './forms.schemas.ts';

/**
 * Server-side validation of a submitted form (docs/ESPECIFICACAO.md §6: "server-side validation of submissions with
 * the same definition"). It runs before any operator is called; each problem names the field and
 * says, in Portuguese, what to do. The body it returns holds only the form's fields, normalised to
 * what the operator expects (CPF and phone as digits, dates as `YYYY-MM-DD`, numbers as numbers).
 * Messages quote the field's label, never the value typed (a senha, a CPF). A confirmation field
 * (`confirma`) is checked against the field it repeats and never sent.
 */

export type SubmissionBody = Record<string, string | number>;
/** `ignorados`: names sent that the form does not have; dropped, never forwarded. */
export type SubmissionResult = { ok: true; body: SubmissionBody; ignorados: string[] } | { ok: false; details: ErrorDetail[]; ignorados: string[] };

type FieldOutcome = { value: string | number } | { error: string } | { absent: true };

const MAX_IGNORED_REPORTED = 30;

// Patterns run on RE2, in time linear in the value (forms.regex.ts); compiled once.
// `nao-suportado`: a pattern saved before RE2 that it cannot run (lookaround, back-references).
const compiled = new LRUCache<string, RegExp | 'nao-suportado'>({ max: 2_000 });
function patternOf(padrao: string): RegExp | undefined {
  let re = compiled.get(padrao);
  if (!re) {
    try {
      re = compileLinearPattern(padrao);
    } catch {
      re = 'nao-suportado';
    }
    compiled.set(padrao, re);
  }
  return re === 'nao-suportado' ? undefined : re;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;
const NUMBER_TEXT = /^[+-]?\d+(?:[.,]\d+)?$/;

function lengthProblem(campo: Campo, length: number, label: string): string | undefined {
  if (campo.min !== undefined && length < campo.min) return `${label} deve ter pelo menos ${campo.min} caracteres.`;
  if (campo.max !== undefined && length > campo.max) return `${label} deve ter no máximo ${campo.max} caracteres.`;
  return undefined;
}

/** Checks one present, non-blank value. `text` is the value as typed (a string unless `numero`/`select`). */
function checkValue(campo: Campo, raw: string | number, label: string): FieldOutcome {
  const text = typeof raw === 'string' ? raw.trim() : String(raw);
  switch (campo.tipo) {
    case 'text':
    case 'senha': {
      // A senha goes exactly as typed: leading or trailing spaces may be part of it.
      const value = campo.tipo === 'senha' ? String(raw) : text;
      const tooShortOrLong = lengthProblem(campo, value.length, label);
      if (tooShortOrLong) return { error: tooShortOrLong };
      if (campo.padrao !== undefined) {
        const pattern = patternOf(campo.padrao);
        // Fails closed: a value the server cannot check is not passed on as checked.
        if (!pattern) return { error: `Não foi possível conferir ${label}: o formulário precisa ser corrigido pela operadora.` };
        if (!pattern.test(value)) return { error: `${label} não está no formato esperado${campo.ajuda ? `: ${campo.ajuda}` : '.'}` };
      }
      return { value };
    }
    case 'cpf': {
      const digits = text.replace(/[.-]/g, '');
      if (!/^\d{11}$/.test(digits)) return { error: `Informe ${label} com os 11 dígitos do CPF (ex.: 123.456.789-09).` };
      if (!isValidCpf(digits)) return { error: `O CPF informado em ${label} não é válido: confira os dígitos.` };
      return { value: digits };
    }
    case 'data': {
      const br = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
      const iso = br ? `${br[3]}-${br[2]}-${br[1]}` : text;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return { error: `Informe ${label} no formato DD/MM/AAAA.` };
      if (!isValidIsoDate(iso)) return { error: `A data informada em ${label} não existe: confira o dia e o mês.` };
      return { value: iso };
    }
    case 'email': {
      if (text.length > 254 || !EMAIL.test(text)) return { error: `Informe um e-mail válido em ${label} (ex.: nome@exemplo.com.br).` };
      const tooShortOrLong = lengthProblem(campo, text.length, label);
      return tooShortOrLong ? { error: tooShortOrLong } : { value: text };
    }
    case 'telefone': {
      const national = text.startsWith('+55') ? text.slice(3) : text;
      const digits = national.replace(/[\s().-]/g, '');
      if (!/^[1-9]\d{9,10}$/.test(digits)) return { error: `Informe ${label} com DDD e número, 10 ou 11 dígitos (ex.: (11) 98765-4321).` };
      return { value: digits };
    }
    case 'numero': {
      const number = typeof raw === 'number' ? raw : NUMBER_TEXT.test(text) ? Number(text.replace(',', '.')) : Number.NaN;
      if (!Number.isFinite(number)) return { error: `Informe um número em ${label}.` };
      if (campo.min !== undefined && number < campo.min) return { error: `${label} deve ser no mínimo ${campo.min}.` };
      if (campo.max !== undefined && number > campo.max) return { error: `${label} deve ser no máximo ${campo.max}.` };
      return { value: number };
    }
    case 'select': {
      const option = campo.opcoes?.find((o) => o.valor === text);
      return option ? { value: option.valor } : { error: `Escolha uma das opções de ${label}.` };
    }
  }
}

function checkField(campo: Campo, raw: unknown): FieldOutcome {
  const label = `"${campo.rotulo}"`;
  const acceptsNumber = campo.tipo === 'numero' || campo.tipo === 'select';
  if (raw === undefined || raw === null) {
    return campo.obrigatorio ? { error: `Preencha o campo ${label}.` } : { absent: true };
  }
  if (typeof raw === 'number' && !acceptsNumber) return { error: `Informe ${label} como texto.` };
  if (typeof raw !== 'string' && typeof raw !== 'number') return { error: campo.tipo === 'numero' ? `Informe um número em ${label}.` : `Informe ${label} como texto.` };
  if (typeof raw === 'string') {
    if (raw.length > formLimits.maxValueLength) return { error: `${label} deve ter no máximo ${formLimits.maxValueLength} caracteres.` };
    if (raw.trim() === '') return campo.obrigatorio ? { error: `Preencha o campo ${label}.` } : { absent: true };
  }
  return checkValue(campo, raw, label);
}

/**
 * A confirmation field (`confirma`): present when required, and equal to the field it repeats —
 * a senha exactly as typed, anything else without surrounding spaces. Never part of the body.
 */
function checkConfirmation(campo: Campo, alvo: Campo | undefined, raw: unknown, alvoRaw: unknown): string | undefined {
  const label = `"${campo.rotulo}"`;
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    return campo.obrigatorio ? `Preencha o campo ${label}.` : undefined;
  }
  if (typeof raw !== 'string') return `Informe ${label} como texto.`;
  if (raw.length > formLimits.maxValueLength) return `${label} deve ter no máximo ${formLimits.maxValueLength} caracteres.`;
  const asTyped = (value: unknown) => (typeof value !== 'string' ? undefined : campo.tipo === 'senha' ? value : value.trim());
  if (asTyped(raw) === asTyped(alvoRaw)) return undefined;
  const alvoLabel = alvo ? `"${alvo.rotulo}"` : 'o campo que ela confirma';
  return campo.tipo === 'senha'
    ? `As senhas não conferem: digite em ${label} a mesma senha de ${alvoLabel}.`
    : `${label} não confere com ${alvoLabel}: digite o mesmo valor nos dois campos.`;
}

/**
 * Validates `input` (the JSON the app sent) against `form`. Every field is checked, so the app
 * can show all problems at once; an optional field left blank is not sent at all.
 */
export function validateSubmission(form: Pick<FormularioDefinicao, 'campos'>, input: unknown): SubmissionResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, details: [{ message: 'Envie os campos do formulário como um objeto JSON.' }], ignorados: [] };
  }
  const values = input as Record<string, unknown>;
  const details: ErrorDetail[] = [];
  const entries: [string, string | number][] = [];
  const valueOf = (nome: string | undefined) => (nome !== undefined && Object.hasOwn(values, nome) ? values[nome] : undefined);
  for (const campo of form.campos) {
    if (campo.confirma !== undefined) {
      const error = checkConfirmation(campo, form.campos.find((c) => c.nome === campo.confirma), valueOf(campo.nome), valueOf(campo.confirma));
      if (error) details.push({ field: campo.nome, message: error });
      continue;
    }
    const outcome = checkField(campo, valueOf(campo.nome));
    if ('error' in outcome) details.push({ field: campo.nome, message: outcome.error });
    else if ('value' in outcome) entries.push([campo.nome, outcome.value]);
  }
  const known = new Set(form.campos.map((c) => c.nome));
  const ignorados = Object.keys(values)
    .filter((name) => !known.has(name))
    .slice(0, MAX_IGNORED_REPORTED)
    .map((name) => name.slice(0, 64));
  if (details.length > 0) return { ok: false, details, ignorados };
  // fromEntries defines own properties: a field can never reach an object's prototype.
  return { ok: true, body: Object.fromEntries(entries), ignorados };
}
