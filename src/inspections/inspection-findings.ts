/**
 * What a market inspector can find at a stall, and the shape of the id a device makes
 * for each inspection (it is the idempotency key: a retry after a lost answer sends the
 * same id, and the server keeps one record).
 */
export const FINDINGS = ['ok', 'stars_above_certified', 'expired_mark', 'forged_label', 'no_label', 'other'] as const;
export type Finding = (typeof FINDINGS)[number];

export const INSPECTION_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** How far ahead of the server's clock an inspection time may be (a phone's clock runs a little off). */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Photos per inspection: a stall, a package, its label, a close-up or two. */
export const MAX_PHOTOS = 5;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_NOTES = 2000;
