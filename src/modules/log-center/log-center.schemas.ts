import { z } from 'zod';
import { operatorMethods } from '../contracts/contract-spec.ts';
import type { OutboundLog, OutboundLogSummary } from './log-center.repo.ts';
import { MAX_PAGE_SIZE } from './log-center.service.ts';
import { direcoes, inboundOperations, inboundOutcomes, motivoCodes, motivosRecusa, outcomes, type MotivoRecusa } from './log-center.types.ts';

export const logSearchQuerySchema = z
  .object({
    instancia: z.coerce.number().int().min(1).max(2).describe('1 = Sandbox, 2 = Produção'),
    de: z.coerce.number().int().min(0).optional().describe('Epoch ms: chamadas a partir deste instante (inclusive)'),
    ate: z.coerce.number().int().min(0).optional().describe('Epoch ms: chamadas até este instante (inclusive)'),
    operacao: z.enum([...operatorMethods, 'envioCodigo', ...inboundOperations], { error: `Operação desconhecida: use ${[...operatorMethods, 'envioCodigo', ...inboundOperations].join(', ')}.` }).optional(),
    status: z.coerce.number().int().min(100).max(599).optional().describe('Status HTTP da resposta da operadora'),
    resultado: z.enum([...outcomes, 'recusado_pela_ponte', 'falha_na_ponte'], { error: `Resultado desconhecido: use ${[...outcomes, ...inboundOutcomes.slice(1)].join(', ')}.` }).optional(),
    direcao: z.enum(direcoes, { error: 'Direção desconhecida: use saida (a Ponte chamou a operadora) ou entrada (a operadora chamou a Ponte).' }).optional().describe('saida: chamadas da Ponte à operadora; entrada: chamadas da operadora à API /clientes'),
    motivo: z.enum(motivoCodes, { error: `Motivo desconhecido: use ${motivoCodes.join(', ')}.` }).optional().describe('Motivo da recusa de uma chamada de entrada'),
    chaveUsuario: z.string().trim().min(1).max(200).optional().describe('chaveUnica (ou login) do usuário, como a operadora a envia'),
    pagina: z.coerce.number().int().min(1).max(100_000).default(1),
    porPagina: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  })
  .refine((q) => q.de === undefined || q.ate === undefined || q.de <= q.ate, { message: 'O início do período deve ser anterior ao fim.', path: ['ate'] });

/** The search's filters for a CSV export (no pagination). */
export const logExportQuerySchema = logSearchQuerySchema;

export const logIdParams = z.object({ clienteId: z.string().trim().min(1).max(64), logId: z.string().trim().min(1).max(64) });

const violationSchema = z.object({
  caminho: z.string(),
  tipo: z.string(),
  criterio: z.string(),
  esperado: z.string(),
  recebido: z.string(),
  mensagem: z.string(),
});

export const logSummarySchema = z.object({
  id: z.string(),
  criadoEm: z.number().int(),
  operacao: z.string(),
  url: z.string().describe('Sem query string e sem credenciais'),
  status: z.number().int().nullable().describe('Status HTTP; null quando a chamada não obteve resposta'),
  statusText: z.string().nullable().describe('Texto do status HTTP ou, sem resposta, o motivo da falha'),
  resultado: z.string().describe(`Um de: ${outcomes.join(', ')}`),
  latenciaMs: z.number().int(),
  chaveUsuario: z.string().nullable().describe('Mascarada'),
  correlationId: z.string().nullable().describe('Id da requisição do app ou do painel que causou a chamada'),
  quantidadeViolacoes: z.number().int(),
  direcao: z.enum(direcoes).describe('saida: a Ponte chamou a operadora; entrada: a operadora chamou a API /clientes da Ponte'),
  motivo: z.string().nullable().describe('Por que a Ponte recusou uma chamada de entrada (o chamador recebe só a resposta genérica do contrato)'),
  motivoTexto: z.string().nullable(),
  tokenId: z.string().nullable().describe('Token do cliente usado numa chamada de entrada'),
});

export const logPageSchema = z.object({
  itens: z.array(logSummarySchema),
  pagina: z.number().int(),
  porPagina: z.number().int(),
  total: z.number().int(),
});

export const logEntrySchema = z.object({
  id: z.string(),
  criadoEm: z.number().int(),
  instancia: z.number().int(),
  operacao: z.string(),
  url: z.string().describe('Sem query string e sem credenciais'),
  resultado: z.string(),
  latenciaMs: z.number().int(),
  chaveUsuario: z.string().nullable().describe('Mascarada'),
  correlationId: z.string().nullable(),
  requisicao: z.object({
    headers: z.record(z.string(), z.string()).describe('Nomes dos headers enviados; valores mascarados (exceto content-type e accept)'),
    corpo: z.string().nullable().describe('JSON enviado, com campos sensíveis mascarados'),
  }),
  resposta: z.object({
    status: z.number().int().nullable(),
    statusText: z.string().nullable(),
    corpo: z.string().nullable().describe('Corpo recebido, mascarado e limitado em tamanho'),
  }),
  violacoes: z.array(violationSchema),
  direcao: z.enum(direcoes),
  motivo: z.string().nullable(),
  motivoTexto: z.string().nullable(),
  tokenId: z.string().nullable(),
});

const direcaoOf = (value: string): (typeof direcoes)[number] => (value === 'entrada' ? 'entrada' : 'saida');
/** The sentence a person reads for a stored reason code (unknown codes, from a newer node, read as themselves). */
export const motivoTexto = (motivo: string | null): string | null => (motivo === null ? null : (motivosRecusa[motivo as MotivoRecusa] ?? motivo));

export function toLogSummaryDto(log: OutboundLogSummary): z.infer<typeof logSummarySchema> {
  return {
    id: log.id,
    criadoEm: log.createdAt,
    operacao: log.operacao,
    url: log.url,
    status: log.status,
    statusText: log.statusText,
    resultado: log.resultado,
    latenciaMs: log.latencyMs,
    chaveUsuario: log.chaveUsuarioMascarada,
    correlationId: log.correlationId,
    quantidadeViolacoes: log.violationCount,
    direcao: direcaoOf(log.direcao),
    motivo: log.motivo,
    motivoTexto: motivoTexto(log.motivo),
    tokenId: log.tokenId,
  };
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function toLogEntryDto(log: OutboundLog): z.infer<typeof logEntrySchema> {
  return {
    id: log.id,
    criadoEm: log.createdAt,
    instancia: log.instancia,
    operacao: log.operacao,
    url: log.url,
    resultado: log.resultado,
    latenciaMs: log.latencyMs,
    chaveUsuario: log.chaveUsuarioMascarada,
    correlationId: log.correlationId,
    requisicao: { headers: log.requestHeaders, corpo: log.requestBody },
    resposta: { status: log.status, statusText: log.statusText, corpo: log.responseBody },
    // Stored violations are read as plain data: a malformed one still renders, never a 500.
    violacoes: log.violations
      .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
      .map((v) => ({
        caminho: text(v.caminho),
        tipo: text(v.tipo),
        criterio: text(v.criterio),
        esperado: text(v.esperado),
        recebido: text(v.recebido),
        mensagem: text(v.mensagem),
      })),
    direcao: direcaoOf(log.direcao),
    motivo: log.motivo,
    motivoTexto: motivoTexto(log.motivo),
    tokenId: log.tokenId,
  };
}
