import { sql } from 'kysely';
import type { SecretBox } from './crypto.ts';
import type { Db } from './db/schema.ts';

/**
 * One column that holds sealed values. `single`: the column is one sealed value (rows still under
 * an older key are found in SQL by the key-version prefix). `json`: the column is a document with
 * several sealed parts (the static headers of an integração); every row is read and `rewrite`
 * decides.
 */
export type SealedColumn = {
  table: string;
  idColumn: string;
  column: string;
  kind: 'single' | 'json';
  /** Other columns the associated data is made of. */
  contextColumns?: readonly string[];
  /**
   * The stored value with every sealed part re-sealed through `reseal`, which tries each given
   * associated data in turn; throws when a part opens with none of them.
   */
  rewrite(stored: string, row: Record<string, unknown>, reseal: Reseal): string;
  /** The sealed parts of a stored value, to tell which key sealed each. */
  parts(stored: string): string[];
};

/** Re-seals `sealed` under the newest key with the first associated data that opens it. */
export type Reseal = (sealed: string, associatedData: readonly string[]) => string;

export type ResealReport = {
  /** `table.column` */
  coluna: string;
  /** Values re-sealed under the newest key in this run. */
  reseladas: number;
  /** Values that open with none of the keys in the ring (or with the wrong associated data): left untouched. */
  falhas: number;
  /** Values still under an older key when the run ended (failures and rows written meanwhile included). */
  restantes: number;
};

export type SealedStatus = { coluna: string; total: number; restantes: number; versoes: Record<string, number> };

const nameOf = (column: SealedColumn) => `${column.table}.${column.column}`;
const versionOf = (sealed: string) => sealed.slice(0, sealed.indexOf('.'));

type Row = Record<string, unknown> & { id: string; valor: string };

/** A page of rows after `afterId`, by id; with `pendingFor`, only values not sealed under that key version. */
async function page(db: Db, column: SealedColumn, pendingFor: string | undefined, afterId: string | undefined, limit: number): Promise<Row[]> {
  const prefix = `${pendingFor}.`;
  const extra = (column.contextColumns ?? []).map((name) => sql`, ${sql.ref(name)}`);
  const result = await sql<Row>`
    select ${sql.ref(column.idColumn)} as id, ${sql.ref(column.column)} as valor ${sql.join(extra, sql``)}
    from ${sql.table(column.table)}
    where ${sql.ref(column.column)} is not null
      ${afterId === undefined ? sql`` : sql`and ${sql.ref(column.idColumn)} > ${afterId}`}
      ${pendingFor !== undefined ? sql`and substr(${sql.ref(column.column)}, 1, ${prefix.length}) <> ${prefix}` : sql``}
    order by ${sql.ref(column.idColumn)}
    limit ${limit}`.execute(db);
  return result.rows;
}

async function* pages(db: Db, column: SealedColumn, pendingFor: string | undefined, batchSize: number): AsyncGenerator<Row[]> {
  let afterId: string | undefined;
  for (;;) {
    const rows = await page(db, column, pendingFor, afterId, batchSize);
    if (rows.length === 0) return;
    yield rows;
    afterId = rows[rows.length - 1]!.id;
    if (rows.length < batchSize) return;
  }
}

/** Which key sealed each value of every column: what a rotation still has to re-seal. */
export async function sealedStatus(deps: { db: Db; secretBox: SecretBox; columns: readonly SealedColumn[]; batchSize?: number }): Promise<SealedStatus[]> {
  const statuses: SealedStatus[] = [];
  for (const column of deps.columns) {
    const versoes: Record<string, number> = {};
    let total = 0;
    // Every row: the version counts are the point here, not only the pending ones.
    for await (const rows of pages(deps.db, column, undefined, deps.batchSize ?? 1000)) {
      for (const row of rows) {
        for (const part of column.parts(row.valor)) {
          total += 1;
          versoes[versionOf(part)] = (versoes[versionOf(part)] ?? 0) + 1;
        }
      }
    }
    const restantes = total - (versoes[deps.secretBox.currentVersion] ?? 0);
    statuses.push({ coluna: nameOf(column), total, restantes, versoes });
  }
  return statuses;
}

/**
 * Re-seals every value not sealed with the newest master key, column by column, in batches of
 * `batchSize` rows (each row its own compare-and-set UPDATE: a value changed meanwhile is left to
 * its writer, who sealed it with the newest key anyway). Safe to stop at any moment and run
 * again: a run only looks at what is still under an older key. Values that open with no key in
 * the ring are counted as failures and left as they are.
 */
export async function resealAll(deps: {
  db: Db;
  secretBox: SecretBox;
  columns: readonly SealedColumn[];
  batchSize: number;
  onBatch?: (progress: { coluna: string; reseladas: number; falhas: number }) => void;
}): Promise<ResealReport[]> {
  const current = deps.secretBox.currentVersion;
  const reseal: Reseal = (sealed, associatedData) => {
    if (!deps.secretBox.needsRotation(sealed)) return sealed;
    for (const aad of associatedData) {
      try {
        return deps.secretBox.seal(deps.secretBox.open(sealed, aad), aad);
      } catch {
        // Try the next associated data.
      }
    }
    throw new Error('sealed value opens with none of the keys and associated data');
  };

  const reports: ResealReport[] = [];
  for (const column of deps.columns) {
    let reseladas = 0;
    let falhas = 0;
    // A `single` column is filtered in SQL; a `json` one has to be read whole, `rewrite` decides.
    for await (const rows of pages(deps.db, column, column.kind === 'single' ? current : undefined, deps.batchSize)) {
      for (const row of rows) {
        let next: string;
        try {
          next = column.rewrite(row.valor, row, reseal);
        } catch {
          falhas += 1;
          continue;
        }
        if (next === row.valor) continue;
        const updated = await sql`
          update ${sql.table(column.table)} set ${sql.ref(column.column)} = ${next}
          where ${sql.ref(column.idColumn)} = ${row.id} and ${sql.ref(column.column)} = ${row.valor}`.execute(deps.db);
        if (Number(updated.numAffectedRows ?? 0) > 0) reseladas += 1;
      }
      deps.onBatch?.({ coluna: nameOf(column), reseladas, falhas });
    }
    reports.push({ coluna: nameOf(column), reseladas, falhas, restantes: 0 });
  }
  const statuses = await sealedStatus({ db: deps.db, secretBox: deps.secretBox, columns: deps.columns, batchSize: deps.batchSize });
  return reports.map((report, index) => ({ ...report, restantes: statuses[index]!.restantes }));
}
