import type { Lang } from '../../i18n.js';
import { translator } from '../../i18n.js';
import { readableLabelParts, type LabelProblem } from '../../labels/format/label-url.js';
import { pageHtml, renderFragment } from '../../templates.js';
import { layoutMessages } from '../../i18n.js';
import { verifyMessages } from './verify.messages.js';

/**
 * The verdict a browser gets for a damaged or tampered label link (a cut signature, a
 * mistyped GTIN, s=7): "not a valid OCOP label", what could still be read from it, what
 * to do, and the report link. Rare, so rendered per request without shells. Machines
 * asking JSON get 400 label/malformed_uri instead (verify.routes.ts).
 */
const translators = { vi: translator(verifyMessages, 'vi'), en: translator(verifyMessages, 'en') };

/** The problem in both languages, for the JSON error's details. */
export function malformedReason(problem: LabelProblem): { vi: string; en: string } {
  return { vi: translators.vi(`malformed.${problem}`), en: translators.en(`malformed.${problem}`) };
}

export function malformedPage(target: string, problem: LabelProblem, lang: Lang, links: { switchHref: string; reportHref: string }): string {
  const t = translators[lang];
  const parts = readableLabelParts(target);
  const unreadable = t('unreadable');
  const product = parts.gtin
    ? { label: t('gtin'), value: parts.gtin }
    : { label: t('productCode'), value: parts.productId ?? unreadable };
  const page = {
    heading: t('verdict.malformed'),
    problem: t(`malformed.${problem}`),
    advice: t('advice.malformed'),
    read: [
      product,
      { label: t('lot'), value: parts.lot ?? unreadable },
      { label: t('serial'), value: parts.serial ?? unreadable },
      { label: t('printedStars'), value: parts.stars !== null ? `${parts.stars}★` : unreadable },
    ],
    stars: parts.stars !== null ? t('printedStarsNotValid', { stars: parts.stars }) : t('starsUnreadable'),
    badge: t('notValidBadge'),
  };
  const description = t('meta.generic');
  const meta = renderFragment('verify/meta', {
    title: page.heading,
    description,
    siteName: translator(layoutMessages, lang)('appName'),
    locale: lang === 'vi' ? 'vi_VN' : 'en_GB',
  });
  return pageHtml('verify/malformed', { title: page.heading, lang, page, t, meta, switchHref: links.switchHref, reportHref: links.reportHref });
}
