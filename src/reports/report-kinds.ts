/** What a reporter says is wrong, and where the office is with a report. */
export const REPORT_KINDS = ['fake_label', 'mark_misused', 'other'] as const;
export const REPORT_STATUSES = ['open', 'checked', 'closed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** A report moves forward only: open → checked → closed (or straight to closed). */
export const NEXT_STATUSES: Readonly<Record<ReportStatus, readonly ReportStatus[]>> = { open: ['checked', 'closed'], checked: ['closed'], closed: [] };
export const MAX_STATUS_NOTE = 1000;
