import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** Insert-only: who changed what, when. Never updated or deleted by the application. */
const auditSchema = new Schema(
  {
    at: { type: Date, required: true, default: () => new Date() },
    actor: { type: String, required: true }, // API key id, user:<id> for a session, "system", or "public" (a shopper's report)
    /** The person behind the write: a session's user, or the user a key is bound to. */
    userId: { type: String, default: null },
    role: { type: String, required: true },
    action: { type: String, required: true }, // e.g. "producer.create"
    targetType: { type: String, required: true },
    targetId: { type: String, required: true },
    /**
     * The provinces of the record written (its producer's province, an account's or key's
     * province or provinces), which decide which provincial offices read the entry; empty
     * for a national record. Entries written before provinces were kept have none: they
     * read as national (the national office alone reads them).
     */
    provinces: { type: [String], default: [] },
    details: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false },
);
auditSchema.index({ targetType: 1, targetId: 1, at: -1 });
// The office's audit reader (listAudit) filters on one of these by equality; FerretDB's
// backends use an index on a declared index's first field (scripts/ferretdb/companion.go).
auditSchema.index({ targetId: 1, at: -1 });
auditSchema.index({ action: 1, at: -1 });
auditSchema.index({ actor: 1, at: -1 });
auditSchema.index({ userId: 1, at: -1 });
// A provincial office's reader: entries whose provinces hold its one province.
auditSchema.index({ provinces: 1, at: -1 });

export type AuditDoc = InferSchemaType<typeof auditSchema>;
export const AuditModel = mongoose.model('AuditLog', auditSchema, 'audit_log');
