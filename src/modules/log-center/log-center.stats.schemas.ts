import { z } from 'zod';
import { operatorMethods } from '../contracts/contract-spec.ts';
import { outcomes } from './log-center.types.ts';

/** The periods the painel inicial offers, each with its bucket size (one chart point per bucket). */
export const periodos = {
  '1h': { buckets: 12, intervaloMs: 5 * 60 * 1000 },
  '24h': { buckets: 24, intervaloMs: 60 * 60 * 1000 },
  '7d': { buckets: 28, intervaloMs: 6 * 60 * 60 * 1000 },
  '30d': { buckets: 30, intervaloMs: 24 * 60 * 60 * 1000 },
} as const;
export type Periodo = keyof typeof periodos;
const periodoNames = Object.keys(periodos) as [Periodo, ...Periodo[]];

export const painelInicialQuerySchema = z.object({
  periodo: z
    .enum(periodoNames, { error: `Período desconhecido: use ${periodoNames.join(', ')}.` })
    .default('24h')
    .describe('1h (intervalos de 5 minutos), 24h (1 hora), 7d (6 horas) ou 30d (1 dia)'),
  fusoMinutos: z.coerce
    .number({ error: 'O fuso deve ser um número de minutos, por exemplo -180 para o horário de Brasília.' })
    .int('O fuso deve ser um número inteiro de minutos, por exemplo -180 para o horário de Brasília.')
    .min(-840, 'O fuso deve estar entre -840 e 840 minutos.')
    .max(840, 'O fuso deve estar entre -840 e 840 minutos.')
    .default(0)
    .describe('Diferença do fuso horário de quem olha para UTC, em minutos (-180 = Brasília): os intervalos começam em horas e dias cheios desse fuso'),
});

const latencyMs = (what: string) => z.number().int().nullable().describe(`${what}, em ms, pelo método nearest-rank; null quando não houve chamada medida`);

const porResultadoSchema = z.object(Object.fromEntries(outcomes.map((o) => [o, z.number().int()])) as Record<(typeof outcomes)[number], z.ZodNumber>);

const totaisSchema = z.object({
  chamadas: z.number().int(),
  sucesso: z.number().int(),
  taxaSucesso: z.number().nullable().describe('sucesso ÷ chamadas, de 0 a 1; null sem chamadas'),
  p50Ms: latencyMs('Mediana da latência'),
  p95Ms: latencyMs('Percentil 95 da latência'),
  violacoesContrato: z.number().int().describe('Chamadas cuja resposta violou o contrato do método (com qualquer resultado)'),
  falhas: z.number().int().describe('Chamadas com resultado diferente de sucesso'),
  porResultado: porResultadoSchema.describe('Chamadas por resultado, como a central de logs os filtra'),
});

const pontoSchema = z.object({
  chamadas: z.number().int(),
  sucesso: z.number().int(),
  p50Ms: latencyMs('Mediana da latência no intervalo'),
  p95Ms: latencyMs('Percentil 95 da latência no intervalo'),
  violacoesContrato: z.number().int(),
});

const operacaoSchema = z.enum(operatorMethods);

export const painelInicialSchema = z.object({
  periodo: z.enum(periodoNames),
  desde: z.number().int().describe('Epoch ms, inclusive: início do primeiro intervalo'),
  ate: z.number().int().describe('Epoch ms, exclusivo: fim do último intervalo (o intervalo em curso entra inteiro)'),
  intervaloMs: z.number().int().describe('Tamanho de cada intervalo da série: 5 min em 1h, 1 h em 24h, 6 h em 7d, 1 dia em 30d'),
  fusoMinutos: z.number().int(),
  amostrado: z
    .boolean()
    .describe('true quando o período teve mais chamadas do que o limite lido para as latências: os percentis vêm de uma amostra determinística (uma a cada k chamadas, em ordem de tempo); contagens são sempre exatas'),
  geral: totaisSchema.extend({ falhasGrupo: z.number().int().describe('Renovações de grupo de autorização (operação autorizacao) que não tiveram sucesso') }),
  totais: z.array(totaisSchema.extend({ operacao: operacaoSchema })).describe('Uma linha por operação, sempre todas, mesmo sem chamadas'),
  serie: z
    .array(
      z.object({
        inicio: z.number().int().describe('Epoch ms do início do intervalo'),
        geral: pontoSchema,
        porOperacao: z.record(operacaoSchema, pontoSchema),
        falhasGrupo: z.number().int(),
      }),
    )
    .describe('Todos os intervalos do período, em ordem, inclusive os vazios (zeros; latências null)'),
  grupos: z
    .array(
      z.object({
        id: z.string(),
        nome: z.string(),
        status: z.enum(['ativo', 'falhando']),
        ultimaRenovacaoEm: z.number().int().nullable(),
        ultimoErro: z.string().nullable(),
        ultimoErroEm: z.number().int().nullable(),
      }),
    )
    .describe('Grupos de autorização da instância e o estado da última renovação'),
});

export type PainelInicial = z.infer<typeof painelInicialSchema>;
