import { describe, expect, it } from 'vitest';
import { AppError, assertThat, errorCatalogue, statusOf, type ErrorCode } from './errors.ts';

describe('error catalogue', () => {
  it('maps each code to exactly this HTTP status (changing the table must change this test)', () => {
    const statusByCode = Object.fromEntries(Object.entries(errorCatalogue).map(([code, entry]) => [code, entry.status]));
    expect(statusByCode).toEqual({
      VALIDATION_FAILED: 400,
      MISSING_PARAMETERS: 400,
      MALFORMED_REQUEST: 400,
      INVALID_TOKEN: 401,
      UNAUTHENTICATED: 401,
      INVALID_CREDENTIALS: 401,
      CSRF_REJECTED: 403,
      FORBIDDEN: 403,
      TOKEN_SCOPE_MISSING: 403,
      NOT_FOUND: 404,
      ROUTE_NOT_FOUND: 404,
      APP_NOT_FOUND: 404,
      CONFLICT: 409,
      OPERATOR_CONTRACT_VIOLATED: 422,
      OPERATOR_REFUSED: 422,
      ELEGIBILIDADE_INATIVA: 422,
      BENEFICIARIO_NAO_RECONHECIDO: 422,
      FUNCIONALIDADE_BLOQUEADA: 403,
      CHAVE_PASSE_RECUSADA: 403,
      PAYLOAD_TOO_LARGE: 413,
      UNSUPPORTED_MEDIA_TYPE: 415,
      RATE_LIMITED: 429,
      OPERATOR_UNAVAILABLE: 502,
      INTERNAL: 500,
      SERVICE_UNAVAILABLE: 503,
    });
  });

  it('names every code in UPPER_SNAKE_CASE and gives each a non-empty message', () => {
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(entry.message.trim()).not.toBe('');
    }
  });

  it('keeps the temp-auth failure message the seed fixes', () => {
    expect(errorCatalogue.INVALID_TOKEN.message).toBe('Invalid token.');
  });

  it('builds AppError with the catalogue status and default message, or a specific message', () => {
    const byDefault = new AppError('CONFLICT');
    expect(byDefault).toBeInstanceOf(Error);
    expect(byDefault).toMatchObject({ name: 'AppError', code: 'CONFLICT', status: 409, message: errorCatalogue.CONFLICT.message });

    const specific = new AppError('RATE_LIMITED', 'Aguarde.', { retryAfterSeconds: 7, details: [{ field: 'email', message: 'x' }] });
    expect(specific).toMatchObject({ code: 'RATE_LIMITED', status: 429, message: 'Aguarde.' });
    expect(specific.options).toEqual({ retryAfterSeconds: 7, details: [{ field: 'email', message: 'x' }] });
  });

  it('statusOf reads the same table', () => {
    for (const code of Object.keys(errorCatalogue) as ErrorCode[]) expect(statusOf(code)).toBe(errorCatalogue[code].status);
  });
});

describe('assertThat', () => {
  it('does nothing when the condition holds', () => {
    expect(() => assertThat(true, 'FORBIDDEN')).not.toThrow();
    expect(() => assertThat('texto', 'FORBIDDEN')).not.toThrow();
    expect(() => assertThat({}, 'FORBIDDEN')).not.toThrow();
  });

  it.each([false, 0, '', null, undefined])('throws the AppError of the given code when the condition is %j', (condition) => {
    let thrown: unknown;
    try {
      assertThat(condition, 'TOKEN_SCOPE_MISSING');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'TOKEN_SCOPE_MISSING', status: 403, message: errorCatalogue.TOKEN_SCOPE_MISSING.message });
  });

  it('uses the specific message when one is given', () => {
    expect(() => assertThat(false, 'NOT_FOUND', 'Cliente não encontrado.')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', status: 404, message: 'Cliente não encontrado.' }),
    );
  });

  it('narrows the type for the code after it', () => {
    const maybe: string | undefined = ['cli_1'].find((id) => id.startsWith('cli_'));
    assertThat(maybe !== undefined, 'NOT_FOUND');
    // Compiles only because assertThat narrowed `maybe` to string.
    expect(maybe.length).toBe(5);
  });
});
