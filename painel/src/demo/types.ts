/**
 * Shapes of the app API (`/app/v1`) the demo app reads, inferred from the server's schemas
 * (app-sessions/app-api.schemas.ts; `import type` only, nothing of the server enters the bundle).
 */
import type { z } from 'zod';
import type {
  codigoEnviadoSchema,
  configurationSchema,
  contatoOfuscadoSchema,
  funcionalidadeAbertaSchema,
  funcionalidadeSchema,
  mensagemSchema,
  recuperacaoIniciadaSchema,
  sessaoCriadaSchema,
  sessionViewSchema,
} from '../../../src/modules/app-sessions/app-api.schemas.ts';

/** `GET /app/v1/configuracao`. */
export type Configuracao = z.infer<typeof configurationSchema>;
export type FinalidadeFormulario = keyof Configuracao['formularios'];
export type FormularioDoApp = Configuracao['formularios'][FinalidadeFormulario];

/** A funcionalidade as the session's permissoes show it; hidden ones never come. */
export type FuncionalidadeDaSessao = z.infer<typeof funcionalidadeSchema>;

/** `GET /app/v1/sessoes/atual`. */
export type SessaoDoApp = z.infer<typeof sessionViewSchema>;

/** `POST /app/v1/sessoes` → 201. */
export type SessaoCriada = z.infer<typeof sessaoCriadaSchema>;

/** `POST …/funcionalidades/:chave/abrir` → 200. */
export type FuncionalidadeAberta = z.infer<typeof funcionalidadeAbertaSchema>;

/** `POST /app/v1/recuperacao` → 201: contacts only obfuscated. */
export type ContatoOfuscado = z.infer<typeof contatoOfuscadoSchema>;
export type RecuperacaoIniciada = z.infer<typeof recuperacaoIniciadaSchema>;

/** `POST /app/v1/recuperacao/:id/codigo` → 202. */
export type CodigoEnviado = z.infer<typeof codigoEnviadoSchema>;

/** `POST /app/v1/senha` and `…/nova-senha` → 200. */
export type Mensagem = z.infer<typeof mensagemSchema>;

/** What the app reports when opening a funcionalidade (`sistema`). */
export type Sistema = {
  plataforma: string;
  versaoApp: string;
  dispositivo: string | null;
  idioma: string | null;
  geolocalizacao: null;
};
