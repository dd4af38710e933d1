import type { Messages } from '../../i18n.js';

/** Every string of the verification page, in Vietnamese (default) and English. */
type Key =
  | 'title'
  | 'verdict.genuine'
  | 'verdict.expired'
  | 'verdict.revoked'
  | 'verdict.forged'
  | 'verdict.unknown'
  | 'reason.genuine'
  | 'reason.bad_signature'
  | 'reason.unknown_key'
  | 'reason.no_such_label'
  | 'reason.run_not_issued'
  | 'reason.fields_mismatch'
  | 'reason.label_revoked'
  | 'reason.run_revoked'
  | 'reason.certification_revoked'
  | 'reason.key_revoked'
  | 'reason.certification_expired'
  | 'reason.no_certification_in_force'
  | 'warning.batch_expired'
  | 'warning.clone_suspected'
  | 'warning.stars_above_certified'
  | 'warning.certification_superseded'
  | 'cacheOnly'
  | 'stars'
  | 'ocopMark'
  | 'noMark'
  | 'product'
  | 'producer'
  | 'locality'
  | 'certification'
  | 'decisionNumber'
  | 'authority'
  | 'decisionDate'
  | 'validUntil'
  | 'status'
  | 'status.active'
  | 'status.expired'
  | 'status.revoked'
  | 'status.superseded'
  | 'batch'
  | 'lot'
  | 'productionDate'
  | 'expiryDate'
  | 'origin'
  | 'serial'
  | 'scans'
  | 'scansFirst'
  | 'scansOnlyThis'
  | 'printed'
  | 'printedStars'
  | 'timeline'
  | 'offline.title'
  | 'offline.intro'
  | 'offline.input'
  | 'offline.check'
  | 'offline.valid'
  | 'offline.invalid'
  | 'offline.noKey'
  | 'offline.notLabel'
  | 'offline.keysFrom';

export const verifyMessages: Messages<Key> = {
  vi: {
    title: 'Kết quả xác thực tem',
    'verdict.genuine': 'Tem thật',
    'verdict.expired': 'Chứng nhận OCOP đã hết hạn',
    'verdict.revoked': 'Tem đã bị thu hồi',
    'verdict.forged': 'Tem giả',
    'verdict.unknown': 'Không tìm thấy tem',
    'reason.genuine': 'Chữ ký số hợp lệ; tem do hệ thống cấp và sản phẩm đang được chứng nhận OCOP.',
    'reason.bad_signature': 'Chữ ký số trên tem không khớp với nội dung: tem đã bị sửa hoặc làm giả. Không tin vào số sao in trên tem.',
    'reason.unknown_key': 'Tem được ký bằng một khóa không thuộc hệ thống: tem giả.',
    'reason.no_such_label': 'Chữ ký đúng định dạng nhưng hệ thống không cấp tem có số sê-ri này.',
    'reason.run_not_issued': 'Tem thuộc một đợt in chưa được phát hành.',
    'reason.fields_mismatch': 'Nội dung tem không khớp với tem đã cấp.',
    'reason.label_revoked': 'Tem này đã bị hủy hoặc thu hồi.',
    'reason.run_revoked': 'Cả đợt in chứa tem này đã bị thu hồi.',
    'reason.certification_revoked': 'Quyết định công nhận OCOP của sản phẩm đã bị thu hồi.',
    'reason.key_revoked': 'Khóa ký tem đã bị thu hồi: không thể tin cậy tem này.',
    'reason.certification_expired': 'Giấy chứng nhận OCOP đã quá hạn: sản phẩm không còn được dùng nhãn OCOP.',
    'reason.no_certification_in_force': 'Sản phẩm hiện không có chứng nhận OCOP còn hiệu lực.',
    'warning.batch_expired': 'Lô hàng này đã quá hạn sử dụng.',
    'warning.clone_suspected': 'Tem này đã được quét rất nhiều lần hoặc bởi nhiều thiết bị: có thể tem bị sao chép.',
    'warning.stars_above_certified': 'Số sao in trên tem ({printed}★) cao hơn số sao hiện được công nhận ({certified}★).',
    'warning.certification_superseded': 'Sản phẩm đã được đánh giá lại sau khi in tem; thông tin dưới đây là chứng nhận hiện hành.',
    cacheOnly: 'Hiện không kết nối được cơ sở dữ liệu: kết quả lấy từ dữ liệu đã lưu tạm.',
    stars: 'Hạng sao',
    ocopMark: 'Sản phẩm OCOP {stars} sao',
    noMark: '{stars} sao (chưa đủ 3 sao để dùng nhãn OCOP)',
    product: 'Sản phẩm',
    producer: 'Chủ thể sản xuất',
    locality: 'Địa chỉ',
    certification: 'Chứng nhận OCOP',
    decisionNumber: 'Số quyết định',
    authority: 'Cơ quan cấp',
    decisionDate: 'Ngày quyết định',
    validUntil: 'Hiệu lực đến',
    status: 'Tình trạng',
    'status.active': 'Còn hiệu lực',
    'status.expired': 'Hết hạn',
    'status.revoked': 'Đã thu hồi',
    'status.superseded': 'Đã được thay thế',
    batch: 'Lô hàng',
    lot: 'Số lô',
    productionDate: 'Ngày sản xuất',
    expiryDate: 'Hạn sử dụng',
    origin: 'Xuất xứ',
    serial: 'Số sê-ri',
    scans: 'Lượt quét',
    scansFirst: 'Tem đã được quét {count} lần, lần đầu lúc {first}.',
    scansOnlyThis: 'Đây là lần quét đầu tiên của tem này.',
    printed: 'Thông tin in trên tem (chưa được xác thực)',
    printedStars: 'Số sao in trên tem',
    timeline: 'Hành trình sản phẩm',
    'offline.title': 'Kiểm tra chữ ký ngay trên máy',
    'offline.intro': 'Dán đường dẫn của tem để kiểm tra chữ ký số bằng khóa công khai đã lưu, không cần mạng.',
    'offline.input': 'Đường dẫn tem',
    'offline.check': 'Kiểm tra',
    'offline.valid': 'Chữ ký hợp lệ (kiểm tra trên thiết bị này)',
    'offline.invalid': 'Chữ ký KHÔNG hợp lệ (kiểm tra trên thiết bị này)',
    'offline.noKey': 'Không có khóa công khai cho tem này trên thiết bị: hãy mở trang khi có mạng.',
    'offline.notLabel': 'Đây không phải đường dẫn tem OCOP.',
    'offline.keysFrom': 'Khóa công khai lưu lúc',
  },
  en: {
    title: 'Label verification',
    'verdict.genuine': 'Genuine label',
    'verdict.expired': 'OCOP certificate expired',
    'verdict.revoked': 'Label revoked',
    'verdict.forged': 'Forged label',
    'verdict.unknown': 'Label not found',
    'reason.genuine': 'The digital signature is valid, we issued this label, and the product holds a current OCOP certificate.',
    'reason.bad_signature': 'The signature does not match the label: it was altered or forged. Do not trust the stars printed on it.',
    'reason.unknown_key': 'The label is signed with a key that is not ours: it is forged.',
    'reason.no_such_label': 'The signature is well formed but we never issued a label with this serial.',
    'reason.run_not_issued': 'The label belongs to a print run that has not been released.',
    'reason.fields_mismatch': 'The label does not match the label we issued.',
    'reason.label_revoked': 'This label has been voided or revoked.',
    'reason.run_revoked': 'The whole print run of this label has been revoked.',
    'reason.certification_revoked': "The product's OCOP certification decision has been revoked.",
    'reason.key_revoked': 'The key that signed this label has been revoked: the label cannot be trusted.',
    'reason.certification_expired': "The product's OCOP certificate has expired: it may no longer carry the OCOP mark.",
    'reason.no_certification_in_force': 'The product has no OCOP certificate in force.',
    'warning.batch_expired': 'This batch is past its expiry date.',
    'warning.clone_suspected': 'This label has been scanned very often or by many devices: it may have been copied.',
    'warning.stars_above_certified': 'The label shows {printed}★ but the product is now certified {certified}★.',
    'warning.certification_superseded': 'The product was re-rated after this label was printed; below is the current certificate.',
    cacheOnly: 'Our database cannot be reached right now: this answer comes from recently cached data.',
    stars: 'Rating',
    ocopMark: 'OCOP {stars}-star product',
    noMark: '{stars} star(s) (below 3 stars: no OCOP mark)',
    product: 'Product',
    producer: 'Producer',
    locality: 'Address',
    certification: 'OCOP certificate',
    decisionNumber: 'Decision number',
    authority: 'Issued by',
    decisionDate: 'Decision date',
    validUntil: 'Valid until',
    status: 'Status',
    'status.active': 'In force',
    'status.expired': 'Expired',
    'status.revoked': 'Revoked',
    'status.superseded': 'Superseded',
    batch: 'Batch',
    lot: 'Lot',
    productionDate: 'Produced',
    expiryDate: 'Best before',
    origin: 'Origin',
    serial: 'Serial',
    scans: 'Scans',
    scansFirst: 'Scanned {count} times, first on {first}.',
    scansOnlyThis: 'This is the first scan of this label.',
    printed: 'Printed on the label (not verified)',
    printedStars: 'Stars printed',
    timeline: 'Product journey',
    'offline.title': 'Check the signature on this device',
    'offline.intro': 'Paste a label link to check its digital signature with the saved public keys, without network.',
    'offline.input': 'Label link',
    'offline.check': 'Check',
    'offline.valid': 'Signature valid (checked on this device)',
    'offline.invalid': 'Signature INVALID (checked on this device)',
    'offline.noKey': 'No public key for this label on this device: open the page once while online.',
    'offline.notLabel': 'This is not an OCOP label link.',
    'offline.keysFrom': 'Public keys saved at',
  },
};
