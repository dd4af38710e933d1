/**
 * The test-data kit: every test makes its records here. Each builder makes unique data
 * (one database serves the whole run), takes overrides, and goes through the services
 * so every rule holds; the few that write a model directly (a legacy record, a run left
 * pending, a label signed by a key of a chosen status, a capture that died half-way, an
 * Idempotency-Key left mid-request) say why.
 *
 * | I need                                                        | call                                            | in             |
 * | ------------------------------------------------------------- | ----------------------------------------------- | -------------- |
 * | a producer, a product, a certification                        | buildProducer, buildProduct, buildCertification | build/registry |
 * | a product under the 2018 group list                           | buildLegacyProduct                              | build/registry |
 * | a batch of a product                                          | buildBatch                                      | build/batches  |
 * | a certified product with a batch (certification in any state) | buildLabelledBatch                              | build/labels   |
 * | ... and a run issued over the API, with the producer's key    | issueRunThroughApi                              | build/labels   |
 * | ... and a run record to sign labels into (issued, pending...) | buildIssuedRun, then issueLabel or signLabel    | build/labels   |
 * | a signing key with a status, a counterfeiter's key            | registerKey, strangerKey                        | build/labels   |
 * | a run that died half-way                                      | buildInterruptedRun                             | build/labels   |
 * | a batch for value-chain events, and events about it           | buildEventBatch, objectEvent, epcisDoc          | build/events   |
 * | a capture that died half-way                                  | buildStalledCapture                             | build/events   |
 * | the API body of a new producer, of a new batch; a batch's own | producerInput, batchInput, batchInputOf         | build/registry, build/batches |
 * | an Idempotency-Key mid-request, after a lost answer, or aged  | leaveRunningAttempt, leaveLostAnswer, ageIdempotencyKey | build/idempotency |
 * | a certification decision file (CSV) for the office's import     | newDecision, decisionRow, decisionCsv           | build/decisions |
 *
 * Beside the kit: keys to call the API with and the apps under test are in app.ts
 * (apiKeyFor, bearer, buildTestApp, verificationApp); reading a printed label back as a
 * phone does is in scanner.ts; the run's database is database.ts.
 */
export * from './build/registry.js';
export * from './build/batches.js';
export * from './build/labels.js';
export * from './build/events.js';
export * from './build/idempotency.js';
export * from './build/accounts.js';
export * from './build/decisions.js';
