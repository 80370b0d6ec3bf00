// The layers of src/, checked by `npm run lint` (dependency-cruiser): a folder imports only the folders
// below it, and nothing imports in a circle. The order is the one list below; each rule is generated
// from it. docs/ARCHITECTURE.md explains what each layer owns.

/** Lowest first. Folders on one line are one layer: they may not import each other either way. */
const LAYERS = [
  ['events'],
  ['store'],
  ['metrics', 'classify'],
  ['ingest', 'tracking'],
  ['webhooks'],
  ['replies'],
  ['demo'],
  ['http'],
  ['dashboard'],
  ['server'],
  ['cli'],
];

/** Tests sit beside their module and may drive the layers above it (a store's test runs reports). */
const TEST = '\\.test\\.ts$';
const folder = (name) => `^src/${name}/`;
const anyOf = (names) => `^src/(${names.join('|')})/`;

const upward = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  return layer.map((name) => ({
    name: `no-upward-from-${name}`,
    comment: `${name} is below ${above.join(', ')}: it may not import them`,
    severity: 'error',
    from: { path: folder(name), pathNot: TEST },
    to: { path: anyOf(above) },
  }));
}).filter((rule) => !rule.to.path.endsWith('()/'));

const sideways = LAYERS.filter((layer) => layer.length > 1).flatMap((layer) =>
  layer.map((name) => ({
    name: `no-sideways-from-${name}`,
    comment: `${name} shares a layer with ${layer.filter((n) => n !== name).join(', ')}: neither imports the other`,
    severity: 'error',
    from: { path: folder(name), pathNot: TEST },
    to: { path: anyOf(layer.filter((n) => n !== name)) },
  })),
);

module.exports = {
  forbidden: [
    ...upward,
    ...sideways,
    {
      name: 'no-circular',
      comment: 'a cycle makes two modules one: split what they share into a module below both',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-support-in-product',
      comment: 'test support lives in test/ and is imported by tests only',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST },
      to: { path: '^test/' },
    },
    {
      name: 'no-tests-in-product',
      comment: 'a module never imports a test file',
      severity: 'error',
      from: { pathNot: TEST },
      to: { path: TEST },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/dashboard/web/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
