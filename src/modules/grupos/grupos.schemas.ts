import { z } from 'zod';
import type { Grupo } from './grupos.repo.ts';

/** A grupo de autorização as the painel sends and reads it (the senha is write-only). */
export const grupoBody = z.object({
  nome: z.string().trim().min(1, 'Informe o nome do grupo.').max(120, 'O nome deve ter no máximo 120 caracteres.'),
  url: z.string().trim().min(1, 'Informe a URL do endpoint /autorizacao.').max(2048, 'A URL deve ter no máximo 2048 caracteres.'),
  usuario: z.string().trim().min(1, 'Informe o usuário.').max(200, 'O usuário deve ter no máximo 200 caracteres.'),
  // Both are M in the seed: a blank senha is refused like a blank usuario. Not trimmed when kept —
  // spaces around a real senha are part of it — but one made only of spaces is no senha.
  senha: z
    .string()
    .max(500, 'A senha deve ter no máximo 500 caracteres.')
    .refine((senha) => senha.trim().length > 0, 'Informe a senha.')
    .optional(),
  ttlSegundos: z.number().int().min(60, 'O TTL mínimo é 60 segundos.').max(86_400, 'O TTL máximo é 86400 segundos (24 h).').optional(),
});

export const grupoSchema = z.object({
  id: z.string(),
  instancia: z.union([z.literal(1), z.literal(2)]),
  nome: z.string(),
  url: z.string(),
  usuario: z.string(),
  senhaDefinida: z.literal(true).describe('A senha nunca é devolvida'),
  ttlSegundos: z.number().int(),
  status: z.enum(['ativo', 'falhando']),
  ultimaRenovacaoEm: z.number().int().nullable(),
  ultimoErro: z.string().nullable(),
  ultimoErroEm: z.number().int().nullable(),
  atualizadoEm: z.number().int(),
});

export function toGrupoDto(g: Grupo) {
  return {
    id: g.id,
    instancia: g.instancia,
    nome: g.nome,
    url: g.url,
    usuario: g.usuario,
    senhaDefinida: true as const,
    ttlSegundos: g.ttlSegundos,
    status: g.status,
    ultimaRenovacaoEm: g.ultimaRenovacaoEm,
    ultimoErro: g.ultimoErro,
    ultimoErroEm: g.ultimoErroEm,
    atualizadoEm: g.updatedAt,
  };
}
