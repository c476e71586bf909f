/**
 * The demo app's client for Ponte's app API (`/app/v1`), as a beneficiary app calls it: the public
 * app id in `X-App-Id`, the session token as `Authorization: Bearer …`, JSON both ways. Failures
 * become `AppApiError` with the API's code, Portuguese message and per-field details.
 */
import type { ValoresFormulario } from '../shared/formulario/CamposFormulario.tsx';
import type {
  CodigoEnviado,
  Configuracao,
  FuncionalidadeAberta,
  Mensagem,
  RecuperacaoIniciada,
  SessaoCriada,
  SessaoDoApp,
  Sistema,
} from './types.ts';

export type DetalheDeErro = { field?: string; message: string };

export class AppApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: DetalheDeErro[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'AppApiError';
  }
}

const BASE = '/app/v1';

type Options = { body?: unknown; token?: string | null };

async function appRequest<T>(appId: string, method: 'GET' | 'POST' | 'DELETE', path: string, options: Options = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-app-id': appId };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(`${BASE}${path}`, {
      method,
      headers,
      credentials: 'omit',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw new AppApiError(0, 'NETWORK', 'Sem conexão com o servidor. Verifique sua internet e tente novamente.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string; details?: DetalheDeErro[]; requestId?: string } } | undefined)?.error;
    throw new AppApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? `O servidor respondeu ${response.status}. Tente novamente.`, error?.details ?? [], error?.requestId);
  }
  return data as T;
}

/** The app API for one app id. Calls that need a session take its token. */
export function appApi(appId: string) {
  const call = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, options?: Options) => appRequest<T>(appId, method, path, options);
  return {
    configuracao: () => call<Configuracao>('GET', '/configuracao'),
    entrar: (campos: ValoresFormulario) => call<SessaoCriada>('POST', '/sessoes', { body: { campos } }),
    sessaoAtual: (token: string) => call<SessaoDoApp>('GET', '/sessoes/atual', { token }),
    sair: (token: string) => call<void>('DELETE', '/sessoes/atual', { token }),
    trocarSenha: (token: string, campos: ValoresFormulario) => call<Mensagem>('POST', '/senha', { token, body: { campos } }),
    abrir: (token: string, chaveFuncionalidade: string, sistema: Sistema) =>
      call<FuncionalidadeAberta>('POST', `/funcionalidades/${encodeURIComponent(chaveFuncionalidade)}/abrir`, { token, body: { sistema } }),
    identificar: (campos: ValoresFormulario) => call<RecuperacaoIniciada>('POST', '/recuperacao', { body: { campos } }),
    enviarCodigo: (id: string, contatoId: string) => call<CodigoEnviado>('POST', `/recuperacao/${encodeURIComponent(id)}/codigo`, { body: { contatoId } }),
    verificar: (id: string, codigo: string) => call<{ verificado: true }>('POST', `/recuperacao/${encodeURIComponent(id)}/verificacao`, { body: { codigo } }),
    novaSenha: (id: string, campos: ValoresFormulario) => call<Mensagem>('POST', `/recuperacao/${encodeURIComponent(id)}/nova-senha`, { body: { campos } }),
  };
}

export type AppApi = ReturnType<typeof appApi>;

/**
 * Splits an API error into messages beside the form's fields (`details[].field`, with or without
 * the `campos.` prefix of a body-schema error) and what is left for an alert above the form.
 */
export function errosDeCampo(error: unknown, nomes: readonly string[]): { campos: Record<string, string>; restantes: DetalheDeErro[] } {
  const campos: Record<string, string> = {};
  const restantes: DetalheDeErro[] = [];
  if (!(error instanceof AppApiError)) return { campos, restantes };
  for (const detail of error.details) {
    const nome = detail.field?.replace(/^campos\./, '');
    if (nome && nomes.includes(nome)) campos[nome] = campos[nome] ? `${campos[nome]} ${detail.message}` : detail.message;
    else restantes.push(detail);
  }
  return { campos, restantes };
}

export function mensagemDe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return 'Algo deu errado. Tente novamente.';
}

/** What this demo reports as its "device" when opening a funcionalidade. */
export function sistemaDoNavegador(): Sistema {
  return {
    plataforma: 'web',
    versaoApp: 'demo',
    dispositivo: navigator.userAgent.slice(0, 120) || null,
    idioma: navigator.language?.slice(0, 20) || null,
    geolocalizacao: null,
  };
}
