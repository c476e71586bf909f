import { Help, type Command } from 'commander';

/**
 * Commander speaks English; the people who run `ponte` read Portuguese. Its help titles, its
 * placeholders and its error messages are translated here, once, on the root command: the
 * subcommands inherit the help and output settings (commander's `copyInheritedSettings`). Only
 * commander is imported, so `ponte --help` stays as light as before (test/cli-startup.test.ts).
 */

const titles: Record<string, string> = {
  'Usage:': 'Uso:',
  'Options:': 'Opções:',
  'Commands:': 'Comandos:',
  'Arguments:': 'Argumentos:',
  'Global Options:': 'Opções globais:',
};

const placeholders = (text: string) => text.replace(/\[options\]/g, '[opções]').replace(/\[command\]/g, '[comando]');
/** The "(default: …, env: …)" commander appends to a description. */
const extraInfo = (text: string | undefined) =>
  (text ?? '').replace(/\(((?:choices|default|preset|env): .*)\)$/, (_all, inner: string) =>
    `(${inner.replace(/(^|, )default: /g, '$1padrão: ').replace(/(^|, )env: /g, '$1variável: ').replace(/(^|, )choices: /g, '$1valores: ').replace(/(^|, )preset: /g, '$1sem valor: ')})`,
  );

/** Commander's error messages, as printed (`error: …`), in Portuguese; anything unknown keeps its text after `erro:`. */
export function commanderMessageInPortuguese(message: string): string {
  const rules: [RegExp, string | ((...groups: string[]) => string)][] = [
    [/\(Did you mean one of (.+)\?\)/, '(Quis dizer uma destas: $1?)'],
    [/\(Did you mean (.+)\?\)/, '(Quis dizer $1?)'],
    [/error: unknown option '(.+?)'/, "erro: opção desconhecida '$1'"],
    [/error: unknown command '(.+?)'/, "erro: comando desconhecido '$1'"],
    [/error: missing required argument '(.+?)'/, "erro: falta o argumento obrigatório '$1'"],
    [/error: option '(.+?)' argument missing/, "erro: falta o valor da opção '$1'"],
    [/error: required option '(.+?)' not specified/, "erro: a opção obrigatória '$1' não foi informada"],
    [
      /error: too many arguments(?: for '(.+?)')?\. Expected (\d+) arguments? but got (\d+)\./,
      (_all, command: string | undefined, expected: string, got: string) =>
        `erro: argumentos demais${command ? ` para '${command}'` : ''}: ${expected === '0' ? 'nenhum esperado' : `esperado(s) ${expected}`}, recebido(s) ${got}.`,
    ],
    [/error: option '(.+?)' argument '(.+?)' is invalid\./, "erro: valor '$2' inválido para a opção '$1'."],
    [/error: option '(.+?)' value '(.+?)' from env '(.+?)' is invalid\./, "erro: valor '$2' da variável $3 inválido para a opção '$1'."],
    [/error: (.+) cannot be used with (.+)/, 'erro: $1 não pode ser usada com $2'],
    [/^error: /, 'erro: '],
  ];
  let text = message;
  for (const [pattern, replacement] of rules) text = text.replace(pattern, replacement as string);
  return text;
}

/** Applies the Portuguese help, messages and help option to `program` (call before adding subcommands). */
export function speakPortuguese(program: Command, options: { writeErr: (text: string) => void; version: string }): Command {
  return program
    .configureHelp({
      styleTitle: (title: string) => titles[title] ?? title,
      commandUsage(this: Help, cmd: Command) {
        return placeholders(Help.prototype.commandUsage.call(this, cmd));
      },
      subcommandTerm(this: Help, cmd: Command) {
        return placeholders(Help.prototype.subcommandTerm.call(this, cmd));
      },
      optionDescription(this: Help, option) {
        return extraInfo(Help.prototype.optionDescription.call(this, option));
      },
      argumentDescription(this: Help, argument) {
        return extraInfo(Help.prototype.argumentDescription.call(this, argument));
      },
    })
    .configureOutput({
      writeErr: options.writeErr,
      outputError: (message, write) => write(commanderMessageInPortuguese(message)),
    })
    .helpOption('-h, --help', 'exibe a ajuda do comando')
    .helpCommand('help [comando]', 'exibe a ajuda de um comando')
    .version(options.version, '-v, --version', 'mostra a versão da Ponte')
    .showHelpAfterError('(use --help para ver as opções)');
}
