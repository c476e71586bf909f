import { z } from 'zod';
import { contracts } from '../contracts/contracts.ts';
import { formMethods, type FormMethod } from '../integracoes/integracoes.repo.ts';
import { MAX_PATTERN_LENGTH, MAX_VALUE_LENGTH, patternProblem } from './forms.pattern.ts';
import { linearEnginePatternProblem } from './forms.regex.ts';
import { confirmTypes, fieldTypes, formLimits, identifierFinalidades, lengthTypes, maskTypes, patternTypes, type FieldType } from './forms.rules.ts';

/**
 * Formbuilder definitions (docs/ESPECIFICACAO.md §6): the fields an app shows for one operator method, and the names
 * they are sent under. The painel UI imports these schemas and types; the server validates every
 * definition with them and every submission with `forms.validation.ts`.
 */

export { fieldTypes, formLimits, MIN_NEW_PASSWORD_LENGTH, type FieldType } from './forms.rules.ts';

/** The operator method a form feeds: the methods of an integração that take a form (not elegibilidade). */
export const formFinalidades = formMethods;
export type FormFinalidade = FormMethod;

/** Names a JavaScript object treats specially; never a key of the body Ponte builds. */
const forbiddenNames = new Set(['__proto__', 'constructor', 'prototype']);

const opcaoSchema = z.object({
  valor: z.string().trim().min(1, 'Informe o valor enviado para esta opção.').max(200, 'O valor deve ter no máximo 200 caracteres.'),
  rotulo: z.string().trim().min(1, 'Informe o texto exibido para esta opção.').max(120, 'O texto deve ter no máximo 120 caracteres.'),
});

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const campoSchema = z
  .object({
    nome: z
      .string({ error: 'Informe o nome do campo (o nome enviado à operadora).' })
      .trim()
      .regex(FIELD_NAME, 'Use de 1 a 64 letras sem acento, dígitos ou "_", começando por letra ou "_" (ex.: dataNascimento).')
      .refine((nome) => !forbiddenNames.has(nome), 'Este nome é reservado; escolha outro.'),
    rotulo: z
      .string({ error: 'Informe o rótulo exibido no app.' })
      .trim()
      .min(1, 'Informe o rótulo exibido no app.')
      .max(120, 'O rótulo deve ter no máximo 120 caracteres.'),
    tipo: z.enum(fieldTypes, { error: 'Tipo inválido: use text, cpf, data, email, telefone, senha, numero ou select.' }),
    obrigatorio: z.boolean({ error: 'Informe se o campo é obrigatório (true ou false).' }).default(true),
    min: z.number({ error: 'min deve ser um número.' }).optional().describe('Tamanho mínimo (text, senha, email) ou valor mínimo (numero)'),
    max: z.number({ error: 'max deve ser um número.' }).optional().describe('Tamanho máximo (text, senha, email) ou valor máximo (numero)'),
    padrao: z
      .string()
      .min(1, 'Informe o padrão ou remova-o.')
      .max(MAX_PATTERN_LENGTH, `O padrão deve ter no máximo ${MAX_PATTERN_LENGTH} caracteres.`)
      .optional()
      .describe('Expressão regular (sintaxe JavaScript, flag u; sem lookahead, lookbehind nem referências a grupos) que o valor inteiro deve seguir; só text e senha'),
    mascara: z
      .string()
      .trim()
      .min(1, 'Informe a máscara ou remova-a.')
      .max(formLimits.maxMaskLength, `A máscara deve ter no máximo ${formLimits.maxMaskLength} caracteres.`)
      .optional()
      .describe('Máscara de exibição no app: 9 = dígito, A = letra, * = letra ou dígito (ex.: 999.999.999-99)'),
    opcoes: z
      .array(opcaoSchema)
      .min(1, 'Informe ao menos uma opção.')
      .max(formLimits.maxOptions, `No máximo ${formLimits.maxOptions} opções.`)
      .optional()
      .describe('Opções de um campo select'),
    ajuda: z.string().trim().max(200, 'O texto de ajuda deve ter no máximo 200 caracteres.').optional(),
    identificador: z
      .boolean({ error: 'identificador deve ser true ou false.' })
      .optional()
      .describe(
        'Login e identificação da recuperação: o campo que identifica a pessoa (CPF, matrícula, e-mail). Os limites de tentativas contam por ele; sem marca, vale o campo do tipo cpf, senão o primeiro campo que não é senha',
      ),
    confirma: z
      .string({ error: 'confirma deve ser o nome de um campo.' })
      .trim()
      .regex(FIELD_NAME, 'Informe o nome do campo que este confirma (ex.: novaSenha).')
      .optional()
      .describe(
        'Campo de confirmação ("digite de novo"): o nome do campo deste formulário que ele repete, do mesmo tipo (text, senha ou email). O valor precisa ser igual ao dele; a Ponte confere e nunca o envia à operadora',
      ),
  })
  .superRefine((campo, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const { tipo } = campo;

    for (const bound of ['min', 'max'] as const) {
      const value = campo[bound];
      if (value === undefined) continue;
      if (tipo === 'numero') continue; // any finite number (zod already refuses Infinity and NaN)
      if (!lengthTypes.includes(tipo)) problem(bound, `${bound} não se aplica a campos do tipo ${tipo}; remova-o.`);
      else if (!Number.isInteger(value) || value < 0 || value > MAX_VALUE_LENGTH) {
        problem(bound, `${bound} é um tamanho: use um número inteiro de 0 a ${MAX_VALUE_LENGTH}.`);
      }
    }
    if (campo.min !== undefined && campo.max !== undefined && campo.min > campo.max) problem('max', 'max deve ser maior ou igual a min.');

    if (campo.padrao !== undefined) {
      if (!patternTypes.includes(tipo)) problem('padrao', `O padrão só se aplica a campos text ou senha; os do tipo ${tipo} já têm validação própria.`);
      else {
        const patternError = patternProblem(campo.padrao) ?? linearEnginePatternProblem(campo.padrao);
        if (patternError) problem('padrao', patternError);
      }
    }
    if (campo.identificador && tipo === 'senha') problem('identificador', 'Uma senha não identifica a pessoa: marque o campo de CPF, matrícula ou e-mail.');
    if (campo.confirma !== undefined) {
      // A confirmation is only compared with its field, whose rules already apply to the value.
      if (!confirmTypes.includes(tipo)) problem('confirma', `Só campos text, senha ou email têm confirmação; os do tipo ${tipo} não.`);
      for (const rule of ['min', 'max', 'padrao'] as const) {
        if (campo[rule] !== undefined) problem(rule, `Uma confirmação segue as regras do campo que confirma ("${campo.confirma}"): remova ${rule} daqui.`);
      }
      if (campo.identificador) problem('identificador', 'Uma confirmação não identifica a pessoa: marque o campo original.');
    }
    if (campo.mascara !== undefined && !maskTypes.includes(tipo)) problem('mascara', `A máscara não se aplica a campos do tipo ${tipo}; remova-a.`);

    if (tipo === 'select') {
      if (!campo.opcoes) problem('opcoes', 'Um campo select precisa de ao menos uma opção.');
      const seen = new Set<string>();
      campo.opcoes?.forEach((opcao, index) => {
        if (seen.has(opcao.valor)) ctx.addIssue({ code: 'custom', path: ['opcoes', index, 'valor'], message: `O valor "${opcao.valor}" aparece em mais de uma opção.` });
        seen.add(opcao.valor);
      });
    } else if (campo.opcoes !== undefined) {
      problem('opcoes', 'Opções só se aplicam a campos select; remova-as.');
    }
  });

/** Why field `index` cannot confirm the field it names (`confirma`): it must be another, original field of the same type. */
function confirmationProblem(campos: readonly { nome: string; tipo: FieldType; confirma?: string | undefined }[], index: number): string | undefined {
  const campo = campos[index]!;
  const alvo = campos.find((outro) => outro.nome === campo.confirma);
  if (!alvo) return `Não há campo "${campo.confirma}" neste formulário: informe o nome de um campo dele.`;
  if (alvo === campo) return 'Um campo não confirma a si mesmo: informe o nome do campo que ele repete.';
  if (alvo.confirma !== undefined) return `"${alvo.nome}" já é uma confirmação: confirme o campo original ("${alvo.confirma}").`;
  if (alvo.tipo !== campo.tipo) return `A confirmação precisa ser do mesmo tipo do campo "${alvo.nome}" (${alvo.tipo}).`;
  return undefined;
}

export const formularioSchema = z
  .object({
    nome: z
      .string({ error: 'Informe o nome do formulário.' })
      .trim()
      .min(1, 'Informe o nome do formulário.')
      .max(120, 'O nome deve ter no máximo 120 caracteres.'),
    finalidade: z.enum(formFinalidades, { error: `Finalidade inválida: use ${formFinalidades.join(', ')}.` }),
    campos: z
      .array(campoSchema, { error: 'Informe os campos do formulário.' })
      .min(1, 'O formulário precisa de ao menos um campo.')
      .max(formLimits.maxFields, `No máximo ${formLimits.maxFields} campos por formulário.`),
  })
  .superRefine((formulario, ctx) => {
    // Ponte adds these itself (e.g. chaveUnica, integracao on trocarSenha): a field may not shadow them.
    const fixed = Object.keys(contracts[formulario.finalidade]?.request.fixedFields ?? {});
    const seen = new Map<string, number>();
    formulario.campos.forEach((campo, index) => {
      const key = campo.nome.toLowerCase();
      const path = ['campos', index, 'nome'];
      const reserved = fixed.find((name) => name.toLowerCase() === key);
      if (reserved) ctx.addIssue({ code: 'custom', path, message: `O nome "${reserved}" é reservado: a Ponte já envia este campo para este método.` });
      const first = seen.get(key);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path, message: `O nome "${campo.nome}" já é usado pelo campo ${first + 1}; cada campo precisa de um nome próprio.` });
      else seen.set(key, index);
    });
    formulario.campos.forEach((campo, index) => {
      if (campo.confirma === undefined) return;
      const problem = confirmationProblem(formulario.campos, index);
      if (problem) ctx.addIssue({ code: 'custom', path: ['campos', index, 'confirma'], message: problem });
    });
    const marked = formulario.campos.flatMap((campo, index) => (campo.identificador ? [index] : []));
    for (const index of marked) {
      const path = ['campos', index, 'identificador'];
      if (!identifierFinalidades.includes(formulario.finalidade)) {
        ctx.addIssue({ code: 'custom', path, message: 'Só os formulários de login e de identificação da recuperação de senha marcam o campo que identifica a pessoa; desmarque-o.' });
      } else if (index !== marked[0]) {
        ctx.addIssue({ code: 'custom', path, message: `Só um campo identifica a pessoa: o campo ${marked[0]! + 1} já está marcado.` });
      }
    }
  });

/** A field as the painel sends it (`obrigatorio` may be left out: it defaults to true). */
export type CampoInput = z.input<typeof campoSchema>;
/** A field as stored and applied. */
export type Campo = z.output<typeof campoSchema>;
export type OpcaoSelect = z.output<typeof opcaoSchema>;
export type FormularioInput = z.input<typeof formularioSchema>;
/** A validated form definition. */
export type FormularioDefinicao = z.output<typeof formularioSchema>;

// The painel API's answers about forms ----------------------------------------------------------

// Responses describe what was stored, without re-running the input rules on it.
export const campoDtoSchema = z.object({
  nome: z.string(),
  rotulo: z.string(),
  tipo: z.enum(fieldTypes),
  obrigatorio: z.boolean(),
  min: z.number().optional(),
  max: z.number().optional(),
  padrao: z.string().optional(),
  mascara: z.string().optional(),
  opcoes: z.array(z.object({ valor: z.string(), rotulo: z.string() })).optional(),
  ajuda: z.string().optional(),
  identificador: z.boolean().optional(),
  confirma: z.string().optional().describe('Campo de confirmação: o nome do campo que ele repete; conferido pela Ponte, nunca enviado à operadora'),
});

export const definicaoDtoSchema = z.object({ nome: z.string(), finalidade: z.enum(formFinalidades), campos: z.array(campoDtoSchema) });

export const formularioDtoSchema = definicaoDtoSchema.extend({
  id: z.string(),
  instancia: z.union([z.literal(1), z.literal(2)]),
  emUso: z.boolean().describe('Se a integração desta instância usa este formulário para a sua finalidade'),
  criadoEm: z.number().int(),
  atualizadoEm: z.number().int(),
});

export const listaSchema = z.object({
  formularios: z.array(formularioDtoSchema),
  finalidades: z
    .array(
      z.object({
        finalidade: z.enum(formFinalidades),
        metodo: z.string().describe('Nome do método da operadora'),
        formularioId: z.string().nullable().describe('O formulário em uso; null quando o app usa o padrão'),
        usaPadrao: z.boolean(),
        padrao: definicaoDtoSchema.describe('O formulário padrão, derivado do contrato do método'),
      }),
    )
    .describe('Para cada método, qual formulário o app usa'),
});

export const testeBody = z.object({
  valores: z.record(z.string(), z.unknown(), { error: 'Envie "valores" como um objeto com os campos do formulário.' }).describe('O que o app enviaria'),
});

export const testeDefinicaoBody = testeBody.extend({ definicao: formularioSchema.describe('A definição como está no editor') });

export const testeSchema = z.object({
  valido: z.boolean(),
  corpo: z.record(z.string(), z.union([z.string(), z.number()])).nullable().describe('O corpo que seria enviado à operadora (senhas mascaradas); null se houver erros'),
  erros: z.array(z.object({ field: z.string().optional(), message: z.string() })),
  ignorados: z.array(z.string()).describe('Campos enviados que o formulário não tem: não seriam repassados'),
});

export const emUsoBody = z.object({
  formularioId: z
    .string({ error: 'Informe o formulário (ou null para usar o padrão).' })
    .trim()
    .min(1, 'Informe o formulário (ou null para usar o padrão).')
    .max(64)
    .nullable()
    .describe('O formulário que o app passa a usar; null volta ao formulário padrão'),
});
