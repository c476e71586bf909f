import { notifications } from '@mantine/notifications';
import { ApiError, type ErrorDetail } from '../api/client.ts';

/** `headers[0].nome` (service) and `headers.0.nome` (schema) both become the form path `headers.0.nome`. */
export function formPath(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

/**
 * Splits an API error's details into those that belong to a field of the form (by path, or by the
 * path's parent: an error on `metodos.login` shows at `metodos.login.url` if that is what exists)
 * and the rest, which the form shows above itself.
 */
export function splitFieldErrors(error: unknown, isField: (path: string) => boolean): { fields: Record<string, string>; rest: ErrorDetail[] } {
  const fields: Record<string, string> = {};
  const rest: ErrorDetail[] = [];
  if (!(error instanceof ApiError)) return { fields, rest };
  for (const detail of error.details) {
    const path = detail.field ? formPath(detail.field) : '';
    if (path && isField(path)) fields[path] = fields[path] ? `${fields[path]} ${detail.message}` : detail.message;
    else rest.push(detail);
  }
  return { fields, rest };
}

/** Whether `path` (dot notation) names a value inside `values`. */
export function hasPath(values: unknown, path: string): boolean {
  let current: unknown = values;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !(key in current)) return false;
    current = (current as Record<string, unknown>)[key];
  }
  return true;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Algo deu errado. Tente novamente.';
}

export function notifySuccess(message: string, title = 'Pronto'): void {
  notifications.show({ color: 'teal', title, message, autoClose: 3000 });
}

export function notifyError(error: unknown, title = 'Não foi possível concluir'): void {
  const requestId = error instanceof ApiError && error.requestId ? ` (id ${error.requestId})` : '';
  notifications.show({ color: 'red', title, message: `${errorMessage(error)}${requestId}`, autoClose: 8000 });
}
