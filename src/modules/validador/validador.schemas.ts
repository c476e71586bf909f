import { z } from 'zod';
import { MAX_HEADER_NAME_LENGTH, MAX_HEADER_VALUE_LENGTH } from '../../platform/http/header-names.ts';
import { operatorMethods } from '../contracts/contract-spec.ts';

/** The validador's report as the painel reads it. */
export const violationSchema = z.object({
  caminho: z.string(),
  tipo: z.string(),
  criterio: z.enum(['M', 'C', 'OP']),
  esperado: z.string(),
  recebido: z.string(),
  mensagem: z.string(),
});

export const classificacaoSchema = z
  .enum(['aprovado', 'recusa_conforme_contrato', 'erro_operadora', 'redirecionamento', 'violacao_contrato', 'indisponivel', 'bloqueado', 'nao_configurado'])
  .describe(
    'aprovado: sucesso no contrato; recusa_conforme_contrato: 4xx com {mensagem} (passa num teste negativo); erro_operadora: 5xx; redirecionamento: 3xx não seguido; violacao_contrato: corpo fora do contrato; indisponivel: sem resposta (tempo esgotado, conexão, disjuntor); bloqueado: a Ponte não enviou; nao_configurado: método sem URL',
  );

const entradaSchema = z
  .record(z.string().max(100), z.unknown())
  .default({})
  .refine((v) => JSON.stringify(v).length <= 64 * 1024, 'A entrada deve ter no máximo 64 KiB.');

export const validadorRunBodySchema = z.object({
  metodo: z.enum(operatorMethods, { error: `O método deve ser um de: ${operatorMethods.join(', ')}.` }),
  entrada: entradaSchema,
  grupoId: z.string().trim().max(64).optional().describe('Obrigatório para o método autorizacao'),
  expectativa: z
    .enum(['sucesso', 'recusa'], { error: 'A expectativa deve ser sucesso ou recusa.' })
    .default('sucesso')
    .describe('recusa: teste negativo — aprovado quando a operadora recusa no formato do contrato (4xx com {mensagem})'),
  loginDeTeste: z
    .object({ entrada: entradaSchema })
    .optional()
    .describe('Executa antes o login (ou, para nova senha, a identificação) com esta entrada e reaproveita a seguranca, a chaveUnica e a integracao dele'),
  headersExtras: z
    .array(z.object({ nome: z.string().max(MAX_HEADER_NAME_LENGTH), valor: z.string().max(MAX_HEADER_VALUE_LENGTH) }))
    .max(20, 'No máximo 20 headers extras.')
    .default([])
    .describe('Headers enviados só nesta execução, com a maior precedência (como os de seguranca); os valores nunca são guardados'),
});

const reportFields = {
  metodo: z.enum(operatorMethods),
  aprovado: z.boolean(),
  resultado: z.enum(['sucesso', 'violacao_contrato', 'recusado_pela_operadora', 'falha_comunicacao', 'bloqueado', 'nao_configurado']),
  classificacao: classificacaoSchema,
  expectativa: z.enum(['sucesso', 'recusa']),
  mensagem: z.string().nullable(),
  explicacao: z.string().nullable().describe('Num 401 (ou numa recusa de método que precisa da sessão), quais headers foram enviados e de onde vieram'),
  mascarado: z.boolean().describe('true: resposta mascarada como na central de logs (só administradores do cliente a veem completa)'),
  requisicao: z.object({
    url: z.string().nullable(),
    headers: z.array(z.string()).describe('Nomes dos headers enviados (valores nunca exibidos)'),
    origemHeaders: z.record(z.string(), z.enum(['configuracao', 'login_de_teste', 'extra'])).describe('De onde veio cada header enviado'),
    corpo: z.unknown(),
  }),
  resposta: z
    .object({ status: z.number().int(), statusText: z.string(), corpo: z.string(), location: z.string().nullable().describe('Location de um 3xx (nunca seguido)') })
    .nullable(),
  latenciaMs: z.number().nullable(),
  violacoes: z.array(violationSchema),
};

export const validationReportSchema = z.object({
  ...reportFields,
  preparo: z.object({ ...reportFields, preparo: z.null() }).nullable().describe('O login (ou a identificação) de teste executado antes, quando pedido'),
});
