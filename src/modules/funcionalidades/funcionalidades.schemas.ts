import { z } from 'zod';
import type { Funcionalidade } from './funcionalidades.repo.ts';
import { CHAVE_PASSE_MAX_MINUTES,  } from './funcionalidades.service.ts';

/** A funcionalidade as the painel sends and reads it. */
export const funcionalidadeBodySchema = z.object({
  nome: z.string().trim().min(1, 'Informe o nome da funcionalidade.').max(120, 'O nome deve ter no máximo 120 caracteres.'),
  url: z.string().trim().min(1, 'Informe a URL da funcionalidade.').max(2048, 'A URL deve ter no máximo 2048 caracteres.'),
  codigo: z
    .string()
    .trim()
    .max(100, 'O código deve ter no máximo 100 caracteres.')
    .optional()
    .describe('Identificador usado em permissoes[].funcionalidade no login da operadora; padrão: a chaveFuncionalidade'),
  validadeMinutos: z
    .number()
    .int()
    .min(1, 'A validade da chave passe vai de 1 a 10 minutos.')
    .max(CHAVE_PASSE_MAX_MINUTES, 'A validade da chave passe vai de 1 a 10 minutos.')
    .optional(),
  ativa: z.boolean().optional(),
});

export const funcionalidadeSchema = z.object({
  id: z.string(),
  instancia: z.union([z.literal(1), z.literal(2)]),
  nome: z.string(),
  url: z.string(),
  chaveFuncionalidade: z.string().describe('UUID gerado no cadastro; a WebView o envia à API de dados'),
  codigo: z.string(),
  validadeMinutos: z.number().int(),
  ativa: z.boolean(),
  criadaEm: z.number().int(),
  atualizadaEm: z.number().int(),
});

export function toFuncionalidadeDto(f: Funcionalidade) {
  return {
    id: f.id,
    instancia: f.instancia,
    nome: f.nome,
    url: f.url,
    chaveFuncionalidade: f.chave,
    codigo: f.codigo,
    validadeMinutos: f.validadeMinutos,
    ativa: f.ativa,
    criadaEm: f.createdAt,
    atualizadaEm: f.updatedAt,
  };
}
