import type { Command } from 'commander';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import type { ResealReport, SealedStatus } from '../platform/reseal.ts';
import type { Output } from './output.ts';

/** Opens only the database and the keys (no services, no key-value store) for `task`. */
async function withSealedStorage<T>(config: Config, task: (storage: Awaited<ReturnType<typeof openSealedStorage>>) => Promise<T>): Promise<T> {
  const storage = await openSealedStorage(config);
  try {
    return await task(storage);
  } finally {
    await storage.close();
  }
}

async function openSealedStorage(config: Config) {
  const { openInfrastructure } = await import('../platform/infrastructure.ts');
  const { createSecretBox } = await import('../platform/crypto.ts');
  const { sealedColumns } = await import('../sealed-columns.ts');
  const infra = await openInfrastructure({ ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
  return { db: infra.database.db, secretBox: createSecretBox(infra.keyring.masterKeys), columns: sealedColumns, close: () => infra.close() };
}

const versionList = (versoes: Record<string, number>) =>
  Object.entries(versoes)
    .map(([version, count]) => `${version}: ${count}`)
    .join(', ') || 'nenhum valor';

function formatStatus(statuses: SealedStatus[], currentVersion: string): string {
  const pending = statuses.reduce((sum, status) => sum + status.restantes, 0);
  return [
    `Chave mestra atual: ${currentVersion}`,
    ...statuses.map((status) => `  ${status.coluna.padEnd(34)} ${String(status.total).padStart(7)} valores  (${versionList(status.versoes)})`),
    pending === 0
      ? 'Tudo selado com a chave atual: as chaves antigas podem sair de PONTE_MASTER_KEYS.'
      : `${pending} valor(es) ainda com chaves antigas: rode "ponte keys reseal".`,
  ].join('\n');
}

function formatReseal(reports: ResealReport[], currentVersion: string): string {
  const left = reports.reduce((sum, report) => sum + report.restantes, 0);
  const failed = reports.reduce((sum, report) => sum + report.falhas, 0);
  return [
    `Valores selados de novo com a chave ${currentVersion}:`,
    ...reports.map((report) => `  ${report.coluna.padEnd(34)} ${String(report.reseladas).padStart(7)} reselados  ${report.falhas} falhas  ${report.restantes} restantes`),
    left === 0
      ? 'Nada restou com chaves antigas: elas podem sair de PONTE_MASTER_KEYS (mantenha a atual em primeiro).'
      : failed > 0
        ? `${left} valor(es) ainda com chaves antigas; ${failed} não abrem com nenhuma chave do anel (chave já removida ou valor adulterado) e precisam ser digitados de novo no painel.`
        : `${left} valor(es) ainda com chaves antigas (gravados durante a execução?): rode de novo.`,
  ].join('\n');
}

/**
 * `ponte keys status` and `ponte keys reseal`: finishing a master-key rotation. Put the new key
 * first in PONTE_MASTER_KEYS (the old ones after it), restart, reseal, then remove the old keys.
 */
export function registerKeysCommands(program: Command, deps: { output: Output; json: () => boolean; config: () => Config }): void {
  const keys = program.command('keys').description('chaves mestras: o que cada uma ainda sela e a re-selagem após uma rotação');
  keys
    .command('status')
    .description('conta, por coluna, os valores selados com cada versão de chave mestra')
    .action(async () => {
      const { sealedStatus } = await import('../platform/reseal.ts');
      await withSealedStorage(deps.config(), async ({ db, secretBox, columns }) => {
        const statuses = await sealedStatus({ db, secretBox, columns });
        deps.output.result(deps.json(), { chaveAtual: secretBox.currentVersion, colunas: statuses }, () => formatStatus(statuses, secretBox.currentVersion));
      });
    });
  keys
    .command('reseal')
    .description('sela de novo, com a primeira chave de PONTE_MASTER_KEYS, tudo o que foi selado com as outras; em lotes, pode ser interrompido e retomado')
    .option('--lote <n>', 'linhas por lote', '500')
    .action(async (options: { lote: string }) => {
      const batchSize = Number(options.lote);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
        throw new AppError('VALIDATION_FAILED', `--lote deve ser um inteiro entre 1 e 10000 (recebido: "${options.lote}").`);
      }
      const { resealAll } = await import('../platform/reseal.ts');
      await withSealedStorage(deps.config(), async ({ db, secretBox, columns }) => {
        const reports = await resealAll({
          db,
          secretBox,
          columns,
          batchSize,
          // Progress on stderr, so --json output stays one document.
          onBatch: ({ coluna, reseladas, falhas }) => process.stderr.write(`${coluna}: ${reseladas} reselados, ${falhas} falhas até agora\n`),
        });
        deps.output.result(deps.json(), { chaveAtual: secretBox.currentVersion, colunas: reports }, () => formatReseal(reports, secretBox.currentVersion));
      });
    });
}
