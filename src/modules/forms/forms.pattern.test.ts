import { describe, expect, it } from 'vitest';
import { compilePattern, patternProblem } from './forms.pattern.ts';

/**
 * The save-time guard against catastrophic backtracking. Refused patterns are named by why they are
 * refused; accepted ones must still do what their author meant.
 */

const refused: [pattern: string, reason: RegExp][] = [
  ['(a+)+', /aninhados/],
  ['(a*)*b', /aninhados/],
  ['(\\d{1,3}\\.)+', /aninhados/],
  ['[a-z]+(?:-[a-z]+)*', /aninhados/],
  ['(?:(?=.*.*x)a)+', /aninhados/],
  ['(a|b)+', /alternativas/],
  ['(a|ab)*c', /alternativas/],
  ['(a?){30}', /complexo/],
  ['a?'.repeat(15), /complexo/],
  ['.*.*.*x', /complexo/],
  ['a*a*a*x', /complexo/],
  ['\\w+@\\w+\\.\\w+', /complexo/],
  ['.*(?=.*.*x)', /complexo/],
  ['(?:a|a)'.repeat(14), /complexo/],
  ['(a)\\1', /referências/],
  ['(?<x>a)\\k<x>', /referências/],
  ['(', /não é uma expressão regular válida/],
  ['[a-', /não é uma expressão regular válida/],
  ['\\-', /não é uma expressão regular válida/],
  ['a'.repeat(201), /no máximo 200/],
];

const accepted: [pattern: string, matches: string[], rejects: string[]][] = [
  ['\\d{6,8}', ['123456', '12345678'], ['12345', '123456789', '12a456']],
  ['[A-Z]{2}\\d{4,8}', ['SP1234'], ['sp1234', 'SP123']],
  ['(?=.*[A-Z])(?=.*\\d).{8,}', ['Senha123'], ['senha123', 'SENHAAAA', 'Se1']],
  ['\\(?\\d{2}\\)? ?9?\\d{4}-?\\d{4}', ['(11) 98765-4321', '1134567890'], ['98765-4321']],
  ['\\d{5}-?\\d{3}', ['01310-100', '01310100'], ['0131-0100']],
  ['(\\d{1,3}\\.){3}\\d{1,3}', ['192.168.0.1'], ['192.168.0']],
  ['(?:\\w+ )?\\w+', ['Maria', 'Maria Silva'], ['Maria  Silva']],
  ['(ab)+', ['abab'], ['aba']],
  ['\\p{L}+ \\p{L}+', ['José Silva'], ['José']],
  ['.*.*', ['qualquer coisa'], []],
  ['MAT|CPF', ['MAT', 'CPF'], ['MATCPF']],
];

describe('patternProblem', () => {
  it.each(refused)('refuses %j', (pattern, reason) => {
    expect(patternProblem(pattern)).toMatch(reason);
  });

  it.each(accepted)('accepts %j and applies it to the whole value', (pattern, matches, rejects) => {
    expect(patternProblem(pattern)).toBeUndefined();
    const re = compilePattern(pattern);
    for (const value of matches) expect(re.test(value), value).toBe(true);
    for (const value of rejects) expect(re.test(value), value).toBe(false);
  });
});
