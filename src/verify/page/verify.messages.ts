import type { Messages } from '../../i18n.js';
import type { LabelProblem } from '../../labels/format/label-url.js';

/** Every string of the verification page, in Vietnamese (default) and English. */
type Key =
  | 'title'
  | 'verdict.genuine'
  | 'verdict.expired'
  | 'verdict.revoked'
  | 'verdict.forged'
  | 'verdict.unknown'
  | 'verdict.malformed'
  | 'reason.genuine'
  | 'reason.bad_signature'
  | 'reason.unknown_key'
  | 'reason.no_such_label'
  | 'reason.run_not_issued'
  | 'reason.fields_mismatch'
  | 'reason.label_revoked'
  | 'reason.label_void'
  | 'reason.run_revoked'
  | 'reason.certification_revoked'
  | 'reason.newest_decision_revoked'
  | 'reason.key_revoked'
  | 'reason.certification_expired'
  | 'reason.no_certification_in_force'
  | 'why.record'
  | 'why.on'
  | 'why.onDay'
  | 'why.reason'
  | 'warning.batch_expired'
  | 'warning.clone_suspected'
  | 'warning.stars_above_certified'
  | 'warning.certification_superseded'
  | 'advice.title'
  | 'advice.expired'
  | 'advice.revoked'
  | 'advice.forged'
  | 'advice.unknown'
  | 'advice.malformed'
  | 'report'
  | 'reportGenuine'
  | 'cacheOnly'
  | 'stars'
  | 'ocopMark'
  | 'noMark'
  | 'markNotValid'
  | 'starsNotValid'
  | 'notValidBadge'
  | 'noCertificate'
  | 'product'
  | 'producer'
  | 'locality'
  | 'phone'
  | 'website'
  | 'standards'
  | 'productPhoto'
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
  | 'revokedOn'
  | 'revokedReason'
  | 'certNote.label'
  | 'certNote.expired'
  | 'batch'
  | 'lot'
  | 'quantity'
  | 'productionDate'
  | 'expiryDate'
  | 'pastExpiry'
  | 'origin'
  | 'serial'
  | 'scans'
  | 'scansFirst'
  | 'scansOnlyThis'
  | 'printed'
  | 'printedStars'
  | 'printedStarsNotValid'
  | 'starsUnreadable'
  | 'readable'
  | 'unreadable'
  | 'gtin'
  | 'productCode'
  | 'problem'
  | 'offline.title'
  | 'offline.intro'
  | 'offline.input'
  | 'offline.check'
  | 'offline.valid'
  | 'offline.invalid'
  | 'offline.noKey'
  | 'offline.notLabel'
  | 'offline.keysFrom'
  | 'offline.on'
  | 'offline.but.no_such_label'
  | 'offline.but.fields_mismatch'
  | 'offline.but.run_not_issued'
  | 'offline.but.label_revoked'
  | 'offline.but.label_void'
  | 'offline.but.run_revoked'
  | 'offline.but.certification_revoked'
  | 'offline.but.newest_decision_revoked'
  | 'offline.but.key_revoked'
  | 'offline.but.certification_expired'
  | 'offline.but.no_certification_in_force'
  | 'offline.close.unknown'
  | 'offline.close.revoked'
  | 'offline.close.expired'
  | 'meta.genuine'
  | 'meta.genuineNoMark'
  | 'meta.notGenuine'
  | 'meta.generic'
  | `malformed.${LabelProblem}`;

export const verifyMessages: Messages<Key> = {
  vi: {
    title: 'Kết quả xác thực tem',
    'verdict.genuine': 'Tem thật',
    'verdict.expired': 'Chứng nhận OCOP đã hết hạn',
    'verdict.revoked': 'Tem đã bị thu hồi',
    'verdict.forged': 'Tem giả',
    'verdict.unknown': 'Không tìm thấy tem',
    'verdict.malformed': 'Không phải tem OCOP hợp lệ',
    'reason.genuine': 'Chữ ký số hợp lệ; tem do hệ thống cấp và sản phẩm đang được chứng nhận OCOP.',
    'reason.bad_signature': 'Chữ ký số trên tem không khớp với nội dung: tem đã bị sửa hoặc làm giả. Không tin vào số sao in trên tem.',
    'reason.unknown_key': 'Tem được ký bằng một khóa không thuộc hệ thống: tem giả.',
    'reason.no_such_label': 'Chữ ký đúng định dạng nhưng hệ thống không cấp tem có số sê-ri này.',
    'reason.run_not_issued': 'Tem thuộc một đợt in chưa được phát hành.',
    'reason.fields_mismatch': 'Nội dung tem không khớp với tem đã cấp.',
    'reason.label_revoked': 'Tem này đã bị thu hồi: không còn giá trị chứng minh sản phẩm là hàng OCOP.',
    'reason.label_void': 'Tem này đã bị chủ thể sản xuất hủy (ví dụ in hỏng hoặc bị mất): không còn giá trị.',
    'reason.run_revoked': 'Cả đợt in chứa tem này đã bị thu hồi: không tem nào của đợt in còn giá trị.',
    'reason.certification_revoked': 'Quyết định công nhận OCOP của sản phẩm đã bị thu hồi: sản phẩm không được dùng nhãn OCOP.',
    'reason.newest_decision_revoked': 'Quyết định công nhận OCOP mới nhất của sản phẩm đã bị thu hồi: sản phẩm không còn được dùng nhãn OCOP, kể cả theo chứng nhận cũ in trên tem.',
    'reason.key_revoked': 'Khóa ký tem đã bị thu hồi: không thể tin cậy tem này.',
    'reason.certification_expired': 'Giấy chứng nhận OCOP đã quá hạn: sản phẩm không còn được dùng nhãn OCOP.',
    'reason.no_certification_in_force': 'Sản phẩm hiện không có chứng nhận OCOP còn hiệu lực.',
    'why.record': 'Quyết định',
    'why.on': 'Ngày',
    'why.onDay': 'Hết hạn ngày',
    'why.reason': 'Lý do ghi nhận',
    'warning.batch_expired': 'Lô hàng này đã quá hạn sử dụng.',
    'warning.clone_suspected': 'Tem này đã được quét rất nhiều lần hoặc bởi nhiều thiết bị: có thể tem bị sao chép.',
    'warning.stars_above_certified': 'Số sao in trên tem ({printed}★) cao hơn số sao hiện được công nhận ({certified}★).',
    'warning.certification_superseded': 'Sản phẩm đã được đánh giá lại sau khi in tem; chứng nhận dưới đây là chứng nhận hiện hành.',
    'advice.title': 'Bạn nên làm gì?',
    'advice.expired': 'Sản phẩm có thể là hàng thật của cơ sở, nhưng không còn được dùng nhãn OCOP. Nếu sản phẩm vẫn được bán như hàng OCOP, hãy báo cáo.',
    'advice.revoked': 'Tem này không chứng minh được sản phẩm là hàng OCOP. Hỏi người bán; nếu sản phẩm vẫn được bán như hàng OCOP, hãy báo cáo.',
    'advice.forged': 'Không mua hoặc sử dụng sản phẩm như hàng OCOP. Giữ lại bao bì và báo cáo để cơ quan quản lý kiểm tra.',
    'advice.unknown': 'Quét lại mã QR. Nếu vẫn không tìm thấy, đừng coi đây là sản phẩm OCOP và hãy báo cáo.',
    'advice.malformed': 'Quét lại mã QR trên tem, đủ sáng và giữ máy thẳng. Nếu vẫn không đọc được, tem có thể bị hỏng hoặc làm giả: đừng coi đây là sản phẩm OCOP và hãy báo cáo.',
    report: 'Báo cáo sản phẩm này',
    reportGenuine: 'Thấy điều bất thường? Báo cáo sản phẩm này',
    cacheOnly: 'Hiện không kết nối được cơ sở dữ liệu: kết quả lấy từ dữ liệu đã lưu tạm.',
    stars: 'Hạng sao',
    ocopMark: 'Sản phẩm OCOP {stars} sao',
    noMark: '{stars} sao (chưa đủ 3 sao để dùng nhãn OCOP)',
    markNotValid: 'Nhãn OCOP {stars} sao: không hợp lệ với tem này',
    starsNotValid: '{stars} sao: không hợp lệ với tem này',
    notValidBadge: 'Không hợp lệ',
    noCertificate: 'Không có chứng nhận OCOP còn hiệu lực',
    product: 'Sản phẩm',
    producer: 'Chủ thể sản xuất',
    locality: 'Địa chỉ',
    phone: 'Điện thoại',
    website: 'Trang web',
    standards: 'Tiêu chuẩn áp dụng',
    productPhoto: 'Ảnh sản phẩm',
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
    revokedOn: 'Ngày thu hồi',
    revokedReason: 'Lý do thu hồi',
    'certNote.label': 'Quyết định này còn hiệu lực, nhưng tem này không hợp lệ: tem không chứng minh được gói hàng này là sản phẩm OCOP.',
    'certNote.expired': 'Quyết định này đã hết hiệu lực: sản phẩm không còn được dùng nhãn OCOP.',
    batch: 'Lô hàng',
    lot: 'Số lô',
    quantity: 'Số lượng',
    productionDate: 'Ngày sản xuất',
    expiryDate: 'Hạn sử dụng',
    pastExpiry: 'đã quá hạn',
    origin: 'Xuất xứ',
    serial: 'Số sê-ri',
    scans: 'Lượt quét',
    scansFirst: 'Tem đã được quét {count} lần, lần đầu lúc {first}.',
    scansOnlyThis: 'Đây là lần quét đầu tiên của tem này.',
    printed: 'Thông tin in trên tem (chưa được xác thực)',
    printedStars: 'Số sao in trên tem',
    printedStarsNotValid: '{stars}★ in trên tem: không có giá trị',
    starsUnreadable: 'Số sao: không đọc được, không có giá trị',
    readable: 'Đọc được từ đường dẫn (chưa được xác thực)',
    unreadable: 'không đọc được',
    gtin: 'Mã sản phẩm (GTIN)',
    productCode: 'Mã sản phẩm',
    problem: 'Lỗi',
    'offline.title': 'Kiểm tra chữ ký ngay trên máy',
    'offline.intro': 'Dán đường dẫn của tem để kiểm tra chữ ký số bằng khóa công khai đã lưu, không cần mạng. Kiểm tra này chỉ cho biết tem có do hệ thống ký hay không; tem bị thu hồi hay hết hạn chỉ biết được khi có mạng.',
    'offline.input': 'Đường dẫn tem',
    'offline.check': 'Kiểm tra',
    'offline.valid': 'Chữ ký hợp lệ (kiểm tra trên thiết bị này)',
    'offline.invalid': 'Chữ ký KHÔNG hợp lệ (kiểm tra trên thiết bị này)',
    'offline.noKey': 'Không có khóa công khai cho tem này trên thiết bị: hãy mở trang khi có mạng.',
    'offline.notLabel': 'Đây không phải đường dẫn tem OCOP.',
    'offline.keysFrom': 'Khóa công khai lưu lúc',
    'offline.on': ' ngày {on}',
    'offline.but.no_such_label': 'Chữ ký hợp lệ, nhưng hệ thống không cấp tem có số sê-ri này',
    'offline.but.fields_mismatch': 'Chữ ký hợp lệ, nhưng nội dung tem không khớp với tem đã cấp',
    'offline.but.run_not_issued': 'Chữ ký hợp lệ, nhưng đợt in của tem chưa được phát hành',
    'offline.but.label_revoked': 'Chữ ký hợp lệ, nhưng tem này đã bị thu hồi',
    'offline.but.label_void': 'Chữ ký hợp lệ, nhưng tem này đã bị hủy',
    'offline.but.run_revoked': 'Chữ ký hợp lệ, nhưng đợt in của tem đã bị thu hồi',
    'offline.but.certification_revoked': 'Chữ ký hợp lệ, nhưng quyết định công nhận OCOP đã bị thu hồi',
    'offline.but.newest_decision_revoked': 'Chữ ký hợp lệ, nhưng quyết định công nhận OCOP mới nhất đã bị thu hồi',
    'offline.but.key_revoked': 'Không còn khóa để kiểm tra chữ ký: khóa ký tem đã bị thu hồi',
    'offline.but.certification_expired': 'Chữ ký hợp lệ, nhưng chứng nhận OCOP đã hết hạn',
    'offline.but.no_certification_in_force': 'Chữ ký hợp lệ, nhưng sản phẩm không có chứng nhận OCOP còn hiệu lực',
    'offline.close.unknown': 'Đây không phải tem OCOP hợp lệ.',
    'offline.close.revoked': 'Đây không phải tem OCOP hợp lệ.',
    'offline.close.expired': 'Tem là thật nhưng nhãn OCOP không còn giá trị.',
    'meta.genuine': 'Tem thật: {product}, sản phẩm OCOP {stars} sao còn hiệu lực. Xác thực tem OCOP.',
    'meta.genuineNoMark': 'Tem thật: {product} ({stars} sao, chưa đủ 3 sao để dùng nhãn OCOP). Xác thực tem OCOP.',
    'meta.notGenuine': '{verdict}: {product}. Nhãn OCOP trên tem này không hợp lệ.',
    'meta.generic': 'Kết quả xác thực tem OCOP: tem này không được xác nhận. Không tin vào thông tin in trên tem.',
    'malformed.not_url': 'Đây không phải một đường dẫn.',
    'malformed.path': 'Đường dẫn không có dạng của tem OCOP (mã sản phẩm, số lô, số sê-ri).',
    'malformed.gtin': 'Mã GTIN không đủ 14 chữ số hoặc sai số kiểm tra: có thể đã bị gõ sai.',
    'malformed.product_code': 'Mã sản phẩm không hợp lệ.',
    'malformed.lot': 'Số lô không hợp lệ.',
    'malformed.serial': 'Số sê-ri không hợp lệ.',
    'malformed.signature_missing': 'Đường dẫn thiếu phần chữ ký số (s, v, k, sig): có thể mã QR bị cắt hoặc đường dẫn bị chép thiếu.',
    'malformed.signature_repeated': 'Một phần của chữ ký số xuất hiện nhiều lần: đường dẫn đã bị sửa.',
    'malformed.stars': 'Số sao phải từ 1 đến 5.',
    'malformed.valid_until': 'Ngày hiệu lực không đúng định dạng.',
    'malformed.key_id': 'Mã khóa ký không hợp lệ.',
    'malformed.signature': 'Chữ ký số không đủ độ dài: có thể mã QR bị cắt hoặc đường dẫn bị chép thiếu.',
  },
  en: {
    title: 'Label verification',
    'verdict.genuine': 'Genuine label',
    'verdict.expired': 'OCOP certificate expired',
    'verdict.revoked': 'Label revoked',
    'verdict.forged': 'Forged label',
    'verdict.unknown': 'Label not found',
    'verdict.malformed': 'Not a valid OCOP label',
    'reason.genuine': 'The digital signature is valid, we issued this label, and the product holds a current OCOP certificate.',
    'reason.bad_signature': 'The signature does not match the label: it was altered or forged. Do not trust the stars printed on it.',
    'reason.unknown_key': 'The label is signed with a key that is not ours: it is forged.',
    'reason.no_such_label': 'The signature is well formed but we never issued a label with this serial.',
    'reason.run_not_issued': 'The label belongs to a print run that has not been released.',
    'reason.fields_mismatch': 'The label does not match the label we issued.',
    'reason.label_revoked': 'This label has been revoked: it no longer shows that the product is an OCOP product.',
    'reason.label_void': 'This label was voided by its producer (spoiled in printing or lost, for example): it is no longer valid.',
    'reason.run_revoked': 'The whole print run of this label has been revoked: none of its labels is valid.',
    'reason.certification_revoked': "The product's OCOP certification decision has been revoked: it may not carry the OCOP mark.",
    'reason.newest_decision_revoked': "The product's newest OCOP decision has been revoked: it may no longer carry the OCOP mark, not even under the older certificate printed on this label.",
    'reason.key_revoked': 'The key that signed this label has been revoked: the label cannot be trusted.',
    'reason.certification_expired': "The product's OCOP certificate has expired: it may no longer carry the OCOP mark.",
    'reason.no_certification_in_force': 'The product has no OCOP certificate in force.',
    'why.record': 'Decision',
    'why.on': 'Date',
    'why.onDay': 'Expired on',
    'why.reason': 'Reason recorded',
    'warning.batch_expired': 'This batch is past its expiry date.',
    'warning.clone_suspected': 'This label has been scanned very often or by many devices: it may have been copied.',
    'warning.stars_above_certified': 'The label shows {printed}★ but the product is now certified {certified}★.',
    'warning.certification_superseded': 'The product was re-rated after this label was printed; the certificate below is the current one.',
    'advice.title': 'What should you do?',
    'advice.expired': 'The product may be genuinely the producer’s, but it may no longer carry the OCOP mark. If it is still sold as an OCOP product, report it.',
    'advice.revoked': 'This label does not show that the product is an OCOP product. Ask the seller; if it is still sold as an OCOP product, report it.',
    'advice.forged': 'Do not buy or use the product as an OCOP product. Keep the packaging and report it so that inspectors can check.',
    'advice.unknown': 'Scan the QR code again. If the label is still not found, do not treat this as an OCOP product, and report it.',
    'advice.malformed': 'Scan the QR code on the label again, in good light and holding the phone straight. If it still cannot be read, the label may be damaged or forged: do not treat this as an OCOP product, and report it.',
    report: 'Report this product',
    reportGenuine: 'Something looks wrong? Report this product',
    cacheOnly: 'Our database cannot be reached right now: this answer comes from recently cached data.',
    stars: 'Rating',
    ocopMark: 'OCOP {stars}-star product',
    noMark: '{stars} star(s) (below 3 stars: no OCOP mark)',
    markNotValid: 'OCOP {stars}-star mark: not valid on this label',
    starsNotValid: '{stars} star(s): not valid on this label',
    notValidBadge: 'Not valid',
    noCertificate: 'No OCOP certificate in force',
    product: 'Product',
    producer: 'Producer',
    locality: 'Address',
    phone: 'Phone',
    website: 'Website',
    standards: 'Standards applied',
    productPhoto: 'Product photo',
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
    revokedOn: 'Revoked on',
    revokedReason: 'Reason for revocation',
    'certNote.label': 'This decision is in force, but this label is not valid: it does not show that this package is an OCOP product.',
    'certNote.expired': 'This decision is no longer in force: the product may no longer carry the OCOP mark.',
    batch: 'Batch',
    lot: 'Lot',
    quantity: 'Quantity',
    productionDate: 'Produced',
    expiryDate: 'Best before',
    pastExpiry: 'past its date',
    origin: 'Origin',
    serial: 'Serial',
    scans: 'Scans',
    scansFirst: 'Scanned {count} times, first at {first}.',
    scansOnlyThis: 'This is the first scan of this label.',
    printed: 'Printed on the label (not verified)',
    printedStars: 'Stars printed',
    printedStarsNotValid: '{stars}★ printed on the label: not valid',
    starsUnreadable: 'Stars: not readable, not valid',
    readable: 'Read from the link (not verified)',
    unreadable: 'not readable',
    gtin: 'Product code (GTIN)',
    productCode: 'Product code',
    problem: 'Problem',
    'offline.title': 'Check the signature on this device',
    'offline.intro': 'Paste a label link to check its digital signature with the saved public keys, without network. This check only tells whether we signed the label; whether it was revoked or has expired is known only online.',
    'offline.input': 'Label link',
    'offline.check': 'Check',
    'offline.valid': 'Signature valid (checked on this device)',
    'offline.invalid': 'Signature INVALID (checked on this device)',
    'offline.noKey': 'No public key for this label on this device: open the page once while online.',
    'offline.notLabel': 'This is not an OCOP label link.',
    'offline.keysFrom': 'Public keys saved at',
    'offline.on': ' on {on}',
    'offline.but.no_such_label': 'Signature valid, but we never issued a label with this serial',
    'offline.but.fields_mismatch': 'Signature valid, but the label does not match the label we issued',
    'offline.but.run_not_issued': 'Signature valid, but the print run of this label has not been released',
    'offline.but.label_revoked': 'Signature valid, but this label was revoked',
    'offline.but.label_void': 'Signature valid, but this label was voided',
    'offline.but.run_revoked': 'Signature valid, but the print run of this label was revoked',
    'offline.but.certification_revoked': 'Signature valid, but the OCOP decision was revoked',
    'offline.but.newest_decision_revoked': "Signature valid, but the product's newest OCOP decision was revoked",
    'offline.but.key_revoked': 'No key left to check the signature with: the key that signed this label was revoked',
    'offline.but.certification_expired': 'Signature valid, but the OCOP certificate expired',
    'offline.but.no_certification_in_force': 'Signature valid, but the product has no OCOP certificate in force',
    'offline.close.unknown': 'This is not a valid OCOP label.',
    'offline.close.revoked': 'This is not a valid OCOP label.',
    'offline.close.expired': 'The label is genuine but its OCOP mark is no longer valid.',
    'meta.genuine': 'Genuine label: {product}, an OCOP {stars}-star product with a certificate in force. OCOP label verification.',
    'meta.genuineNoMark': 'Genuine label: {product} ({stars} star(s), below 3 stars: no OCOP mark). OCOP label verification.',
    'meta.notGenuine': '{verdict}: {product}. The OCOP mark on this label is not valid.',
    'meta.generic': 'OCOP label verification: this label could not be confirmed. Do not trust what is printed on it.',
    'malformed.not_url': 'This is not a link.',
    'malformed.path': 'The link does not have the shape of an OCOP label (product code, lot, serial).',
    'malformed.gtin': 'The GTIN is not 14 digits with a valid check digit: it may have been mistyped.',
    'malformed.product_code': 'The product code is not valid.',
    'malformed.lot': 'The lot is not valid.',
    'malformed.serial': 'The serial is not valid.',
    'malformed.signature_missing': 'The link has no digital signature (s, v, k, sig): the QR code may be cut off or the link copied incompletely.',
    'malformed.signature_repeated': 'A part of the digital signature appears more than once: the link has been altered.',
    'malformed.stars': 'The star rating must be 1 to 5.',
    'malformed.valid_until': 'The valid-until date is not well formed.',
    'malformed.key_id': 'The signing key id is not valid.',
    'malformed.signature': 'The digital signature is too short or not well formed: the QR code may be cut off or the link copied incompletely.',
  },
};
