import { formLimits, type Campo } from './forms.schemas.ts';

/**
 * The person a login or recovery attempt is about, read from what the app sent — before the form is
 * validated, so the attempt limits run first (validation costs more than a counter) — and
 * normalized so that every way of typing one identifier counts against one budget:
 * `100.200.301-69`, `100200301-69` and `100.200.30169` are the same CPF.
 *
 * The caller keys the result with an HMAC: the value itself never leaves the process.
 */

/**
 * The field that identifies the person: the one marked `identificador`, else the field of type
 * cpf, else the first field that is not a senha. Never a senha: a limit keyed by the password would
 * give each guess a fresh budget.
 */
export function identifierField(campos: readonly Campo[]): Campo | undefined {
  return campos.find((c) => c.identificador && c.tipo !== 'senha') ?? campos.find((c) => c.tipo === 'cpf') ?? campos.find((c) => c.tipo !== 'senha');
}

const digitsOnly = (text: string) => text.replace(/\D/g, '');
/** Digits written with the usual separators (CPF, matrícula, phone): only the digits count. */
const DIGITS_AND_PUNCTUATION = /^[\d.\-/\s()]+$/;

/** `raw` (as sent, untrusted) normalized by the field's type; '' when absent or not a string or number. */
export function normalizedIdentifier(campo: Pick<Campo, 'tipo'> | undefined, raw: unknown): string {
  // Read at most what a valid value may hold: validation refuses anything longer anyway.
  const text = typeof raw === 'string' ? raw.slice(0, formLimits.maxValueLength) : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : '';
  switch (campo?.tipo) {
    case 'cpf':
      return digitsOnly(text);
    case 'telefone': {
      const digits = digitsOnly(text);
      return digits.length > 11 && digits.startsWith('55') ? digits.slice(2) : digits;
    }
    case 'email':
      return text.trim().toLowerCase();
    default: {
      const collapsed = text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
      return DIGITS_AND_PUNCTUATION.test(collapsed) && /\d/.test(collapsed) ? digitsOnly(collapsed) : collapsed;
    }
  }
}

/** The normalized identifier of a submission (`input`: the app's `campos`, not validated yet). */
export function identifierOf(campos: readonly Campo[], input: unknown): string {
  const campo = identifierField(campos);
  if (!campo || typeof input !== 'object' || input === null || Array.isArray(input)) return '';
  return normalizedIdentifier(campo, Object.hasOwn(input, campo.nome) ? (input as Record<string, unknown>)[campo.nome] : undefined);
}
