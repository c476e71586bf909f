// `npm ci` / `npm install` run this (the root `prepare` script): build the painel so `npm start`
// serves it on a fresh clone. A production install without devDependencies has no Vite: it says
// so and goes on — the server then answers /painel with a page asking for `npm run build:painel`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  require.resolve('vite/package.json');
} catch {
  console.warn('painel: Vite não está instalado (instalação sem devDependencies); o painel não foi compilado. Rode `npm run build:painel` depois de instalar as dependências de desenvolvimento.');
  process.exit(0);
}
const build = spawnSync('npm', ['run', 'build:painel'], { stdio: 'inherit' });
process.exit(build.status ?? 1);
