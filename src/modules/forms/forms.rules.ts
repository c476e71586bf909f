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
/** Types a confirmation field (`confirma`: "type it again") may have: the ones people mistype unseen. */
export const confirmTypes: readonly FieldType[] = ['text', 'senha', 'email'];
/**
 * The one policy for a new senha in the default forms (recuperar senha — nova senha, trocar
 * senha): at least this many characters, typed twice. The operator's API stays the judge of its
 * own rules; this floor only catches a slip before the call.
 */
export const MIN_NEW_PASSWORD_LENGTH = 6;
/** Finalidades whose form names the field that identifies the person (`identificador`): their attempt limits count by it. */
export const identifierFinalidades: readonly string[] = ['login', 'recuperarSenhaIdentificacao'];
