import { faultModesHelp } from './faults.ts';

/** The text after `ponte operator-sim --help`: fault modes and the simulator-only routes. */
export function operatorSimHelp(): string {
  return [
    faultModesHelp(),
    '',
    'Rotas só do simulador (uma operadora real não as tem):',
    '  GET  /__simulador/chamadas       contagem por método, últimos headers e corpo recebidos',
    '  POST /__simulador/reset          zera contadores, volta as senhas do seed e a falha inicial',
    '  POST /__simulador/falha          {"modo": "<modo>" | null, "metodos"?: ["login", …]} troca a falha',
    '  POST /__simulador/expirar-grupo  invalida os tokens do grupo de autorização já emitidos',
    '',
    'Como o servidor web de uma operadora:',
    '  GET  /webview/boas-vindas         página de exemplo de funcionalidade (WebView): troca a chavePasse',
    '                                   pelos dados do usuário na Ponte (--ponte-url e PONTE_TOKEN); a URL',
    '                                   cadastrada na funcionalidade traz instanciaApp e chaveFuncionalidade',
  ].join('\n');
}
