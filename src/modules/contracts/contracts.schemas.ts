import { z } from 'zod';
import { criterionLabels, operatorMethods, typeLabels, type FieldSpec, type FieldType, type MethodContract } from './contract-spec.ts';
import { contracts } from './contracts.ts';
import { expectedOf } from './validator.ts';

/** The contract view the painel shows: each method's request and response fields as data. */
export type CampoContratoDto = {
  nome: string;
  criterio: 'M' | 'C' | 'OP';
  criterioRotulo: string;
  tipo: FieldType;
  tipoRotulo: string;
  /** The same words the validator uses in a violation's "esperado". */
  esperado: string;
  descricao: string;
  regra: string | null;
  valores: (string | number)[] | null;
  /** For `C` fields: when they become mandatory. */
  condicao: string | null;
  minItens: number | null;
  /** An object's declared fields. */
  campos: CampoContratoDto[];
  /** An array's item. */
  itens: CampoContratoDto | null;
};

const fieldTypes = Object.keys(typeLabels) as [FieldType, ...FieldType[]];

export const campoContratoSchema: z.ZodType<CampoContratoDto> = z.lazy(() =>
  z.object({
    nome: z.string(),
    criterio: z.enum(['M', 'C', 'OP']),
    criterioRotulo: z.string(),
    tipo: z.enum(fieldTypes),
    tipoRotulo: z.string(),
    esperado: z.string(),
    descricao: z.string(),
    regra: z.string().nullable(),
    valores: z.array(z.union([z.string(), z.number()])).nullable(),
    condicao: z.string().nullable(),
    minItens: z.number().int().nullable(),
    campos: z.array(campoContratoSchema),
    itens: campoContratoSchema.nullable(),
  }),
  // Recursive: named, so /docs/json declares it once under components.schemas and refers to it.
).meta({ id: 'CampoContrato' });

export const contratoSchema = z.object({
  metodo: z.enum(operatorMethods),
  nome: z.string(),
  sufixo: z.string().describe('A URL do método obrigatoriamente termina com ele'),
  requisicao: z.object({
    camposFormulario: z.array(campoContratoSchema).describe('Campos do formulário da instância (estes são os padrões)'),
    camposFixos: z.array(campoContratoSchema).describe('Campos que a Ponte sempre envia'),
  }),
  resposta: campoContratoSchema.describe('Corpo de sucesso (2xx) que a operadora deve devolver'),
  falha: campoContratoSchema.describe('Corpo de falha (status diferente de 2xx)'),
});

export const contratosSchema = z.object({ contratos: z.array(contratoSchema) });

function toCampoDto(nome: string, spec: FieldSpec): CampoContratoDto {
  return {
    nome,
    criterio: spec.criterion,
    criterioRotulo: criterionLabels[spec.criterion],
    tipo: spec.type,
    tipoRotulo: typeLabels[spec.type],
    esperado: expectedOf(spec),
    descricao: spec.description,
    regra: spec.type === 'string' ? (spec.rule ?? null) : null,
    valores: (spec.type === 'string' || spec.type === 'number') && spec.oneOf ? [...spec.oneOf] : null,
    condicao: spec.condition?.text ?? null,
    minItens: spec.type === 'array' ? (spec.minItems ?? null) : null,
    campos: spec.type === 'object' && spec.fields ? Object.entries(spec.fields).map(([name, field]) => toCampoDto(name, field)) : [],
    itens: spec.type === 'array' ? toCampoDto('', spec.items) : null,
  };
}

const toCampos = (fields: Record<string, FieldSpec>) => Object.entries(fields).map(([name, spec]) => toCampoDto(name, spec));

export function toContratoDto(contract: MethodContract): z.infer<typeof contratoSchema> {
  return {
    metodo: contract.method,
    nome: contract.label,
    sufixo: contract.suffix,
    requisicao: { camposFormulario: toCampos(contract.request.formFields), camposFixos: toCampos(contract.request.fixedFields) },
    resposta: toCampoDto('', contract.response),
    falha: toCampoDto('', contract.failure),
  };
}

/**
 * The operator contracts, read from their one declaration (`contracts.ts`) for the painel's
 * contract view beside the validador. Public knowledge: any logged-in painel user may read them.
 */
