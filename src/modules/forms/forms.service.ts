import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AttemptLimiter } from '../../platform/http/auth-failure-limiter.ts';
import { newId } from '../../platform/ids.ts';
import { createLocalInvalidation, type Invalidation } from '../../platform/invalidation.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import { contracts } from '../contracts/contracts.ts';
import type { Integracao, IntegracoesRepo } from '../integracoes/integracoes.repo.ts';
import type { IntegracoesService } from '../integracoes/integracoes.service.ts';
import { defaultFormFor } from './forms.defaults.ts';
import { identifierOf } from './forms.identifier.ts';
import type { Formulario, FormsRepo } from './forms.repo.ts';
import { formFinalidades, formLimits, formularioSchema, type FormFinalidade, type FormularioDefinicao } from './forms.schemas.ts';
import { validateSubmission, type SubmissionBody } from './forms.validation.ts';

/**
 * How long a node may apply a form before reading it again: a safety net, since an edit or
 * removal publishes `formulario` and every node drops its copy at once.
 */
const FORM_CACHE_TTL_MS = 5_000;

/**
 * Test submissions (the painel editor's live preview, debounced at 400 ms) per painel user: a
 * backstop, since patterns run in linear time, against a script hammering the endpoint.
 */
export const formTestLimit = { max: 120, windowSeconds: 60 } as const;

/** The form an app shows for a method: the instância's own, or the default (`id: null`). */
export type FormularioEfetivo = FormularioDefinicao & { id: string | null; padrao: boolean };

/** A saved form and whether the integração uses it for its finalidade. */
export type FormularioView = { formulario: Formulario; emUso: boolean };

export type TesteDeEnvio =
  | { valido: true; corpo: SubmissionBody; erros: []; ignorados: string[] }
  | { valido: false; corpo: null; erros: { field?: string; message: string }[]; ignorados: string[] };

function testSubmission(formulario: Pick<FormularioDefinicao, 'campos'>, valores: unknown): TesteDeEnvio {
  const result = validateSubmission(formulario, valores);
  if (!result.ok) return { valido: false, corpo: null, erros: result.details, ignorados: result.ignorados };
  const senhas = new Set(formulario.campos.filter((c) => c.tipo === 'senha').map((c) => c.nome));
  const corpo = Object.fromEntries(Object.entries(result.body).map(([nome, valor]) => [nome, senhas.has(nome) ? '***' : valor]));
  return { valido: true, corpo, erros: [], ignorados: result.ignorados };
}

/**
 * Which form a method uses is chosen in the integração (`metodos[finalidade].formularioId`, docs/ESPECIFICACAO.md §6
 * "which form each method uses"). A link is honoured only when it names a form of the same cliente,
 * instância and finalidade; anything else means the default form.
 */
function linkedFormId(integracao: Pick<Integracao, 'metodos'> | undefined, finalidade: FormFinalidade): string | undefined {
  return integracao?.metodos[finalidade]?.formularioId;
}

export function createFormsService(deps: {
  db: Db;
  repos: { forms: FormsRepo; integracoes: IntegracoesRepo };
  clock: Clock;
  audit: AuditService;
  integracoes: Pick<IntegracoesService, 'get' | 'chooseFormulario'>;
  invalidation?: Invalidation;
  limiter: AttemptLimiter;
}) {
  const repo = deps.repos.forms;
  // Writes check links against the stored integração, not the short-lived cache reads use.
  const integracoesRepo = deps.repos.integracoes;
  const cache = new LRUCache<string, Formulario | 'ausente'>({ max: 5_000, ttl: FORM_CACHE_TTL_MS });
  const invalidation = deps.invalidation ?? createLocalInvalidation();
  invalidation.subscribe('formulario', (formularioId) => (formularioId === undefined ? cache.clear() : cache.delete(formularioId)));

  function parse(input: unknown): FormularioDefinicao {
    const parsed = formularioSchema.safeParse(input);
    if (parsed.success) return parsed.data;
    const details = parsed.error.issues.map((issue) => ({ ...(issue.path.length > 0 ? { field: issue.path.join('.') } : {}), message: issue.message }));
    throw new AppError('VALIDATION_FAILED', undefined, { details });
  }

  async function owned(clienteId: string, instancia: 1 | 2, formularioId: string, trx?: Executor): Promise<Formulario> {
    const formulario = await repo.findById(formularioId, trx);
    if (!formulario || formulario.clienteId !== clienteId || formulario.instancia !== instancia) {
      throw new AppError('NOT_FOUND', 'Formulário não encontrado nesta instância.');
    }
    return formulario;
  }

  async function inUse(formulario: Formulario, trx: Executor): Promise<boolean> {
    const integracao = await integracoesRepo.find(formulario.clienteId, formulario.instancia, trx);
    return linkedFormId(integracao, formulario.finalidade) === formulario.id;
  }

  const inUseConflict = (formulario: Formulario, what: string) =>
    new AppError(
      'CONFLICT',
      `O formulário "${formulario.nome}" está em uso no método "${contracts[formulario.finalidade].label}" da integração. Escolha outro formulário (ou o padrão) na integração antes de ${what}.`,
    );

  /**
   * The form the app shows, and Ponte validates, for `finalidade` in this instância: the one the
   * integração links, else the default derived from the operator contract. Reads are cached for
   * a few seconds per node (the login hot path); a save is seen at once on every node.
   */
  async function formFor(clienteId: string, instancia: 1 | 2, finalidade: FormFinalidade): Promise<FormularioEfetivo> {
    const id = linkedFormId(await deps.integracoes.get(clienteId, instancia), finalidade);
    if (id) {
      let formulario = cache.get(id);
      if (formulario === undefined) {
        formulario = (await repo.findById(id)) ?? 'ausente';
        cache.set(id, formulario);
      }
      if (formulario !== 'ausente' && formulario.clienteId === clienteId && formulario.instancia === instancia && formulario.finalidade === finalidade) {
        return { id: formulario.id, nome: formulario.nome, finalidade, campos: formulario.campos, padrao: false };
      }
    }
    return { id: null, ...defaultFormFor(finalidade), padrao: true };
  }

  const describe = (f: FormularioDefinicao) => ({ nome: f.nome, finalidade: f.finalidade, campos: f.campos });

  async function countTest(userId: string): Promise<void> {
    await deps.limiter.consume(
      [{ key: `formularios-testar:${userId}`, ...formTestLimit }],
      `Muitos testes de formulário seguidos (o limite é ${formTestLimit.max} por minuto). Aguarde alguns segundos e tente novamente.`,
    );
  }

  return {
    async list(clienteId: string, instancia: 1 | 2): Promise<{ formularios: FormularioView[]; emUso: Record<FormFinalidade, string | null> }> {
      const [formularios, integracao] = await Promise.all([repo.list(clienteId, instancia), deps.integracoes.get(clienteId, instancia)]);
      const emUso = Object.fromEntries(
        formFinalidades.map((finalidade) => {
          const id = linkedFormId(integracao, finalidade);
          return [finalidade, formularios.some((f) => f.id === id && f.finalidade === finalidade) ? id! : null];
        }),
      ) as Record<FormFinalidade, string | null>;
      return { formularios: formularios.map((f) => ({ formulario: f, emUso: emUso[f.finalidade] === f.id })), emUso };
    },

    async get(clienteId: string, instancia: 1 | 2, formularioId: string): Promise<FormularioView> {
      const formulario = await owned(clienteId, instancia, formularioId);
      const integracao = await deps.integracoes.get(clienteId, instancia);
      return { formulario, emUso: linkedFormId(integracao, formulario.finalidade) === formulario.id };
    },

    async create(input: { clienteId: string; instancia: 1 | 2; definicao: unknown; actor: AuditActor }): Promise<FormularioView> {
      const definicao = parse(input.definicao);
      const now = deps.clock.now();
      const formulario: Formulario = { id: newId('formulario'), clienteId: input.clienteId, instancia: input.instancia, ...definicao, createdAt: now, updatedAt: now };
      await deps.db.transaction().execute(async (trx) => {
        if ((await repo.count(input.clienteId, input.instancia, trx)) >= formLimits.maxFormsPerInstancia) {
          throw new AppError('CONFLICT', `Esta instância já tem ${formLimits.maxFormsPerInstancia} formulários, o máximo. Remova um que não esteja em uso.`);
        }
        await repo.insert(formulario, trx);
        await deps.audit.record(
          { clienteId: input.clienteId, instancia: input.instancia, actor: input.actor, action: 'formulario.criado', targetType: 'formulario', targetId: formulario.id, after: describe(formulario) },
          trx,
        );
      });
      return { formulario, emUso: false };
    },

    /** Replaces the definition. A form in use cannot move to another finalidade. */
    async update(input: { clienteId: string; instancia: 1 | 2; formularioId: string; definicao: unknown; actor: AuditActor }): Promise<FormularioView> {
      const definicao = parse(input.definicao);
      const result = await deps.db.transaction().execute(async (trx) => {
        const before = await owned(input.clienteId, input.instancia, input.formularioId, trx);
        const emUso = await inUse(before, trx);
        if (emUso && definicao.finalidade !== before.finalidade) throw inUseConflict(before, 'mudar a finalidade');
        const formulario: Formulario = { ...before, ...definicao, updatedAt: deps.clock.now() };
        await repo.update(formulario, trx);
        await deps.audit.record(
          {
            clienteId: input.clienteId,
            instancia: input.instancia,
            actor: input.actor,
            action: 'formulario.alterado',
            targetType: 'formulario',
            targetId: formulario.id,
            before: describe(before),
            after: describe(formulario),
          },
          trx,
        );
        return { formulario, emUso };
      });
      await invalidation.publish('formulario', input.formularioId);
      return result;
    },

    /** Removes a form the integração does not use (one in use would silently switch the app to the default). */
    async remove(input: { clienteId: string; instancia: 1 | 2; formularioId: string; actor: AuditActor }): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        const formulario = await owned(input.clienteId, input.instancia, input.formularioId, trx);
        if (await inUse(formulario, trx)) throw inUseConflict(formulario, 'removê-lo');
        await repo.delete(formulario.id, trx);
        await deps.audit.record(
          { clienteId: input.clienteId, instancia: input.instancia, actor: input.actor, action: 'formulario.removido', targetType: 'formulario', targetId: formulario.id, before: describe(formulario) },
          trx,
        );
      });
      await invalidation.publish('formulario', input.formularioId);
    },

    /**
     * Chooses the form the app uses for `finalidade` in this instância (`null`: the default). The
     * choice is stored in the integração, as when it is made on the Integração screen.
     */
    async choose(input: { clienteId: string; instancia: 1 | 2; finalidade: FormFinalidade; formularioId: string | null; actor: AuditActor }): Promise<void> {
      if (input.formularioId !== null) {
        const formulario = await owned(input.clienteId, input.instancia, input.formularioId);
        if (formulario.finalidade !== input.finalidade) {
          throw new AppError('VALIDATION_FAILED', undefined, {
            details: [
              {
                field: 'formularioId',
                message: `O formulário "${formulario.nome}" é de "${contracts[formulario.finalidade].label}", não de "${contracts[input.finalidade].label}". Escolha um formulário desta finalidade.`,
              },
            ],
          });
        }
      }
      await deps.integracoes.chooseFormulario({ clienteId: input.clienteId, instancia: input.instancia, metodo: input.finalidade, formularioId: input.formularioId, actor: input.actor });
    },

    /**
     * What submitting `valores` would do: the field errors, or the body that would be sent to the
     * operator with every senha masked (the painel's live preview).
     */
    async test(clienteId: string, instancia: 1 | 2, formularioId: string, valores: unknown, tester: { userId: string }): Promise<TesteDeEnvio> {
      await countTest(tester.userId);
      return testSubmission(await owned(clienteId, instancia, formularioId), valores);
    },

    /** The same test against a definition not saved yet (the painel's editor); `definicao` is validated first. */
    async testDefinition(definicao: unknown, valores: unknown, tester: { userId: string }): Promise<TesteDeEnvio> {
      await countTest(tester.userId);
      return testSubmission(parse(definicao), valores);
    },

    formFor,

    /**
     * The normalized identifier of the person in a submission not validated yet (forms.identifier.ts):
     * what attempt limits count by, read before the (costlier) validation. Never a senha.
     */
    async identifierOf(clienteId: string, instancia: 1 | 2, finalidade: FormFinalidade, input: unknown): Promise<string> {
      return identifierOf((await formFor(clienteId, instancia, finalidade)).campos, input);
    },

    /**
     * The body to send to the operator for what the app submitted, validated against `formFor`;
     * throws VALIDATION_FAILED with one detail per field otherwise (before any operator is called).
     */
    async validatedSubmission(clienteId: string, instancia: 1 | 2, finalidade: FormFinalidade, input: unknown): Promise<SubmissionBody> {
      const result = validateSubmission(await formFor(clienteId, instancia, finalidade), input);
      if (!result.ok) throw new AppError('VALIDATION_FAILED', undefined, { details: result.details });
      return result.body;
    },
  };
}

export type FormsService = ReturnType<typeof createFormsService>;
