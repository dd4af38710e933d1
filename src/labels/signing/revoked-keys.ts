import { SigningKeyModel } from './signing-key.model.js';

/**
 * Revoked signing keys with the time each was revoked, for the revocation list
 * (src/verify/revocations/). The keys collection holds a handful of documents.
 */
export async function revokedSigningKeys(): Promise<Array<{ kid: string; revokedAt: Date }>> {
  const docs = await SigningKeyModel.find({ status: 'revoked' }, { _id: 1, revokedAt: 1, createdAt: 1 }).lean<Array<{ _id: string; revokedAt: Date | null; createdAt: Date }>>();
  // A key revoked before revokedAt was recorded: dated at its creation, so every delta since has it.
  return docs.map((d) => ({ kid: d._id, revokedAt: d.revokedAt ?? d.createdAt }));
}
