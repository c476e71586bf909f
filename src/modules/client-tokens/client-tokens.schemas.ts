import { z } from 'zod';
import { clientApis, type ClientToken } from './client-tokens.repo.ts';

export const clientApiSchema = z.enum(clientApis, { error: 'API desconhecida: use chavePasse ou seguranca.' });

export const createTokenBodySchema = z.object({
  apis: z.array(clientApiSchema).min(1, 'Escolha ao menos uma API.').max(clientApis.length),
  descricao: z.string().trim().max(200, 'A descrição deve ter no máximo 200 caracteres.').default(''),
});

export const tokenSchema = z.object({
  id: z.string(),
  prefixo: z.string().describe('Início do token, para reconhecê-lo; o token completo não é guardado'),
  apis: z.array(clientApiSchema),
  descricao: z.string(),
  criadoEm: z.number().int(),
  ultimoUsoEm: z.number().int().nullable(),
  revogadoEm: z.number().int().nullable(),
});

export const createdTokenSchema = tokenSchema.extend({
  token: z.string().describe('O token completo. Exibido somente nesta resposta: guarde-o agora.'),
});

export function toTokenDto(token: ClientToken) {
  return {
    id: token.id,
    prefixo: token.tokenStart,
    apis: token.apis,
    descricao: token.descricao,
    criadoEm: token.createdAt,
    ultimoUsoEm: token.lastUsedAt,
    revogadoEm: token.revokedAt,
  };
}
