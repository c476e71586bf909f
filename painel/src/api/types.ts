/**
 * Request and response types of the painel API, inferred from the server's Zod schemas in each
 * capability's `<cap>.schemas.ts` (`import type` only: no server code enters the bundle). Nothing
 * here restates a shape: a change on the server is a compile error in the painel.
 */
import type { z } from 'zod';
import type { createdTokenSchema, createTokenBodySchema, tokenSchema } from '../../../src/modules/client-tokens/client-tokens.schemas.ts';
import type { CampoContratoDto, contratoSchema } from '../../../src/modules/contracts/contracts.schemas.ts';
import type { Campo, FormularioDefinicao, FormularioInput, formularioDtoSchema, listaSchema } from '../../../src/modules/forms/forms.schemas.ts';
import type { TesteDeEnvio } from '../../../src/modules/forms/forms.service.ts';
import type { funcionalidadeBodySchema, funcionalidadeSchema } from '../../../src/modules/funcionalidades/funcionalidades.schemas.ts';
import type { logEntrySchema, logPageSchema, logSearchQuerySchema, logSummarySchema } from '../../../src/modules/log-center/log-center.schemas.ts';
import type { painelInicialQuerySchema, painelInicialSchema } from '../../../src/modules/log-center/log-center.stats.schemas.ts';
import type { comparacaoSchema } from '../../../src/modules/copia-producao/copia-para-producao.schemas.ts';
import type {
  conviteBodySchema,
  conviteConsultaSchema,
  conviteCriadoSchema,
  conviteSchema,
  memberListItemSchema,
  sessionSchema,
} from '../../../src/modules/painel-users/painel-users.schemas.ts';
import type { validationReportSchema } from '../../../src/modules/validador/validador.schemas.ts';
import type { auditEventSchema } from '../../../src/modules/audit/audit.schemas.ts';
import type { clienteSchema } from '../../../src/modules/clientes/clientes.schemas.ts';
import type { grupoBody, grupoSchema } from '../../../src/modules/grupos/grupos.schemas.ts';
import type { FormMethod, IntegrationMethod } from '../../../src/modules/integracoes/integracoes.repo.ts';
import type { integracaoBody, integracaoSchema } from '../../../src/modules/integracoes/integracoes.schemas.ts';
import type { origemSchema } from '../../../src/modules/origens/origens.schemas.ts';
import type { paginaDeMensagensSchema } from '../../../src/modules/recuperacao/caixa-de-saida.schemas.ts';

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

/** `…/instancias/:instancia/mensagens`: the development outbox. */
export type PaginaCaixaDeSaida = z.infer<typeof paginaDeMensagensSchema>;
export type MensagemCaixaDeSaida = PaginaCaixaDeSaida['itens'][number];

/** `GET /painel/api/clientes`. */
export type Cliente = z.infer<typeof clienteSchema>;

/** `…/grupos`. */
export type Grupo = z.infer<typeof grupoSchema>;
/** Body of create/update; without `senha` an update keeps it. */
export type GrupoEntrada = z.input<typeof grupoBody>;

export type MetodoIntegracao = IntegrationMethod;
/** The methods that take a Formbuilder form (every integração method but elegibilidade). */
export type FinalidadeFormulario = FormMethod;

/** `…/integracao`. */
export type Integracao = z.infer<typeof integracaoSchema>;
/** PUT body: a secret header without `valor` keeps its value; `senhaGrupo` only when the grupo's tokens would go to another site. */
export type IntegracaoEntrada = z.input<typeof integracaoBody>;

/** `…/origens`. */
export type Origem = z.infer<typeof origemSchema>;

/** `…/auditoria`. */
export type EventoAuditoria = z.infer<typeof auditEventSchema>;

/** A stored form. */
export type Formulario = z.infer<typeof formularioDtoSchema>;

/** `…/formularios`: the forms and which one each method uses. */
export type ListaFormularios = z.infer<typeof listaSchema>;
