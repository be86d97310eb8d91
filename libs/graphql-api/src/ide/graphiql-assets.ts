import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The GraphQL IDE, served from this process with no CDN (these machines have no internet):
 * GraphiQL 3's UMD build and React 18's UMD builds from node_modules, and a page and a start
 * script of our own. The page has no inline script, so it can be served with a strict
 * Content-Security-Policy. None of it carries data: every query the IDE sends is authenticated
 * with the key the user types into its headers editor.
 */
export const IDE_ASSET_ROUTE = 'graphql-ide';

interface Asset {
  readonly contentType: string;
  readonly load: () => Buffer;
}

const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));
// react and react-dom do not export package.json; their entry points sit at the package root.
const entryDir = (name: string): string => dirname(require.resolve(name));
const file = (path: () => string) => () => readFileSync(path());

const JS = 'text/javascript; charset=utf-8';

/** Started by `ide.js` once React and GraphiQL are loaded: the key goes in the headers editor, never in storage. */
const START_SCRIPT = `'use strict';
(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: 'headers',
      defaultHeaders: JSON.stringify({ Authorization: 'Bearer <paste your nhil_ key here>' }, null, 2),
      defaultQuery:
        '# Put your API key in the Headers tab below, then run a query.\\n' +
        'query Orphans {\\n  orphans(first: 10) {\\n    totalCount\\n    edges { node { id name platform lineage { status reason } } }\\n  }\\n}\\n',
    }),
  );
})();
`;

const ASSETS: Readonly<Record<string, Asset>> = {
  'graphiql.min.js': { contentType: JS, load: file(() => join(packageDir('graphiql'), 'graphiql.min.js')) },
  'graphiql.min.css': {
    contentType: 'text/css; charset=utf-8',
    load: file(() => join(packageDir('graphiql'), 'graphiql.min.css')),
  },
  'react.production.min.js': {
    contentType: JS,
    load: file(() => join(entryDir('react'), 'umd', 'react.production.min.js')),
  },
  'react-dom.production.min.js': {
    contentType: JS,
    load: file(() => join(entryDir('react-dom'), 'umd', 'react-dom.production.min.js')),
  },
  'ide.js': { contentType: JS, load: () => Buffer.from(START_SCRIPT) },
  'ide.css': {
    contentType: 'text/css; charset=utf-8',
    load: () => Buffer.from('html, body { margin: 0; height: 100%; } #graphiql { height: 100vh; }\n'),
  },
};

export const IDE_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>nhi-lineage · GraphQL</title>
    <link rel="stylesheet" href="/${IDE_ASSET_ROUTE}/graphiql.min.css" />
    <link rel="stylesheet" href="/${IDE_ASSET_ROUTE}/ide.css" />
  </head>
  <body>
    <div id="graphiql">Loading the GraphQL IDE…</div>
    <script src="/${IDE_ASSET_ROUTE}/react.production.min.js"></script>
    <script src="/${IDE_ASSET_ROUTE}/react-dom.production.min.js"></script>
    <script src="/${IDE_ASSET_ROUTE}/graphiql.min.js"></script>
    <script src="/${IDE_ASSET_ROUTE}/ide.js"></script>
  </body>
</html>
`;

/** Scripts and styles from this origin only; GraphiQL sets inline styles, and draws icons as data: URLs. */
export const IDE_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const cache = new Map<string, { contentType: string; body: Buffer }>();

/** An IDE asset by file name (read once, then kept), or null for any other name. */
export function ideAsset(name: string): { contentType: string; body: Buffer } | null {
  const known = cache.get(name);
  if (known) return known;
  if (!Object.prototype.hasOwnProperty.call(ASSETS, name)) return null;
  const asset = ASSETS[name]!;
  const loaded = { contentType: asset.contentType, body: asset.load() };
  cache.set(name, loaded);
  return loaded;
}

/** The asset file names, for tests and docs. */
export const IDE_ASSET_NAMES = Object.keys(ASSETS);
