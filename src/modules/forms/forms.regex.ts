import RE2 from 're2';
import { unsupportedConstruct } from './forms.pattern.ts';

/**
 * The engine submissions are checked with: RE2 (the `re2` package, a native addon built by
 * `npm ci`). It matches in time linear in the value's length, whatever the pattern, so a pattern
 * saved by one editor cannot make anonymous logins cost seconds of a node's CPU — which the
 * save-time checks of `forms.pattern.ts` alone could not promise (a pattern of nested lookaheads
 * passed them and cost ~50 ms per 1 000-character value in V8's backtracking engine).
 *
 * RE2 reads the JavaScript syntax Ponte accepts (`u` flag, `\d`, `\p{L}`, `{n,m}`, named groups)
 * but has no lookaround nor back-references: such patterns are refused at save. Small differences
 * remain in corner cases (e.g. `\s` is ASCII whitespace only in RE2); the server's answer is the
 * one that counts, and the painel's preview asks the server.
 */

/** Compiles a saved pattern as it is applied: to the whole value. Throws when RE2 cannot run it. */
export function compileLinearPattern(pattern: string): RE2 {
  return new RE2(`^(?:${pattern})$`, 'u');
}

/** Why RE2 cannot run `pattern`, in Portuguese; undefined when it can. */
export function linearEnginePatternProblem(pattern: string): string | undefined {
  const unsupported = unsupportedConstruct(pattern);
  if (unsupported) return unsupported;
  try {
    compileLinearPattern(pattern);
    return undefined;
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: /, '').slice(0, 200);
    return `O padrão usa um recurso que a Ponte não aceita (${reason}): os padrões rodam num mecanismo de tempo linear (RE2). Use classes de caracteres, repetições ({n,m}, *, +, ?) e alternativas (a|b).`;
  }
}
