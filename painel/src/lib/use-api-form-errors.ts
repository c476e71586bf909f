import { useEffect, useMemo } from 'react';
import type { ErrorDetail } from '../api/client.ts';
import { hasPath, splitFieldErrors } from './errors.ts';

type FormLike = { values: unknown; setErrors(errors: Record<string, string>): void };

/**
 * Puts an API error's per-field details beside the form's fields (`error.details[].field` →
 * form path) and returns what is left for a message above the form.
 */
export function useApiFormErrors(form: FormLike, error: unknown, isField?: (path: string) => boolean): { rest: ErrorDetail[]; showAlert: boolean } {
  // Recomputed per error only: the details answer the values that were sent.
  const split = useMemo(() => splitFieldErrors(error, isField ?? ((path) => hasPath(form.values, path))), [error]);
  useEffect(() => {
    if (error) form.setErrors(split.fields);
  }, [split]);
  return { rest: split.rest, showAlert: Boolean(error) && (split.rest.length > 0 || Object.keys(split.fields).length === 0) };
}
