/**
 * Response shapes of the app API (`/app/v1`) the demo app reads. The server keeps these schemas
 * private to its route files, so they are mirrored here, minimal, with the route each one matches.
 */
import type { CampoFormulario } from '../api/types.ts';

export type FinalidadeFormulario = 'login' | 'recuperarSenhaIdentificacao' | 'recuperarSenhaNovaSenha' | 'trocarSenha';
export type FormularioDoApp = { nome: string; campos: CampoFormulario[] };

/** `GET /app/v1/configuracao` (app.routes.ts `configurationSchema`). */
export type Configuracao = {
  cliente: { nome: string };
  instancia: { numero: 1 | 2; nome: string };
  formularios: Record<FinalidadeFormulario, FormularioDoApp>;
  recursos: { login: boolean; recuperarSenha: boolean; trocarSenha: boolean };
  funcionalidades: { chaveFuncionalidade: string; nome: string }[];
};

/** A funcionalidade as the session's permissoes show it; hidden ones never come. */
export type FuncionalidadeDaSessao = { chaveFuncionalidade: string; nome: string; bloqueada: boolean; mensagemBloqueio: string | null };

/** `GET /app/v1/sessoes/atual` (app.routes.ts `sessionViewSchema`). */
export type SessaoDoApp = {
  perfil: {
    usuario: { login: string; chaveUnica: string; nome: string | null; esquemaCor: string | null };
    contratos: { numeroContrato: string; tipo: string; descricaoContrato: string | null }[];
    beneficiarios: { chaveUnica: string; nome: string; dataNascimento: string }[];
  };
  funcionalidades: FuncionalidadeDaSessao[];
  expiraEm: number;
};

/** `POST /app/v1/sessoes` → 201. */
export type SessaoCriada = SessaoDoApp & { token: string };

/** `POST …/funcionalidades/:chave/abrir` → 200. */
export type FuncionalidadeAberta = { url: string; expiraEm: number };

/** `POST /app/v1/recuperacao` → 201 (recuperacao.routes.ts): contacts only obfuscated. */
export type ContatoOfuscado = { id: string; tipo: 'email' | 'celular'; ofuscado: string };
export type RecuperacaoIniciada = { id: string; contatos: ContatoOfuscado[] };

/** `POST /app/v1/recuperacao/:id/codigo` → 202. */
export type CodigoEnviado = { enviadoPara: string; expiraEm: number };

/** `POST /app/v1/senha` and `…/nova-senha` → 200. */
export type Mensagem = { mensagem: string };

/** What the app reports when opening a funcionalidade (`sistema`). */
export type Sistema = {
  plataforma: string;
  versaoApp: string;
  dispositivo: string | null;
  idioma: string | null;
  geolocalizacao: null;
};
