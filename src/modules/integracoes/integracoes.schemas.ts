import { z } from 'zod';
import { contracts } from '../contracts/contracts.ts';
import { integrationMethods, type Integracao } from './integracoes.repo.ts';
import { effectiveUrl, integrationLimits,  } from './integracoes.service.ts';

/** The integração of an instância as the painel sends and reads it (secret values are write-only). */
const url = z.string().trim().max(2048, 'A URL deve ter no máximo 2048 caracteres.');
const methodInput = z.object({ url: url.nullable().optional(), formularioId: z.string().trim().max(64).nullable().optional() });

export const integracaoBody = z.object({
  baseUrl: url.nullable(),
  timeoutMs: z
    .number()
    .int()
    .min(integrationLimits.minTimeoutMs, `O tempo limite mínimo é ${integrationLimits.minTimeoutMs} ms.`)
    .max(integrationLimits.maxTimeoutMs, `O tempo limite máximo é ${integrationLimits.maxTimeoutMs} ms (30 s).`)
    .optional(),
  grupoId: z.string().trim().max(64).nullable(),
  metodos: z.object(Object.fromEntries(integrationMethods.map((m) => [m, methodInput.optional()])) as Record<(typeof integrationMethods)[number], z.ZodOptional<typeof methodInput>>),
  headers: z
    .array(
      z.object({
        nome: z.string().trim().min(1, 'Informe o nome do header.').max(128, 'O nome deve ter no máximo 128 caracteres.'),
        valor: z.string().max(8192, 'O valor deve ter no máximo 8192 caracteres.').optional(),
        secreto: z.boolean().default(false),
      }),
    )
    .max(integrationLimits.maxHeaders, `No máximo ${integrationLimits.maxHeaders} headers.`)
    .default([]),
  senhaGrupo: z
    .string()
    .max(500, 'A senha deve ter no máximo 500 caracteres.')
    .optional()
    .describe('A senha do grupo de autorização: pedida só quando os tokens do grupo passariam a ir para uma origem fora do endereço do grupo que ainda não foi confirmada'),
});

export const integracaoSchema = z.object({
  configurada: z.boolean(),
  baseUrl: z.string().nullable(),
  timeoutMs: z.number().int(),
  grupoId: z.string().nullable(),
  metodos: z.array(
    z.object({
      metodo: z.enum(integrationMethods),
      nome: z.string(),
      sufixo: z.string(),
      url: z.string().nullable().describe('URL própria do método, se houver'),
      urlEfetiva: z.string().nullable().describe('A URL chamada: a própria, ou a base seguida do sufixo'),
      formularioId: z.string().nullable(),
    }),
  ),
  headers: z.array(z.object({ nome: z.string(), secreto: z.boolean(), valor: z.string().nullable().describe('null para headers secretos: nunca são devolvidos') })),
  elegibilidade: z
    .object({
      ativa: z.boolean().describe('Ativada no painel após passar na verificação ao vivo; chaveAuth, funcionalidades embutidas e relogin dependem dela'),
      reloginHoras: z.number().int().nullable().describe('Sessões mais antigas que isto (horas) renovam os dados pela elegibilidade; null = relogin desligado'),
    })
    .describe('Elegibilidade: login de beneficiário conhecido, sem senha'),
  atualizadoEm: z.number().int().nullable(),
});

export function toIntegracaoDto(integracao: Integracao | undefined) {
  const config: Pick<Integracao, 'baseUrl' | 'metodos' | 'timeoutMs' | 'grupoId' | 'headers'> & { updatedAt: number | null } = integracao ?? {
    baseUrl: null,
    metodos: {},
    timeoutMs: integrationLimits.defaultTimeoutMs,
    grupoId: null,
    headers: [],
    updatedAt: null,
  };
  return {
    configurada: integracao !== undefined,
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs,
    grupoId: config.grupoId,
    metodos: integrationMethods.map((metodo) => ({
      metodo,
      nome: contracts[metodo].label,
      sufixo: contracts[metodo].suffix,
      url: config.metodos[metodo]?.url ?? null,
      urlEfetiva: effectiveUrl(config, metodo) ?? null,
      formularioId: config.metodos[metodo]?.formularioId ?? null,
    })),
    headers: config.headers.map((h) => ({ nome: h.nome, secreto: h.secreto, valor: h.secreto ? null : (h.valor ?? '') })),
    elegibilidade: { ativa: integracao?.elegibilidadeAtiva ?? false, reloginHoras: integracao?.reloginHoras ?? null },
    atualizadoEm: config.updatedAt,
  };
}
