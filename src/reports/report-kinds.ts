/** What a reporter says is wrong, and where the office is with a report. */
export const REPORT_KINDS = ['fake_label', 'mark_misused', 'other'] as const;
export const REPORT_STATUSES = ['open', 'checking', 'closed'] as const;
