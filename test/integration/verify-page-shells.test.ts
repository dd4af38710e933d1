import { expect } from 'chai';
import type { Lang } from '../../src/i18n.js';
import { Keyring } from '../../src/labels/signing/keyring.js';
import { buildLabelUrl, parseLabel, type SignedLabel } from '../../src/labels/format/label-url.js';
import { pageHtml, renderFragment } from '../../src/templates.js';
import { detailsData, pageMeta } from '../../src/verify/page/details-fragments.js';
import { LabelPages, type PageLinks } from '../../src/verify/page/page-shells.js';
import { verificationPage } from '../../src/verify/page/verify.presenter.js';
import { noScans, type Figures } from '../../src/verify/scans/scan-figures.js';
import { ScanRecorder } from '../../src/verify/scans/scan-recorder.js';
import type { Verdict, VerdictReason, WarningCode } from '../../src/verify/verdict.js';
import { LabelVerifier, type Verification } from '../../src/verify/verify.service.js';
import { testConfig } from '../support/app.js';
import { buildIssuedRun, issueLabel, registerKey, signLabel, strangerKey } from '../support/kit.js';

/**
 * The page-shell cache against a plain render of the same templates: for every verdict
 * view and language the bytes must be equal, whichever label's scan built the shell.
 */

const LANGS: Lang[] = ['vi', 'en'];
const WARNINGS: WarningCode[] = ['batch_expired', 'clone_suspected', 'stars_above_certified', 'certification_superseded'];
/** Our own labels (the page shows the batch's details). */
const FOUND_VIEWS: Array<[Verdict, VerdictReason]> = [
  ['genuine', 'genuine'],
  ['expired', 'certification_expired'],
  ['expired', 'no_certification_in_force'],
  ['revoked', 'label_revoked'],
  ['revoked', 'run_revoked'],
  ['revoked', 'certification_revoked'],
  ['revoked', 'key_revoked'],
];
/** Labels that are not ours (the page shows the printed fields, unverified). */
const NOT_FOUND_VIEWS: Array<[Verdict, VerdictReason]> = [
  ['forged', 'unknown_key'],
  ['forged', 'bad_signature'],
  ['unknown', 'no_such_label'],
  ['unknown', 'fields_mismatch'],
  ['unknown', 'run_not_issued'],
];
const WARNING_SETS: WarningCode[][] = [[], ...WARNINGS.map((w) => [w]), WARNINGS];

/** What the page was before shells: the templates rendered from the view models. */
function plainRender(v: Verification, lang: Lang, links: PageLinks): Buffer {
  const page = verificationPage(v, lang);
  const data = detailsData(v, lang);
  return Buffer.from(
    pageHtml('verify/label', {
      title: page.heading,
      lang,
      page,
      ...links,
      meta: pageMeta(v, lang),
      summary: data.details ? renderFragment('verify/product-summary', data) : null,
      details: data.details ? renderFragment('verify/label-details', data) : null,
    }),
  );
}

/** Equal bytes, or a failure that shows where they part. */
function expectSameBytes(actual: Buffer, expected: Buffer, what: string): void {
  if (actual.equals(expected)) return;
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  const around = (b: Buffer) => b.subarray(Math.max(0, i - 80), i + 80).toString();
  expect.fail(`${what}: shell page differs from a plain render at byte ${i}\nshell: …${around(actual)}…\nplain: …${around(expected)}…`);
}

const linksOf = (label: SignedLabel, lang: Lang): PageLinks => ({
  switchHref: `${buildLabelUrl('', label)}&lang=${lang === 'vi' ? 'en' : 'vi'}`,
  reportHref: `/report?label=${encodeURIComponent(buildLabelUrl('', label))}`,
});

describe('verification page shells', () => {
  const config = testConfig();
  const keyring = Keyring.open(config);
  const verifier = new LabelVerifier({ config, keyring, scans: new ScanRecorder({ flushMs: 60_000 }) });
  /** Two labels of one batch as the verifier reads them, and two that are not ours. */
  let ours: [Verification, Verification];
  let strangers: [Verification, Verification];

  const verified = async (url: string) => {
    const u = new URL(url);
    const parsed = parseLabel(u.pathname, Object.fromEntries(u.searchParams));
    if (!parsed.ok) throw new Error(parsed.reason);
    return verifier.verify(parsed.label, null);
  };

  before(async () => {
    const key = await registerKey('active');
    await keyring.refresh();
    const world = await buildIssuedRun({ gtin: true });
    const other = await buildIssuedRun({ gtin: false, stars: 3, certification: 'expired' });
    const [a, b] = [await issueLabel(world, key), await issueLabel(world, key)];
    ours = [await verified(a.url), await verified(b.url)];
    strangers = [await verified(signLabel(world, strangerKey()).url), await verified(signLabel(other, strangerKey()).url)];
    for (const v of [...ours, ...strangers]) expect(v.verdict).to.be.oneOf(['genuine', 'forged']);
  });

  const scansOf = (i: number): Array<Figures | null> => [
    null,
    { ...noScans(), total: 1, firstAt: new Date(`2026-0${i + 1}-02T03:04:00Z`) },
    { ...noScans(), total: 7 + i, firstAt: new Date(`2026-0${i + 1}-12T13:14:00Z`) },
  ];

  /**
   * The records behind a verdict, with the values one label's revocation has of its own
   * (when, the reason recorded): variant 0 leaves them unrecorded, as older records are.
   */
  const recordsOf = (v: Verification, reason: VerdictReason, i: number, variant: number): NonNullable<Verification['found']> => {
    const f = v.found!;
    const when = variant === 0 ? null : new Date(`2026-0${i + 3}-1${variant}T0${i}:30:00Z`);
    const why = variant === 0 ? null : `${reason} <because> #${i}`;
    if (reason === 'label_revoked') return { ...f, label: { ...f.label, status: i === 0 ? 'void' : 'revoked', statusChangedAt: when, statusReason: why } };
    if (reason === 'run_revoked') return { ...f, run: { state: 'revoked', revokedAt: when, revokedReason: why } };
    if (reason === 'key_revoked') return { ...f, keyRevokedAt: when };
    if (reason === 'certification_revoked') return { ...f, certification: { ...f.certification!, status: 'revoked', statusChangedAt: when, statusReason: why } };
    return f;
  };

  /** Every view of the page, each with two labels that differ in everything per label. */
  function* views(): Generator<{ name: string; pair: [Verification, Verification] }> {
    for (const [verdict, reason] of FOUND_VIEWS) {
      for (const warnings of WARNING_SETS) {
        for (const fromCacheOnly of [false, true]) {
          for (let s = 0; s < 3; s++) {
            const pair = ours.map((v, i) => ({ ...v, verdict, reason, warnings, fromCacheOnly, found: { ...recordsOf(v, reason, i, s), scans: scansOf(i)[s]! } })) as [Verification, Verification];
            yield { name: `${verdict}/${reason} [${warnings.join(',')}] cacheOnly=${fromCacheOnly} scans#${s}`, pair };
          }
        }
      }
    }
    for (const [verdict, reason] of NOT_FOUND_VIEWS) {
      for (const fromCacheOnly of [false, true]) {
        const pair = strangers.map((v): Verification => ({ ...v, verdict, reason, warnings: [], fromCacheOnly, found: undefined })) as [Verification, Verification];
        yield { name: `${verdict}/${reason} cacheOnly=${fromCacheOnly}`, pair };
      }
    }
    // Details with parts missing: no certificate in force, no producer, no timeline.
    const bare = ours.map((v) => ({ ...v, verdict: 'expired', reason: 'no_certification_in_force', found: { ...v.found!, certification: null, producer: null, timeline: null } })) as [Verification, Verification];
    yield { name: 'expired without certificate, producer or timeline', pair: bare };
  }

  it('when any verdict view is rendered in either language, then the shell page equals a plain render of the templates, byte for byte', () => {
    let compared = 0;
    for (const lang of LANGS) {
      const pages = new LabelPages();
      for (const { name, pair } of views()) {
        for (const v of [...pair, pair[0]]) {
          const links = linksOf(v.presented, lang);
          expectSameBytes(pages.render(v, lang, links), plainRender(v, lang, links), `${lang} ${name} ${v.presented.serial}`);
          compared += 1;
        }
      }
    }
    expect(compared).to.be.above(500);
  });

  it('when one label is scanned again and again, then each page shows that scan’s count and equals a plain render, until a record changes', () => {
    for (const lang of LANGS) {
      const pages = new LabelPages();
      const [v] = ours;
      const links = linksOf(v.presented, lang);
      const scanned = (total: number, found = v.found!): Verification => ({ ...v, found: { ...found, scans: { ...noScans(), total, firstAt: new Date('2026-03-04T05:06:00Z') } } });
      for (const total of [2, 3, 40]) {
        const page = pages.render(scanned(total), lang, links);
        expectSameBytes(page, plainRender(scanned(total), lang, links), `${lang} scan ${total}`);
        expect(page.toString()).to.include(`>${verificationPage(scanned(total), lang).scans}<`);
      }
      // Another instance's scans came first: the same page, an earlier first scan.
      const earlier = (total: number): Verification => ({ ...v, found: { ...v.found!, scans: { ...noScans(), total, firstAt: new Date('2026-03-01T01:02:00Z') } } });
      for (const total of [43, 44]) expectSameBytes(pages.render(earlier(total), lang, links), plainRender(earlier(total), lang, links), `${lang} earlier first scan ${total}`);
      // The producer voids it: same cached records, the label's own status changed.
      const voided: Verification = { ...scanned(41), verdict: 'revoked', reason: 'label_revoked', found: { ...scanned(41).found!, label: { ...v.found!.label, status: 'void', statusChangedAt: new Date('2026-03-05T00:00:00Z'), statusReason: 'lost roll' } } };
      expectSameBytes(pages.render(voided, lang, links), plainRender(voided, lang, links), `${lang} voided`);
      // A record reloaded by its cache (a renamed product) is a new object: the page is built again.
      const renamed = scanned(42, { ...v.found!, product: { ...v.found!.product, name: { vi: 'Tên mới', en: 'New name' } } });
      const page = pages.render(renamed, lang, links);
      expectSameBytes(page, plainRender(renamed, lang, links), `${lang} renamed`);
      expect(page.toString()).to.include(lang === 'vi' ? 'Tên mới' : 'New name');
    }
  });

  it('when two labels differ only in their own values, then neither page carries the other one’s serial, printed fields, scan count, revocation or links', () => {
    const pages = new LabelPages();
    for (const lang of LANGS) {
      const voided = ours.map((v, i): Verification => ({ ...v, verdict: 'revoked', reason: 'label_revoked', found: { ...recordsOf(v, 'label_revoked', i, 1), scans: scansOf(i)[2]! } }));
      for (const pair of [ours.map((v, i) => ({ ...v, found: { ...v.found!, scans: scansOf(i)[2]! } })), voided, strangers]) {
        const [first, second] = pair as [Verification, Verification];
        const [a, b] = [pages.render(first, lang, linksOf(first.presented, lang)), pages.render(second, lang, linksOf(second.presented, lang))];
        const ownValues = (v: Verification) => {
          const page = verificationPage(v, lang);
          const p = v.presented;
          const why = page.why ? [page.why.on!, page.why.reason!.replace(/</g, '&lt;').replace(/>/g, '&gt;')] : [];
          return [p.serial, `sig=${p.sig}`, encodeURIComponent(`sig=${p.sig}`), ...why, ...(page.scans ? [page.scans] : []), ...(v.found ? [] : [`<dd>${p.lot}</dd>`, `"stars-text">${p.stars}★`, `<dd>${page.presented.validUntil}</dd>`, `<dd>${page.presented.product!.value}</dd>`])];
        };
        for (const value of ownValues(first)) {
          expect(a.includes(value), `${lang}: the first page shows its own ${value}`).to.equal(true);
          expect(b.includes(value), `${lang}: the second page must not show ${value}`).to.equal(false);
        }
        for (const value of ownValues(second)) expect(b.includes(value), `${lang}: the second page shows its own ${value}`).to.equal(true);
      }
    }
  });
});
