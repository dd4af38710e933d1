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
 *
 * The programme is run province by province with the ministry above: a provincial
 * People's Committee decides 1–4★, the ministry 5★. So admins and inspectors carry a
 * scope (principal.ts): a provincial admin one province, the national office none (every
 * province), an inspector the provinces they work in. A rule's `scoped` marker says how
 * far a scoped caller reaches once its column allows (policy.ts `inScope` decides, on the
 * province the service sends with the record: the producer's commune's province):
 * - `province`: only records of the caller's provinces;
 * - `decision`: the same, and a 5★ certification is the national office's alone;
 * - `national`: the whole country at once (every event, the signing keys that sign every
 *   label, another key's capture), so the national office only.
 * Producer keys have no province: their reach is their producer (own / other).
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
  /** How far a caller with a province scope reaches (see above); unset: the scope plays no part. */
  scoped?: Scoped;
}>;

export const SCOPES = ['province', 'decision', 'national'] as const;
export type Scoped = (typeof SCOPES)[number];

/** The stars from which the ministry decides (Decision 148/2023): only the national office records or revokes them. */
export const NATIONAL_STARS = 5;

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
/** Admins and the record's own producer: a producer's writes (an admin of the producer's province or the national office). */
const ownerWrites = (what: string): Rule => ({ admin: A, own: A, other: F, inspector: F, anonymous: K, what, scoped: 'province' });
/** Admins, the record's own producer and inspectors: reads of non-public producer data, in the caller's provinces. */
const ownerAndInspectorReads = (what: string): Rule => ({ admin: A, own: A, other: F, inspector: A, anonymous: K, what, scoped: 'province' });
/** The rule, kept to the records of the caller's provinces. */
const inProvince = (rule: Rule): Rule => ({ ...rule, scoped: 'province' });
/** The rule, for the national office only among admins. */
const nationalOnly = (rule: Rule): Rule => ({ ...rule, scoped: 'national' });

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
  // Any valid key, in any province: it answers what the public verification of the label's URL answers, nothing private.
  'label_photo.decode': { admin: A, own: A, other: A, inspector: A, anonymous: K, what: 'decode a photo of a label' },
  // The market inspectors' scan page (/inspect): their tool, and the office's, who trains and checks them.
  // A producer checking its own labels has the public verification page; the page's files are open (site.read).
  'inspect.scan': { admin: A, own: F, other: F, inspector: A, anonymous: K, what: "open the inspectors' scan page" },
  // Anyone holding a suspicious package may report it, no account; the reports name
  // products and may carry the reporter's contact, so only admins and inspectors read them,
  // each those from shops of their provinces (the report's province is where it was seen).
  'report.create': open('report a product'),
  'report.read': { admin: A, own: F, other: F, inspector: A, anonymous: K, what: 'read product reports', scoped: 'province' },
  // Working through the reports queue is the office's and the inspectors' job: each change of status is audited.
  'report.update_status': { admin: A, own: F, other: F, inspector: A, anonymous: K, what: "change a product report's status", scoped: 'province' },

  // The findings log: market inspectors record what they found at a stall (the office may
  // record too, e.g. from a paper form). A producer never writes findings about anyone.
  'inspection.create': { admin: A, own: F, other: F, inspector: A, anonymous: K, what: 'record an inspection' },
  'inspection.attach_photo': { admin: A, own: F, other: F, inspector: A, anonymous: K, what: 'attach a photo to an inspection' },
  // Admins read every finding, inspectors theirs and their provinces' (the service narrows
  // it), a producer those about its own products, without the inspector's name or contact.
  'inspection.read': { admin: A, own: A, other: F, inspector: A, anonymous: K, what: "read inspection findings about this producer's products" },
  // The programme office's queues (/office/reports, /office/findings): the same data inspectors read, laid out for the office.
  'office.read_queues': adminOnly("open the programme office's reports and findings screens"),

  // Counts of the public registry and of scans, nothing about any one record or person.
  'statistics.read': anyone('read the public statistics'),
  // The public OCOP registry: search, product and producer pages, the serial lookup, and
  // its open data. Read from an in-process index without a key: no policy code per request.
  'catalogue.read': open('search the OCOP registry or read its product and producer pages'),
  'open_data.read': open('search or download the OCOP registry as open data'),

  // Reference data (administrative units, product groups) is public law.
  'reference.read': anyone('read reference data'),

  // The OCOP registry is public; provinces record it, so writes are admin only, each office
  // its own province's producers and products.
  'producer.read': anyone('read producers'),
  // A household business is a person: its phone, e-mail, contact person and street.
  'producer.read_private': { admin: A, own: A, other: F, inspector: F, anonymous: K, what: "read a household's contact details", scoped: 'province' },
  // The province is the new (or changed) address's: an office registers only producers of its province.
  'producer.create': inProvince(adminOnly('create a producer')),
  'producer.update': inProvince(adminOnly('change a producer')),
  'product.read': anyone('read products'),
  'product.create': inProvince(adminOnly('create a product')),
  'product.update': inProvince(adminOnly('change a product')),
  'certification.read': anyone('read certifications'),
  // A provincial People's Committee decides 1–4★ of its province's products; the ministry 5★.
  'certification.create': { ...adminOnly('record a certification'), scoped: 'decision' },
  'certification.revoke': { ...adminOnly('revoke a certification'), scoped: 'decision' },
  // Places partners name in events (GLN / SGLN) and the commune each lies in: public, as timelines show them.
  'location.read': anyone('read registered locations'),
  'location.create': ownerWrites("register a location of this producer"),

  // Lots are the producer's business records; inspectors trace them.
  'batch.create': ownerWrites("create a batch of this producer's product"),
  'batch.read': ownerAndInspectorReads("read this producer's batches"),
  // Correcting a lot recorded wrongly, until its first label run (batch.service.ts updateBatch): the producer's, or the office's.
  'batch.update': ownerWrites("change a batch of this producer's product"),

  // Labels: issuing, printing and voiding are the producer's; inspectors read states.
  'label_run.issue': ownerWrites("issue labels for this producer's batch"),
  'label_run.read': ownerAndInspectorReads("read this producer's label runs"),
  'label_run.revoke': ownerWrites("revoke this producer's label run"),
  'label.read': ownerAndInspectorReads("read this producer's labels"),
  // The printable QR (SVG, PNG, sheet, CSV, the signed URL): a copy is a working label.
  'label.print': ownerWrites("print this producer's labels"),
  'label.void': ownerWrites("void this producer's label"),

  // Signing keys sign every label of every province: only admins see them, only the national office changes them.
  'signing_key.read': adminOnly('list signing keys'),
  'signing_key.rotate': nationalOnly(adminOnly('rotate the signing key')),
  'signing_key.revoke': nationalOnly(adminOnly('revoke a signing key')),

  // Value-chain events are public traceability data, except commercial references.
  'event.read': anyone('read value-chain events'),
  'event.read_private': ownerAndInspectorReads("read the business transactions of this producer's events"),
  // The chain check recomputed on request (it reads the whole batch); others get the last check, at most a minute old.
  'event.check_chain_now': ownerAndInspectorReads("recompute this producer's event chain on request"),
  // A query naming no batch or product reads every event (and sorts them in memory).
  'event.query_all': nationalOnly(adminOnly('query across all events')),
  'event.capture': ownerWrites("capture events for this producer's batches"),
  // A capture's status: the key that sent it; admins see every capture.
  'event.capture_status': { admin: A, own: A, other: A, inspector: F, anonymous: K, what: 'read a capture status' },
  'event.capture_status_any': nationalOnly(adminOnly("read another key's capture")),

  // A producer's own screens (src/producer-screens/): a producer account's, and an admin's
  // naming the producer (as admins may capture for any batch); inspectors never write a
  // producer's data.
  'producer_events.record': ownerWrites("record value-chain events on this producer's screens"),
  // Who scanned a producer's labels, where and how often, and forgeries of its GTINs: the
  // producer's business (and the office's, which answers for the programme).
  'producer_scans.read': { admin: A, own: A, other: F, inspector: F, anonymous: K, what: "see the scans of this producer's labels" },

  // API keys are the way in: only admins make and revoke them. A provincial office's keys
  // carry its province (an admin or inspector key) or are for one of its producers.
  'api_key.create': inProvince(adminOnly('create an API key')),
  'api_key.read': inProvince(adminOnly('list API keys')),
  'api_key.revoke': inProvince(adminOnly('revoke an API key')),

  // The producer's own screens (/producer, src/producer-screens/): a producer's user
  // works on its own products, batches and label runs there. Inspectors never open them
  // (they read lots and labels through their own screens, and never print or void).
  // Admins may, as they may do everything: the office acting for a producer that asks
  // for help, on the record's own pages (an admin has no producer, so no home screen),
  // audited under the admin's name. Each write there is asked again by the service it
  // calls (batch.create, label_run.issue, label.void…), with the record.
  'producer_screen.home': { admin: A, own: A, other: A, inspector: F, anonymous: K, what: "open a producer's home screen" },
  'producer_screen.read': { admin: A, own: A, other: F, inspector: F, anonymous: K, what: "open this producer's product, batch or label run screens" },
  'producer_screen.write': { admin: A, own: A, other: F, inspector: F, anonymous: K, what: "record batches or issue, void and revoke labels through this producer's screens" },

  // People's accounts. Logging in, out and setting a password from a reset link need no
  // account yet (the forms carry a CSRF token); the rest is the user's own account, or
  // the programme office's list of users: a provincial office's are those of its province
  // (its admins, its inspectors, its producers' people).
  'account.login': open('log in, log out, or set a password from a reset link'),
  'account.read_own': { admin: A, own: A, other: A, inspector: A, anonymous: K, what: 'see your own account' },
  'account.update_own': { admin: A, own: A, other: A, inspector: A, anonymous: K, what: 'change your password, end your sessions or manage your own API keys' },
  'user.read': inProvince(adminOnly('list user accounts')),
  'user.create': inProvince(adminOnly('create a user account')),
  'user.reset_password': inProvince(adminOnly("make a link to set a user's password")),
  'user.disable': inProvince(adminOnly('disable or enable a user account')),
  // The programme office's screens (/office): the registry as the office works on it,
  // households' contacts included, and the list of certifications with their history.
  // Each write on them asks its own action above (producer.create, certification.revoke…).
  'office.read': adminOnly("open the programme office's screens"),
  // A record's own page there (a producer with its household's contact, a product, a
  // certification, each with its edit forms): a provincial office opens its province's,
  // as its lists hold only those.
  'office.read_record': inProvince(adminOnly("open a producer's, product's or certification's page on the office's screens")),
  // Who changed what: names users and keys and carries reasons typed by the office.
  // The national office's only: an entry records no province (its record may be a key,
  // a signing key or a report as well as a producer's), so a provincial office could not
  // be kept to its province's entries.
  'audit.read': inProvince(adminOnly('read the audit log')),
  // A decision of a People's Committee or of the ministry creates producers, products and
  // certifications in one go: the programme office's, like each of those writes. A
  // province's admin imports only its province's decisions (the service checks the scope).
  'decision.import': adminOnly('import a certification decision'),
  'decision.read': adminOnly('read imported decisions'),
  // Scans flagged as forged or cloned name labels, products and places of scanning: the
  // office follows them up; producers see their own labels' signals on their own screens.
  'flagged_scan.read': adminOnly('list scans flagged as forged or cloned'),
} satisfies Record<string, Rule>;

export type Action = keyof typeof TABLE;
export const POLICY: Readonly<Record<Action, Rule>> = TABLE;

export const ACTIONS = Object.keys(POLICY) as Action[];
