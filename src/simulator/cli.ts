import { operatorMethods, type OperatorMethod } from '../modules/contracts/contract-spec.ts';
import { AppError } from '../platform/errors.ts';
import type { Output } from '../cli/output.ts';
import { FaultParseError } from './faults.ts';
import { describeSeedUsers } from './seed-data.ts';
import { createOperatorSimulator } from './simulator.ts';
import { WEBVIEW_PATH, type PonteLink } from './webview.ts';

/** What `ponte operator-sim` receives from commander (all strings, as typed). */
export type OperatorSimCliOptions = {
  port: string;
  host: string;
  usuario: string;
  senha: string;
  fault?: string;
  faultMethods?: string;
  grupoTtl: string;
  listUsers?: boolean;
  /** Ponte's base URL, for the sample WebView page's backend calls. */
  ponteUrl?: string;
  /** The token do cliente (API chavePasse) for them; commander fills it from PONTE_TOKEN. */
  ponteToken?: string;
};

function integerOption(name: string, raw: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new AppError('VALIDATION_FAILED', `${name} deve ser um inteiro entre ${min} e ${max} (recebido: "${raw}").`);
  return value;
}

function methodsOption(raw: string | undefined): OperatorMethod[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((m) => m.trim()).filter(Boolean);
  const unknown = names.filter((m) => !(operatorMethods as readonly string[]).includes(m));
  if (names.length === 0 || unknown.length > 0) throw new AppError('VALIDATION_FAILED', `--fault-methods aceita ${operatorMethods.join(', ')} separados por vírgula (recebido: "${raw}").`);
  return names as OperatorMethod[];
}

/**
 * The WebView page's link to Ponte, from `--ponte-url` and the token (PONTE_TOKEN). Without the URL
 * there is none (a token left in the environment alone changes nothing); a URL needs the token.
 */
function ponteOption(url: string | undefined, token: string | undefined): PonteLink | undefined {
  const trimmedUrl = url?.trim() || undefined;
  const trimmedToken = token?.trim() || undefined;
  if (!trimmedUrl) return undefined;
  if (!trimmedToken) throw new AppError('VALIDATION_FAILED', '--ponte-url precisa de um token do cliente com a API chavePasse: defina a variável PONTE_TOKEN.');
  let parsed: URL;
  try {
    parsed = new URL(trimmedUrl);
  } catch {
    throw new AppError('VALIDATION_FAILED', `--ponte-url deve ser uma URL http(s) completa (recebido: "${trimmedUrl}").`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new AppError('VALIDATION_FAILED', `--ponte-url deve começar com http:// ou https:// (recebido: "${trimmedUrl}").`);
  return { url: parsed.origin, token: trimmedToken };
}

/**
 * `ponte operator-sim`: prints the seeded users (`--list-users`) or runs the simulator until
 * SIGINT/SIGTERM. Resolves once it has stopped.
 */
export async function runOperatorSim(options: OperatorSimCliOptions, io: { json: boolean; output: Output }): Promise<void> {
  if (options.listUsers) {
    // The point of this flag is machine-readable credentials, so it is JSON with or without --json.
    const users = describeSeedUsers();
    io.output.result(io.json, users, () => JSON.stringify(users, null, 2));
    return;
  }
  const port = integerOption('--port', options.port, 0, 65535);
  const grupoTtlSeconds = integerOption('--grupo-ttl', options.grupoTtl, 1, 7 * 24 * 3600);
  const faultMethods = methodsOption(options.faultMethods);
  const ponte = ponteOption(options.ponteUrl, options.ponteToken);
  let simulator: Awaited<ReturnType<typeof createOperatorSimulator>>;
  try {
    simulator = await createOperatorSimulator({
      port,
      host: options.host,
      usuario: options.usuario,
      senha: options.senha,
      grupoTtlSeconds,
      ...(options.fault !== undefined ? { fault: options.fault } : {}),
      ...(faultMethods ? { faultMethods } : {}),
      ...(ponte ? { ponte } : {}),
    });
  } catch (error) {
    if (error instanceof FaultParseError) throw new AppError('VALIDATION_FAILED', error.message);
    throw error;
  }
  io.output.result(
    io.json,
    {
      url: simulator.url,
      host: simulator.host,
      port: simulator.port,
      usuario: options.usuario,
      falha: options.fault ?? null,
      metodos: operatorMethods.map((m) => `/${m}`),
      webview: { url: `${simulator.url}${WEBVIEW_PATH}`, ponteUrl: ponte?.url ?? null },
    },
    () =>
      [
        `Simulador de operadora em ${simulator.url}  (grupo de autorização: ${options.usuario}/${'*'.repeat(options.senha.length)}${options.fault ? `, falha: ${options.fault}` : ''})`,
        `  Métodos (POST, qualquer prefixo): ${operatorMethods.map((m) => `/${m}`).join('  ')}`,
        `  Usuários de teste: ponte operator-sim --list-users    Controle: ${simulator.url}/__simulador/chamadas`,
        ponte
          ? `  Página de exemplo (WebView): ${simulator.url}${WEBVIEW_PATH}  (consulta a Ponte em ${ponte.url})`
          : `  Página de exemplo (WebView): ${simulator.url}${WEBVIEW_PATH}  (sem --ponte-url e PONTE_TOKEN ela só explica como configurar)`,
      ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void simulator.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
