/**
 * The boundaries between features, checked on every `npm test` (npm run check:boundaries).
 * A feature is a folder under src/ (accounts, batches, events, labels, registry, verify…);
 * src/reference/ holds data every feature reads; src/http/ is the web edge.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide which side owns what: split the shared part out.',
      from: { path: '^(src|scripts)/' },
      to: { circular: true },
    },
    {
      name: 'no-other-features-model',
      severity: 'error',
      comment:
        "A feature reads and writes its own collections only: call the other feature's service (e.g. findBatch, " +
        'findProduct, currentCertificationFor) instead of its *.model.ts.',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/.+\\.model\\.ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'no-model-outside-features',
      severity: 'error',
      comment: 'Top-level modules and scripts use services, not models (benchmarks may write their fixtures in bulk).',
      from: { path: '^(src/[^/]+\\.ts|scripts/(?!bench/).+)$', pathNot: '^src/db\\.ts$' },
      to: { path: '\\.model\\.ts$' },
    },
    {
      name: 'no-model-in-routes',
      severity: 'error',
      comment: 'Routes parse, ask the policy, call a service and present: they never query a model.',
      from: { path: '\\.routes\\.ts$' },
      to: { path: '\\.model\\.ts$' },
    },
    {
      name: 'http-only-from-routes',
      severity: 'error',
      comment:
        'Services, models and presenters must not depend on Express plumbing (src/http/): only routes and app.ts do. ' +
        'Errors, i18n, templates and the policy live outside src/http/ for that reason.',
      from: { path: '^src/', pathNot: ['^src/http/', '^src/app\\.ts$', '\\.routes\\.ts$'] },
      to: { path: '^src/http/' },
    },
    {
      name: 'reference-is-a-leaf',
      severity: 'error',
      comment:
        'Reference data (administrative units, product groups) is read by every feature, so it depends on none. ' +
        'Its routes are the web edge and ask the policy like every route.',
      from: { path: '^src/reference/', pathNot: '\\.routes\\.ts$' },
      to: { path: '^src/(accounts|audit|batches|events|labels|registry|verify|inspections|policy)/' },
    },
    {
      name: 'request-policy-only-from-routes',
      severity: 'error',
      comment:
        'Services get the principal as plain data and ask src/policy/policy.ts; only routes and app.ts read it off a ' +
        'request (src/policy/principal-of-request.ts), and the one piece of web edge that acts per caller: ' +
        'src/http/idempotency.ts (Idempotency-Keys are kept per API key).',
      from: { path: '^src/', pathNot: ['^src/policy/', '^src/app\\.ts$', '\\.routes\\.ts$', '^src/http/idempotency\\.ts$'] },
      to: { path: '^src/policy/principal-of-request\\.ts$' },
    },
    {
      name: 'src-not-to-test',
      severity: 'error',
      comment: 'The service never loads test code (benchmarks in scripts/bench may reuse the test kit).',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^dist/' },
  },
};
