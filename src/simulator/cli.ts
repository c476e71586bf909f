import { operatorMethods, type OperatorMethod } from '../modules/contracts/contract-spec.ts';
import { AppError } from '../platform/errors.ts';
import type { Output } from '../cli/output.ts';
import { FaultParseError } from './faults.ts';
import { describeSeedUsers } from './seed-data.ts';
import { createOperatorSimulator } from './simulator.ts';

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
    });
  } catch (error) {
    if (error instanceof FaultParseError) throw new AppError('VALIDATION_FAILED', error.message);
    throw error;
  }
  io.output.result(
    io.json,
    { url: simulator.url, host: simulator.host, port: simulator.port, usuario: options.usuario, falha: options.fault ?? null, metodos: operatorMethods.map((m) => `/${m}`) },
    () =>
      [
        `Simulador de operadora em ${simulator.url}  (grupo de autorização: ${options.usuario}/${'*'.repeat(options.senha.length)}${options.fault ? `, falha: ${options.fault}` : ''})`,
        `  Métodos (POST, qualquer prefixo): ${operatorMethods.map((m) => `/${m}`).join('  ')}`,
        `  Usuários de teste: ponte operator-sim --list-users    Controle: ${simulator.url}/__simulador/chamadas`,
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
