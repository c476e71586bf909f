import { describe, expect, it } from 'vitest';
import { compilePattern, patternProblem, unsupportedConstruct } from './forms.pattern.ts';
import { compileLinearPattern, linearEnginePatternProblem } from './forms.regex.ts';

/**
 * The save-time checks: constructs RE2 lacks, and catastrophic backtracking (for the engines Ponte
 * does not control). Refused patterns are named by why they are refused; accepted ones must still
 * do what their author meant, in JavaScript's engine and in RE2, which the server runs.
 */

/** The audit's pattern: it passed the old backtracking budget and cost ~50 ms per 1 000-character value. */
const AUDIT_PATTERN = '(?!(?:.*){2}x)'.repeat(14);

const refused: [pattern: string, reason: RegExp][] = [
  ['(a+)+', /aninhados/],
  ['(a*)*b', /aninhados/],
  ['(\\d{1,3}\\.)+', /aninhados/],
  ['[a-z]+(?:-[a-z]+)*', /aninhados/],
  ['(?:(?=.*.*x)a)+', /lookahead/],
  ['(a|b)+', /alternativas/],
  ['(a|ab)*c', /alternativas/],
  ['(a?){30}', /complexo/],
  ['a?'.repeat(15), /complexo/],
  ['.*.*.*x', /complexo/],
  ['a*a*a*x', /complexo/],
  ['\\w+@\\w+\\.\\w+', /complexo/],
  ['.*(?=.*.*x)', /lookahead/],
  [AUDIT_PATTERN, /lookahead/],
  ['(?<=a)b', /lookbehind/],
  ['(?<!a)b', /lookbehind/],
  ['(?:a|a)'.repeat(14), /complexo/],
  ['(a)\\1', /referência a grupo/],
  ['(?<x>a)\\k<x>', /referência a grupo/],
  ['(', /não é uma expressão regular válida/],
  ['[a-', /não é uma expressão regular válida/],
  ['\\-', /não é uma expressão regular válida/],
  ['a'.repeat(201), /no máximo 200/],
];

const accepted: [pattern: string, matches: string[], rejects: string[]][] = [
  ['\\d{6,8}', ['123456', '12345678'], ['12345', '123456789', '12a456']],
  ['[A-Z]{2}\\d{4,8}', ['SP1234'], ['sp1234', 'SP123']],
  ['\\(?\\d{2}\\)? ?9?\\d{4}-?\\d{4}', ['(11) 98765-4321', '1134567890'], ['98765-4321']],
  ['\\d{5}-?\\d{3}', ['01310-100', '01310100'], ['0131-0100']],
  ['(\\d{1,3}\\.){3}\\d{1,3}', ['192.168.0.1'], ['192.168.0']],
  ['(?:\\w+ )?\\w+', ['Maria', 'Maria Silva'], ['Maria  Silva']],
  ['(ab)+', ['abab'], ['aba']],
  ['\\p{L}+ \\p{L}+', ['José Silva'], ['José']],
  ['.*.*', ['qualquer coisa'], []],
  ['MAT|CPF', ['MAT', 'CPF'], ['MATCPF']],
  ['.*\\d.*', ['senha1'], ['senha']],
  ['\\(?=x\\)', ['(=x)', '=x)'], ['x']],
  ['[(?=]x', ['(x', '?x', '=x'], ['x']],
  ['(?<ano>\\d{4})-\\d{2}', ['2024-05'], ['24-05']],
];

describe('patternProblem', () => {
  it.each(refused)('refuses %j', (pattern, reason) => {
    expect(patternProblem(pattern)).toMatch(reason);
  });

  it.each(accepted)('accepts %j and applies it to the whole value, in JavaScript and in RE2 alike', (pattern, matches, rejects) => {
    expect(patternProblem(pattern)).toBeUndefined();
    expect(linearEnginePatternProblem(pattern)).toBeUndefined();
    for (const re of [compilePattern(pattern), compileLinearPattern(pattern)]) {
      for (const value of matches) expect(re.test(value), value).toBe(true);
      for (const value of rejects) expect(re.test(value), value).toBe(false);
    }
  });
});

describe('unsupportedConstruct and RE2', () => {
  it('names lookaround and back-references, not look-alikes inside escapes or classes', () => {
    expect(unsupportedConstruct('\\(?=')).toBeUndefined();
    expect(unsupportedConstruct('[(?!]')).toBeUndefined();
    expect(unsupportedConstruct('[\\]](?=a)')).toMatch(/lookahead/);
    expect(unsupportedConstruct('\\\\1')).toBeUndefined();
    expect(unsupportedConstruct('a\\1')).toMatch(/referência a grupo/);
  });

  it('refuses at save what RE2 cannot compile, in Portuguese, even when JavaScript would run it', () => {
    expect(linearEnginePatternProblem(AUDIT_PATTERN)).toMatch(/lookahead/);
    // RE2 caps the size of a compiled program; JavaScript would accept it.
    expect(linearEnginePatternProblem('(?:a{1000}){1000}')).toMatch(/não aceita/);
  });
});
