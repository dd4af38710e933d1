/** Codes of value-chain events: capture problems (listed per event in details.problems) and capture jobs. */
export const eventErrors = {
  'event/invalid': {
    status: 400,
    vi: 'Sự kiện thiếu hoặc sai một trường (xem details.problems). Sửa rồi gửi lại; chưa sự kiện nào được lưu.',
    en: 'An event misses a member or has a malformed one (see details.problems). Fix it and send again; nothing was stored.',
  },
  'event/unsupported_type': {
    status: 400,
    vi: 'Loại sự kiện không được hỗ trợ: chỉ nhận ObjectEvent, AggregationEvent và TransformationEvent.',
    en: 'Unsupported event type: send an ObjectEvent, AggregationEvent or TransformationEvent.',
  },
  'event/invalid_vocabulary': {
    status: 400,
    vi: 'Bước nghiệp vụ, trạng thái hoặc loại không thuộc bộ từ vựng CBV 2.0. Dùng một giá trị CBV (ví dụ shipping).',
    en: 'A business step, disposition or type is not in the CBV 2.0 vocabulary. Use a CBV value (e.g. shipping).',
  },
  'event/invalid_place': {
    status: 400,
    vi: 'Mỗi sự kiện cần một địa điểm dạng urn:ocop:commune:{mã xã 5 chữ số} theo đơn vị hành chính 2025.',
    en: 'Every event needs a place as urn:ocop:commune:{5-digit commune code} of the 2025 units.',
  },
  'event/no_batch': {
    status: 400,
    vi: 'Không xác định được sự kiện thuộc lô hàng nào. Gửi ocop:batchId, hoặc mã hàng có kèm số lô.',
    en: 'Cannot tell which batch the event belongs to. Send ocop:batchId, or identifiers that carry the lot.',
  },
  'event/unknown_batch': {
    status: 400,
    vi: 'Lô hàng được nêu chưa có trong hệ thống. Đăng ký lô hàng trước rồi mới ghi sự kiện.',
    en: 'The batch named does not exist. Register the batch first, then capture its events.',
  },
  'event/many_batches': {
    status: 400,
    vi: 'Hàng hóa trong sự kiện thuộc nhiều lô hàng. Gửi mỗi lô một sự kiện riêng.',
    en: 'The goods in the event belong to several batches. Send one event per batch.',
  },
  'event/batch_mismatch': {
    status: 400,
    vi: 'Mã hàng trong sự kiện thuộc một lô khác với lô được nêu. Sửa ocop:batchId hoặc danh sách mã hàng.',
    en: "The goods' identifiers name another batch than the one given. Correct ocop:batchId or the identifiers.",
  },
  'event/lot_mismatch': {
    status: 400,
    vi: 'Số lô trong ilmd khác với số lô của lô hàng. Sửa cbvmda:lotNumber.',
    en: "The lot number in ilmd differs from the batch's lot. Correct cbvmda:lotNumber.",
  },
  'event/expiry_mismatch': {
    status: 400,
    vi: 'Hạn sử dụng trong ilmd khác với hạn của lô hàng. Sửa cbvmda:itemExpirationDate.',
    en: "The expiry date in ilmd differs from the batch's. Correct cbvmda:itemExpirationDate.",
  },
  'event/unknown_declared_event': {
    status: 400,
    vi: 'Khai báo lỗi nêu một eventID chưa từng được ghi nhận. Kiểm tra lại eventID.',
    en: 'The error declaration names an eventID that was never captured. Check the eventID.',
  },
  'event/duplicate_event_id': {
    status: 409,
    vi: 'eventID này đã được ghi nhận, hoặc bị lặp lại trong tài liệu. Mỗi sự kiện cần eventID riêng; đừng gửi lại sự kiện đã lưu.',
    en: 'This eventID was already captured, or is repeated in the document. Give each event its own; do not resend a stored event.',
  },
  'event/busy': {
    status: 503,
    vi: 'Lô hàng đang nhận quá nhiều sự kiện cùng lúc. Vui lòng gửi lại sau giây lát.',
    en: 'The batch is receiving too many events at once. Please send again in a moment.',
  },
  'capture/not_found': {
    status: 404,
    vi: 'Không có lần gửi (capture) này, hoặc nó được gửi bằng một khóa khác.',
    en: 'No such capture, or it was sent with another key.',
  },
} as const;
