import type { FieldSpec } from '../contracts/contract-spec.ts';
import { contracts } from '../contracts/contracts.ts';
import { formFinalidades, formularioSchema, MIN_NEW_PASSWORD_LENGTH, type CampoInput, type FieldType, type FormFinalidade, type FormularioDefinicao } from './forms.schemas.ts';

/**
 * The form each method uses until the instância configures its own: derived from the operator
 * contract's `request.formFields` (the documented default body), never restated here — plus the
 * new-senha policy below, which adds a field the app shows but the operator never receives.
 */

/** The Formbuilder type that shows a contract field. The contracts name every password `…senha…`. */
function fieldTypeOf(nome: string, spec: FieldSpec): FieldType {
  if (spec.type === 'number') return 'numero';
  if (spec.type === 'string' && spec.rule === 'cpf') return 'cpf';
  if (spec.type === 'string' && spec.rule === 'date') return 'data';
  if (/senha/i.test(nome)) return 'senha';
  return 'text';
}

const displayMasks: Partial<Record<FieldType, string>> = { cpf: '999.999.999-99', data: '99/99/9999' };

/** The contract field that identifies the person, where attempts are limited per person (forms.identifier.ts). */
const identifierFields: Partial<Record<FormFinalidade, string>> = { login: 'login', recuperarSenhaIdentificacao: 'cpf' };

/**
 * The contract field that sets a new senha: one policy in every default form that has one — at
 * least MIN_NEW_PASSWORD_LENGTH characters, typed again in a confirmation field that Ponte checks
 * and never sends (the operator receives exactly the contract's fields).
 */
const newPasswordFields: Partial<Record<FormFinalidade, string>> = { recuperarSenhaNovaSenha: 'novaSenha', trocarSenha: 'novaSenha' };

function withNewPasswordPolicy(campo: CampoInput): CampoInput[] {
  return [
    { ...campo, min: MIN_NEW_PASSWORD_LENGTH, ajuda: `Pelo menos ${MIN_NEW_PASSWORD_LENGTH} caracteres.` },
    { nome: `confirmacao${campo.nome[0]!.toUpperCase()}${campo.nome.slice(1)}`, rotulo: 'Confirme a nova senha', tipo: 'senha', obrigatorio: true, confirma: campo.nome },
  ];
}

function defaultFormOf(finalidade: FormFinalidade): FormularioDefinicao {
  const contract = contracts[finalidade];
  return formularioSchema.parse({
    nome: `Padrão — ${contract.label}`,
    finalidade,
    campos: Object.entries(contract.request.formFields).flatMap(([nome, spec]): CampoInput[] => {
      const tipo = fieldTypeOf(nome, spec);
      const mascara = displayMasks[tipo];
      const identificador = identifierFields[finalidade] === nome;
      const campo: CampoInput = { nome, rotulo: spec.description, tipo, obrigatorio: spec.criterion === 'M', ...(mascara ? { mascara } : {}), ...(identificador ? { identificador } : {}) };
      return newPasswordFields[finalidade] === nome ? withNewPasswordPolicy(campo) : [campo];
    }),
  });
}

/** Built (and checked against the schema) once, when the module loads. */
export const defaultForms: Readonly<Record<FormFinalidade, FormularioDefinicao>> = Object.freeze(
  Object.fromEntries(formFinalidades.map((finalidade) => [finalidade, defaultFormOf(finalidade)])) as Record<FormFinalidade, FormularioDefinicao>,
);

export function defaultFormFor(finalidade: FormFinalidade): FormularioDefinicao {
  return defaultForms[finalidade];
}
