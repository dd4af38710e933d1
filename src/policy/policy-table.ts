/**
 * Who may do what: one row per action, one answer per kind of caller. Pure data, no I/O.
 *
 * Callers come in five kinds. A producer key acts for one producer, so for it the answer
 * depends on whose record it touches: `own` when the record's producerId is the key's,
 * `other` otherwise. Routes ask before any record is loaded (a producer key then gets
 * the `own` answer); services ask again with the record once they have it
 * (`assertMay(principal, 'batch.create', { producerId })`).
 *
 * A key cell is `allow` or `forbid` (403 auth/forbidden); the anonymous cell is `allow`
 * or `key` (401 auth/unauthorized: send a key). A key that is sent must be valid on
 * every route (401 otherwise), the public ones too. `inline` marks the few open routes
 * mounted with openRoute() instead of behind allow() — the verification hot path,
 * probes, static files — where a request without a key touches no policy code at all.
 *
 * Inspectors are market inspectors checking packages in shops. They need to follow a
 * lot from the package in their hand back to the producer: every batch, label run and
 * label, and the commercial references (purchase orders, invoices) on its events that
 * show where the goods came from. They never write a producer's data, never print or
 * void labels (a label image in the wrong hands is a counterfeit), and do not see a
 * household's personal contact details, which stay with the household and the admins.
 */
export type KeyAnswer = 'allow' | 'forbid';
export type AnonymousAnswer = 'allow' | 'key';

export type Rule = Readonly<{
  admin: KeyAnswer;
  own: KeyAnswer;
  other: KeyAnswer;
  inspector: KeyAnswer;
  anonymous: AnonymousAnswer;
  /** What the caller tries to do, as it reads after "may" in a refusal ("create a batch"). */
  what: string;
  inline?: true;
}>;

/** The answers for one kind of caller, for tests and docs that walk the table. */
export const CALLER_KINDS = ['admin', 'own', 'other', 'inspector', 'anonymous'] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

const A = 'allow';
const F = 'forbid';
const K = 'key';

/** Open to everyone; the key is read when sent (401 if it is bad), since some views depend on it. */
const anyone = (what: string): Rule => ({ admin: A, own: A, other: A, inspector: A, anonymous: A, what });
/** Open to everyone, checked inline by openRoute(): no key, no policy code; a key sent is still checked. */
const open = (what: string): Rule => ({ ...anyone(what), inline: true });
/** Admin keys only. */
const adminOnly = (what: string): Rule => ({ admin: A, own: F, other: F, inspector: F, anonymous: K, what });
/** Admins and the record's own producer: a producer's writes. */
const ownerWrites = (what: string): Rule => ({ admin: A, own: A, other: F, inspector: F, anonymous: K, what });
/** Admins, the record's own producer and inspectors: reads of non-public producer data. */
const ownerAndInspectorReads = (what: string): Rule => ({ admin: A, own: A, other: F, inspector: A, anonymous: K, what });

const TABLE = {
  // The service's own pages and probes.
  'site.read': open('open the home page or a static file'),
  'health.read': open('ask whether the service is up'),
  // The API's own description and its reference page: public, like the docs they render.
  'api_docs.read': open('read the API description or its reference page'),

  // The resolver: whoever holds a package may check its label, with or without a key, and
  // any GS1 Digital Link of a registered product leads to its public links.
  'verify.read': open('verify a label or resolve a GS1 Digital Link'),
  // A CORS preflight too: a web page elsewhere may read the resolver's answers (GS1 resolver standard).
  'resolver.read': open('read the resolver description, the public signing keys or a CORS preflight answer'),
  // What an offline verifier needs besides the keys: revoked keys, runs, voided labels, ended certifications. No personal data.
  'revocation_list.read': open('read the signed revocation list'),
  // A photo of a label read on the server when the phone's camera stream fails. Any valid key for now (inspectors' accounts come later).
  'label_photo.decode': { admin: A, own: A, other: A, inspector: A, anonymous: K, what: 'decode a photo of a label' },
  // Anyone holding a suspicious package may report it, no account; the reports name
  // products and may carry the reporter's contact, so only admins and inspectors read them.
  'report.create': open('report a product'),
  'report.read': { admin: A, own: F, other: F, inspector: A, anonymous: K, what: 'read product reports' },

  // Counts of the public registry and of scans, nothing about any one record or person.
  'statistics.read': anyone('read the public statistics'),
  // The public OCOP registry: search, product and producer pages, the serial lookup, and
  // its open data. Read from an in-process index without a key: no policy code per request.
  'catalogue.read': open('search the OCOP registry or read its product and producer pages'),
  'open_data.read': open('search or download the OCOP registry as open data'),

  // Reference data (administrative units, product groups) is public law.
  'reference.read': anyone('read reference data'),

  // The OCOP registry is public; provinces record it, so writes are admin only.
  'producer.read': anyone('read producers'),
  // A household business is a person: its phone, e-mail, contact person and street.
  'producer.read_private': { admin: A, own: A, other: F, inspector: F, anonymous: K, what: "read a household's contact details" },
  'producer.create': adminOnly('create a producer'),
  'producer.update': adminOnly('change a producer'),
  'product.read': anyone('read products'),
  'product.create': adminOnly('create a product'),
  'product.update': adminOnly('change a product'),
  'certification.read': anyone('read certifications'),
  'certification.create': adminOnly('record a certification'),
  'certification.revoke': adminOnly('revoke a certification'),
  // Places partners name in events (GLN / SGLN) and the commune each lies in: public, as timelines show them.
  'location.read': anyone('read registered locations'),
  'location.create': ownerWrites("register a location of this producer"),

  // Lots are the producer's business records; inspectors trace them.
  'batch.create': ownerWrites("create a batch of this producer's product"),
  'batch.read': ownerAndInspectorReads("read this producer's batches"),

  // Labels: issuing, printing and voiding are the producer's; inspectors read states.
  'label_run.issue': ownerWrites("issue labels for this producer's batch"),
  'label_run.read': ownerAndInspectorReads("read this producer's label runs"),
  'label_run.revoke': ownerWrites("revoke this producer's label run"),
  'label.read': ownerAndInspectorReads("read this producer's labels"),
  // The printable QR (SVG, PNG, sheet, CSV, the signed URL): a copy is a working label.
  'label.print': ownerWrites("print this producer's labels"),
  'label.void': ownerWrites("void this producer's label"),

  // Signing keys sign every label: only admins manage them.
  'signing_key.read': adminOnly('list signing keys'),
  'signing_key.rotate': adminOnly('rotate the signing key'),
  'signing_key.revoke': adminOnly('revoke a signing key'),

  // Value-chain events are public traceability data, except commercial references.
  'event.read': anyone('read value-chain events'),
  'event.read_private': ownerAndInspectorReads("read the business transactions of this producer's events"),
  // The chain check recomputed on request (it reads the whole batch); others get the last check, at most a minute old.
  'event.check_chain_now': ownerAndInspectorReads("recompute this producer's event chain on request"),
  // A query naming no batch or product reads every event (and sorts them in memory).
  'event.query_all': adminOnly('query across all events'),
  'event.capture': ownerWrites("capture events for this producer's batches"),
  // A capture's status: the key that sent it; admins see every capture.
  'event.capture_status': { admin: A, own: A, other: A, inspector: F, anonymous: K, what: 'read a capture status' },
  'event.capture_status_any': adminOnly("read another key's capture"),

  // API keys are the way in: only admins make and revoke them.
  'api_key.create': adminOnly('create an API key'),
  'api_key.read': adminOnly('list API keys'),
  'api_key.revoke': adminOnly('revoke an API key'),

  // People's accounts. Logging in, out and setting a password from a reset link need no
  // account yet (the forms carry a CSRF token); the rest is the user's own account, or
  // the programme office's list of users.
  'account.login': open('log in, log out, or set a password from a reset link'),
  'account.read_own': { admin: A, own: A, other: A, inspector: A, anonymous: K, what: 'see your own account' },
  'account.update_own': { admin: A, own: A, other: A, inspector: A, anonymous: K, what: 'change your password, end your sessions or manage your own API keys' },
  'user.read': adminOnly('list user accounts'),
  'user.create': adminOnly('create a user account'),
  'user.reset_password': adminOnly("make a link to set a user's password"),
  'user.disable': adminOnly('disable or enable a user account'),
} satisfies Record<string, Rule>;

export type Action = keyof typeof TABLE;
export const POLICY: Readonly<Record<Action, Rule>> = TABLE;

export const ACTIONS = Object.keys(POLICY) as Action[];
