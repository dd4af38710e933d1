import { expect } from 'chai';
import request from 'supertest';
import { AuditModel } from '../../src/audit/audit.model.js';
import { LabelModel } from '../../src/labels/runs/label.model.js';
import { bearer, buildTestApp } from '../support/app.js';
import { issueRunThroughApi } from '../support/kit.js';

/** Status codes of `n` copies of one request sent at once. */
async function sentTogether(n: number, send: () => request.Test): Promise<number[]> {
  return (await Promise.all(Array.from({ length: n }, () => send()))).map((r) => r.status).sort();
}

describe('labels: a one-time change sent many times at once happens once', function () {
  this.timeout(60_000);
  const app = buildTestApp();

  it('when forty requests void the same label at once, then one answers 200, the other 39 409, and one audit entry is written', async () => {
    const { key, runId } = await issueRunThroughApi(app, 2);
    const label = (await LabelModel.findOne({ runId }).lean())!;
    const statuses = await sentTogether(40, () =>
      request(app).post(`/api/v1/labels/${label._id}/void`).set(bearer(key)).send({ reason: 'misprint' }),
    );
    expect(statuses).to.deep.equal([200, ...Array<number>(39).fill(409)]);
    expect(await AuditModel.countDocuments({ action: 'label.void', targetId: label._id })).to.equal(1);
    expect((await LabelModel.findById(label._id).lean())!.status).to.equal('void');
  });

  it('when forty requests revoke the same run at once, then one answers 200, the other 39 409, and one audit entry is written', async () => {
    const { key, runId } = await issueRunThroughApi(app, 2);
    const statuses = await sentTogether(40, () =>
      request(app).post(`/api/v1/label-runs/${runId}/revoke`).set(bearer(key)).send({ reason: 'stolen roll' }),
    );
    expect(statuses).to.deep.equal([200, ...Array<number>(39).fill(409)]);
    expect(await AuditModel.countDocuments({ action: 'label_run.revoke', targetId: runId })).to.equal(1);
  });
});
