/**
 * Request and response types of the painel API. Where the server exports its Zod schema, the type is
 * inferred from it (`import type` only: no server code enters the bundle); the few response shapes
 * the server keeps private to its route file are mirrored here, minimal, with the route they match.
 */
import type { z } from 'zod';
import type { createdTokenSchema, createTokenBodySchema, tokenSchema } from '../../../src/modules/client-tokens/client-tokens.schemas.ts';
import type { CampoContratoDto, contratoSchema } from '../../../src/modules/contracts/contracts.routes.ts';
import type { Campo, FormularioDefinicao, FormularioInput } from '../../../src/modules/forms/forms.schemas.ts';
import type { TesteDeEnvio } from '../../../src/modules/forms/forms.service.ts';
import type { funcionalidadeBodySchema, funcionalidadeSchema } from '../../../src/modules/funcionalidades/funcionalidades.routes.ts';
import type { logEntrySchema, logPageSchema, logSearchQuerySchema, logSummarySchema } from '../../../src/modules/log-center/log-center.schemas.ts';
import type { painelInicialQuerySchema, painelInicialSchema } from '../../../src/modules/log-center/log-center.stats.schemas.ts';
import type { comparacaoSchema } from '../../../src/modules/integracoes/copia-para-producao.routes.ts';
import type {
  conviteBodySchema,
  conviteConsultaSchema,
  conviteCriadoSchema,
  conviteSchema,
  memberListItemSchema,
  sessionSchema,
} from '../../../src/modules/painel-users/painel-users.schemas.ts';
import type { validationReportSchema } from '../../../src/modules/validador/validador.routes.ts';

export type Sessao = z.infer<typeof sessionSchema>;
export type Papel = Sessao['clientes'][number]['papel'];

export type Membro = z.infer<typeof memberListItemSchema>;
export type Convite = z.infer<typeof conviteSchema>;
export type ConviteCriado = z.infer<typeof conviteCriadoSchema>['convite'];
export type NovoConvite = z.input<typeof conviteBodySchema>;
/** `POST /painel/api/convites/consultar`: what an invitation link shows before accepting. */
export type ConviteConsulta = z.infer<typeof conviteConsultaSchema>;
/** `POST /painel/api/convites/aceitar`: the session, now with the cliente just joined. */
export type ConviteAceito = Sessao & { clienteId: string };

export type ComparacaoCopia = z.infer<typeof comparacaoSchema>;
export type ItemDaCopia = ComparacaoCopia['itens'][number];
export type Instancia = 1 | 2;

export type Token = z.infer<typeof tokenSchema>;
export type TokenCriado = z.infer<typeof createdTokenSchema>;
export type NovoToken = z.input<typeof createTokenBodySchema>;
export type ApiDoCliente = Token['apis'][number];

export type LogResumo = z.infer<typeof logSummarySchema>;
export type LogPagina = z.infer<typeof logPageSchema>;
export type LogDetalhe = z.infer<typeof logEntrySchema>;
export type LogFiltros = z.input<typeof logSearchQuerySchema>;

export type PainelInicial = z.infer<typeof painelInicialSchema>;
export type PeriodoPainel = z.infer<typeof painelInicialQuerySchema>['periodo'];

export type RelatorioValidacao = z.infer<typeof validationReportSchema>;
export type Violacao = RelatorioValidacao['violacoes'][number];
export type MetodoOperadora = RelatorioValidacao['metodo'];

export type Contrato = z.infer<typeof contratoSchema>;
export type CampoContrato = CampoContratoDto;

export type CampoFormulario = Campo;
export type DefinicaoFormulario = FormularioDefinicao;
/** Body of create/update of a form (`obrigatorio` may be left out). */
export type DefinicaoFormularioEntrada = FormularioInput;
/** `…/formularios/testar` and `…/formularios/:id/testar`: the body that would be sent, or the field errors. */
export type TesteFormulario = TesteDeEnvio;

export type Funcionalidade = z.infer<typeof funcionalidadeSchema>;
export type FuncionalidadeEntrada = z.input<typeof funcionalidadeBodySchema>;

// Mirrors of response shapes the server does not export ------------------------------------------

/** `…/instancias/:instancia/mensagens` (caixa-de-saida.routes.ts `mensagemSchema`). */
export type MensagemCaixaDeSaida = { id: string; canal: 'email' | 'sms'; destino: string; texto: string; criadaEm: number };
export type PaginaCaixaDeSaida = { itens: MensagemCaixaDeSaida[]; pagina: number; porPagina: number; total: number };

/** `GET /painel/api/clientes` (clientes.routes.ts `clienteSchema`). */
export type Cliente = {
  id: string;
  nome: string;
  criadoEm: number;
  instancias: { numero: Instancia; nome: 'Sandbox' | 'Produção'; appId: string }[];
};

/** `…/grupos` (grupos.routes.ts `grupoSchema`). */
export type Grupo = {
  id: string;
  instancia: Instancia;
  nome: string;
  url: string;
  usuario: string;
  senhaDefinida: true;
  ttlSegundos: number;
  status: 'ativo' | 'falhando';
  ultimaRenovacaoEm: number | null;
  ultimoErro: string | null;
  ultimoErroEm: number | null;
  atualizadoEm: number;
};

/** Body of create/update (grupos.routes.ts `grupoBody`); without `senha` an update keeps it. */
export type GrupoEntrada = { nome: string; url: string; usuario: string; senha?: string; ttlSegundos?: number };

export type MetodoIntegracao = 'login' | 'recuperarSenhaIdentificacao' | 'recuperarSenhaNovaSenha' | 'trocarSenha';

/** `…/integracao` (integracoes.routes.ts `integracaoSchema`). */
export type Integracao = {
  configurada: boolean;
  baseUrl: string | null;
  timeoutMs: number;
  grupoId: string | null;
  metodos: { metodo: MetodoIntegracao; nome: string; sufixo: string; url: string | null; urlEfetiva: string | null; formularioId: string | null }[];
  headers: { nome: string; secreto: boolean; valor: string | null }[];
  atualizadoEm: number | null;
};

/** PUT body (integracoes.routes.ts `integracaoBody`): a secret header without `valor` keeps its value. */
export type IntegracaoEntrada = {
  baseUrl: string | null;
  timeoutMs?: number;
  grupoId: string | null;
  metodos: Partial<Record<MetodoIntegracao, { url?: string | null; formularioId?: string | null }>>;
  headers: { nome: string; valor?: string; secreto: boolean }[];
};

/** `…/origens` (origens.routes.ts `origemSchema`). */
export type Origem = { id: string; origem: string; criadaEm: number };

/** `…/auditoria` (audit.routes.ts `auditEventSchema`). */
export type EventoAuditoria = {
  id: string;
  ator: string;
  acao: string;
  alvo: { tipo: string; id: string };
  antes: unknown;
  depois: unknown;
  requestId: string | null;
  criadoEm: number;
};

/** A stored form (forms.routes.ts `formularioDtoSchema`). */
export type Formulario = FormularioDefinicao & { id: string; instancia: Instancia; emUso: boolean; criadoEm: number; atualizadoEm: number };

/** `…/formularios` (forms.routes.ts `listaSchema`). */
export type ListaFormularios = {
  formularios: Formulario[];
  finalidades: { finalidade: MetodoIntegracao; metodo: string; formularioId: string | null; usaPadrao: boolean; padrao: FormularioDefinicao }[];
};
