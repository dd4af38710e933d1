import { LabelRunModel } from './label-run.model.js';

/** Labels issued in one month (Vietnam time, YYYY-MM) by one producer. */
export type IssuedLabelsRow = { producerId: string; month: string; labels: number };

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * Labels issued per month and producer since `since`, for the public statistics page:
 * every run issued since then (revoked ones too: their labels were printed) counts its
 * labels. One read of a few fields per run, never of the labels themselves; a run is one
 * print job of up to 100,000 labels, so the runs of two years are a small collection.
 */
export async function issuedLabelsByMonth(since: Date): Promise<IssuedLabelsRow[]> {
  const runs = await LabelRunModel.find(
    { state: { $in: ['issued', 'revoked'] }, issuedAt: { $gte: since } },
    { producerId: 1, count: 1, issuedAt: 1 },
  ).lean<Array<{ producerId: string; count: number; issuedAt: Date | null }>>();
  const sums = new Map<string, IssuedLabelsRow>();
  for (const run of runs) {
    if (!run.issuedAt) continue;
    const month = new Date(run.issuedAt.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 7);
    const key = `${run.producerId}\n${month}`;
    const row = sums.get(key) ?? { producerId: run.producerId, month, labels: 0 };
    row.labels += run.count;
    sums.set(key, row);
  }
  return [...sums.values()];
}
