import { z } from 'zod';
import { clientesEnvelopeSchema } from '../../platform/http/envelope.ts';

/** The chaveAuth success, exactly as the platform documents it (§3.3): the `/clientes` envelope with `data: {token, expireAt}`. */
export const chaveAuthSuccessSchema = clientesEnvelopeSchema(
  z
    .object({
      token: z.string().describe('JWT HS256 com as claims idSessao (UUID), expiracao (epoch ms), aud "beneficiario", versao "2" e iat'),
      expireAt: z.number().int().describe('Expiração da sessão em epoch milissegundos: 30 minutos após a criação'),
    })
    .strict(),
)
  .extend({ status: z.literal(true) })
  .strict();

/** What a caller may send; checked after the token (a bad token is 401 whatever the body). */
export const chaveAuthBodySchema = z
  .object({
    chaveUnica: z.unknown().optional().describe('Chave única da pessoa (CPF recomendado), como a operadora a conhece'),
    instanciaApp: z.unknown().optional().describe('1 = Sandbox, 2 = Produção (também aceito na query string)'),
  })
  .passthrough()
  .nullish();

export const chaveAuthQuerySchema = z.object({ instanciaApp: z.string().max(10).optional().describe('1 = Sandbox, 2 = Produção') });
