/** Codes of batches, signing keys, label runs, labels and their print outputs. */
export const labelErrors = {
  'batch/not_found': {
    status: 404,
    vi: 'Không có lô hàng này. Kiểm tra lại mã lô hàng.',
    en: 'No such batch. Check the batch id.',
  },
  'batch/duplicate_lot': {
    status: 409,
    vi: 'Sản phẩm đã có một lô hàng mang số lô này. Dùng lô đã có hoặc một số lô khác.',
    en: 'The product already has a batch with this lot code. Use that batch or another lot code.',
  },
  'batch/labels_printed': {
    status: 409,
    vi: 'Lô hàng này đã có tem được phát hành, mang số lô và ngày của lô, nên không sửa được nữa. Hãy ghi một lô hàng mới, và thu hồi các đợt tem bị sai.',
    en: 'Labels of this batch have been issued and carry its lot code and dates, so it can no longer be changed. Record a new batch instead, and revoke the runs that are wrong.',
  },
  'key/not_found': {
    status: 404,
    vi: 'Không có khóa ký này. Xem danh sách khóa tại /api/v1/keys.',
    en: 'No such signing key. See the list at /api/v1/keys.',
  },
  'key/no_signing_key': {
    status: 409,
    vi: 'Chưa có khóa ký đang hoạt động nên chưa ký được tem. Tạo khóa mới (POST /api/v1/keys/rotate hoặc npm run keys -- rotate).',
    en: 'No active signing key, so no label can be signed. Create one (POST /api/v1/keys/rotate or npm run keys -- rotate).',
  },
  'key/rotate_by_environment': {
    status: 409,
    vi: 'Khóa ký được đặt bằng biến môi trường SIGNING_KEY_JWK: đặt khóa mới ở đó rồi khởi động lại dịch vụ.',
    en: 'The signing key is set by SIGNING_KEY_JWK: put the new key there and restart the service.',
  },
  'key/already_revoked': {
    status: 409,
    vi: 'Khóa ký này đã bị thu hồi từ trước; không cần làm gì thêm.',
    en: 'This signing key is already revoked; nothing more to do.',
  },
  'run/not_found': {
    status: 404,
    vi: 'Không có đợt in tem này. Kiểm tra lại mã đợt in.',
    en: 'No such label run. Check the run id.',
  },
  'run/idempotency_key_required': {
    status: 400,
    vi: 'Gửi kèm tiêu đề Idempotency-Key (ví dụ một UUID) để khi gửi lại yêu cầu sẽ không in thêm một đợt tem.',
    en: 'Send an Idempotency-Key header (e.g. a UUID) so that a retried request does not print a second run.',
  },
  'run/idempotency_conflict': {
    status: 409,
    vi: 'Idempotency-Key này đã được dùng cho một yêu cầu khác. Dùng khóa mới cho yêu cầu mới.',
    en: 'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
  },
  'run/no_certification': {
    status: 422,
    vi: 'Sản phẩm chưa có chứng nhận OCOP nên chưa cấp được tem. Ghi nhận quyết định công nhận trước.',
    en: 'The product has no OCOP certification, so no labels can be issued. Record the rating decision first.',
  },
  'run/certification_expired': {
    status: 422,
    vi: 'Chứng nhận OCOP của sản phẩm đã hết hạn nên không cấp được tem. Ghi nhận quyết định công nhận mới trước.',
    en: "The product's OCOP certification has expired, so no labels can be issued. Record the new rating decision first.",
  },
  'run/certification_revoked': {
    status: 422,
    vi: 'Chứng nhận OCOP của sản phẩm đã bị thu hồi nên không cấp được tem.',
    en: "The product's OCOP certification was revoked, so no labels can be issued.",
  },
  'run/revoked': {
    status: 409,
    vi: 'Đợt in đã bị thu hồi trước khi phát hành xong nên không hoàn tất được. Tạo đợt in mới nếu cần tem.',
    en: 'The run was revoked before it was complete and cannot be finished. Start a new run if you need labels.',
  },
  'run/already_revoked': {
    status: 409,
    vi: 'Đợt in này đã bị thu hồi từ trước; không cần làm gì thêm.',
    en: 'This run was already revoked; nothing more to do.',
  },
  'run/count_exceeds_batch': {
    status: 409,
    vi: 'Số tem vượt quá số lượng của lô hàng (kể cả phần dự phòng 5 %, tối thiểu 2 tem) khi cộng với các đợt in chưa bị thu hồi. Giảm số tem, hoặc thu hồi đợt in sẽ không dùng đến.',
    en: "The count, with the batch's runs that are not revoked, exceeds the batch quantity plus spares (5 %, at least 2). Issue fewer labels, or revoke a run that will not be used.",
  },
  'run/not_printable': {
    status: 409,
    vi: 'Chỉ in được đợt tem đã phát hành. Chờ đợt in phát hành xong; đợt đã thu hồi thì không in được.',
    en: 'Only an issued run can be printed. Wait until it is issued; a revoked run cannot be printed.',
  },
  'run/incomplete': {
    status: 404,
    vi: 'Lô hàng hoặc sản phẩm của đợt in không còn nên không in được đợt này.',
    en: 'The batch or product of this run no longer exists, so the run cannot be printed.',
  },
  'label/not_found': {
    status: 404,
    vi: 'Không có tem mang số sê-ri này. Kiểm tra lại số sê-ri.',
    en: 'No label with this serial. Check the serial.',
  },
  'label/not_active': {
    status: 409,
    vi: 'Tem này đã bị hủy hoặc thu hồi từ trước; không cần làm gì thêm.',
    en: 'This label is already void or revoked; nothing more to do.',
  },
  'label/png_too_small': {
    status: 400,
    vi: 'Ảnh PNG nhỏ như vậy thì mã QR của tem không quét được. Chọn kích thước từ details.minSize trở lên, hoặc dùng ảnh SVG.',
    en: "A PNG this small would not scan: the label's QR code needs more pixels. Ask for details.minSize or more, or use the SVG.",
  },
  'label/size_too_small': {
    status: 400,
    vi: 'Nội dung tem không vừa kích thước tem này, kể cả với cỡ chữ nhỏ nhất. Chọn tem lớn hơn hoặc in một ngôn ngữ (lang=vi hoặc lang=en); thông báo nêu cỡ vừa.',
    en: "The label's text does not fit this label size even in the smallest type. Use a larger label or one language (lang=vi or lang=en); the message says what fits.",
  },
  'label/not_printable': {
    status: 409,
    vi: 'Tem này đã bị hủy hoặc thu hồi nên không in được.',
    en: 'This label is void or revoked and cannot be printed.',
  },
} as const;
