/** Codes of value-chain events: capture problems (listed per event in details.problems) and capture jobs. */
export const eventErrors = {
  'event/invalid': {
    status: 400,
    vi: 'Sự kiện thiếu hoặc sai một trường (xem details.problems). Sửa rồi gửi lại; chưa sự kiện nào được lưu.',
    en: 'An event misses a member or has a malformed one (see details.problems). Fix it and send again; nothing was stored.',
  },
  'event/unsupported_type': {
    status: 400,
    vi: 'Loại sự kiện không được hỗ trợ: nhận ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent và AssociationEvent.',
    en: 'Unsupported event type: send an ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or AssociationEvent.',
  },
  'event/invalid_vocabulary': {
    status: 400,
    vi: 'Bước nghiệp vụ, trạng thái hoặc loại không thuộc bộ từ vựng CBV 2.0. Dùng một giá trị CBV (ví dụ shipping).',
    en: 'A business step, disposition or type is not in the CBV 2.0 vocabulary. Use a CBV value (e.g. shipping).',
  },
  'event/invalid_place': {
    status: 400,
    vi: 'Mỗi sự kiện cần một địa điểm: urn:ocop:commune:{mã xã 5 chữ số} theo đơn vị hành chính 2025, hoặc một SGLN/GLN đã đăng ký.',
    en: 'Every event needs a place: urn:ocop:commune:{5-digit commune code} of the 2025 units, or a registered SGLN/GLN.',
  },
  'event/unknown_location': {
    status: 400,
    vi: 'Sự kiện nêu một SGLN/GLN chưa đăng ký. Đăng ký địa điểm (POST /api/v1/locations: GLN, tên, mã xã) rồi gửi lại.',
    en: 'The event names an SGLN/GLN that is not registered. Register the location (POST /api/v1/locations: GLN, name, commune) and send again.',
  },
  'event/no_batch': {
    status: 400,
    vi: 'Sự kiện không nêu lô hàng hay sản phẩm nào đã đăng ký. Đăng ký sản phẩm (GTIN) hoặc lô hàng, gửi ocop:batchId, hoặc (với sự kiện về tài sản, địa điểm) đăng ký địa điểm cho nhà sản xuất.',
    en: "The event names no registered batch or product. Register the product (its GTIN) or the batch, send ocop:batchId, or (for an event about assets or a place) register its location to the producer.",
  },
  'event/unknown_batch': {
    status: 400,
    vi: 'Lô hàng được nêu chưa có trong hệ thống. Đăng ký lô hàng trước rồi mới ghi sự kiện.',
    en: 'The batch named does not exist. Register the batch first, then capture its events.',
  },
  'event/many_batches': {
    status: 400,
    vi: 'Hàng hóa trong sự kiện thuộc nhiều lô hàng. Gửi mỗi lô một sự kiện riêng, hoặc ghi nhận tại một địa điểm đã đăng ký của nhà sản xuất các lô đó.',
    en: "The goods in the event belong to several batches. Send one event per batch, or capture it at a location registered to the batches' producer.",
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
  'query/unknown_parameter': {
    status: 400,
    vi: 'Truy vấn có tham số không được hỗ trợ (details.parameters). Dùng các tham số truy vấn EPCIS 2.0 được liệt kê trong thông báo.',
    en: 'The query has a parameter this service does not answer (details.parameters). Use the EPCIS 2.0 query parameters the message lists.',
  },
  'capture/not_found': {
    status: 404,
    vi: 'Không có lần gửi (capture) này, hoặc nó được gửi bằng một khóa khác.',
    en: 'No such capture, or it was sent with another key.',
  },
} as const;
