import { MAX_PATTERN_LENGTH, MAX_VALUE_LENGTH } from './forms.pattern.ts';

/**
 * Which properties each Formbuilder field type takes, and the limits of a definition. Plain data
 * with no dependencies: the server's schema (forms.schemas.ts) enforces it on save and the painel's
 * form editor imports this same file to check as the user types, so the two cannot drift.
 */

export const fieldTypes = ['text', 'cpf', 'data', 'email', 'telefone', 'senha', 'numero', 'select'] as const;
export type FieldType = (typeof fieldTypes)[number];

export const formLimits = {
  maxFields: 30,
  maxOptions: 100,
  /** Hard cap on every submitted string, whatever the definition says. */
  maxValueLength: MAX_VALUE_LENGTH,
  maxPatternLength: MAX_PATTERN_LENGTH,
  maxMaskLength: 60,
  maxFormsPerInstancia: 50,
} as const;

/** Types whose `min`/`max` bound the length of the text. */
export const lengthTypes: readonly FieldType[] = ['text', 'senha', 'email'];
/** Types that may carry a regular expression. */
export const patternTypes: readonly FieldType[] = ['text', 'senha'];
/** Types an input mask makes sense for. */
export const maskTypes: readonly FieldType[] = ['text', 'cpf', 'data', 'telefone', 'numero'];
/** Finalidades whose form names the field that identifies the person (`identificador`): their attempt limits count by it. */
export const identifierFinalidades: readonly string[] = ['login', 'recuperarSenhaIdentificacao'];
