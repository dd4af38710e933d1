import type { Messages } from '../i18n.js';

type Key =
  | 'title'
  | 'intro'
  | 'labelScanned'
  | 'kindLegend'
  | 'kind.fake_label'
  | 'kind.mark_misused'
  | 'kind.other'
  | 'details'
  | 'detailsHint'
  | 'province'
  | 'provinceChoose'
  | 'commune'
  | 'place'
  | 'placeHint'
  | 'photo'
  | 'photoHint'
  | 'contact'
  | 'contactHint'
  | 'optional'
  | 'send'
  | 'problems'
  | 'receiptTitle'
  | 'receiptIntro'
  | 'receiptNumber'
  | 'receiptNext'
  | 'backToLabel'
  | 'problem.kind'
  | 'problem.province'
  | 'problem.tooLong'
  | 'problem.label'
  | 'problem.photo'
  | 'problem.photoTooBig';

export const reportMessages: Messages<Key> = {
  vi: {
    title: 'Báo cáo sản phẩm',
    intro: 'Báo cho văn phòng Chương trình OCOP và quản lý thị trường về một sản phẩm hoặc tem đáng ngờ. Không cần tài khoản.',
    labelScanned: 'Tem đã quét',
    kindLegend: 'Điều gì không đúng?',
    'kind.fake_label': 'Tem có vẻ là giả',
    'kind.mark_misused': 'Sản phẩm vẫn được bán là OCOP dù tem đã hết hạn hoặc bị thu hồi',
    'kind.other': 'Điều khác',
    details: 'Mô tả',
    detailsHint: 'Bạn thấy gì, mua ở đâu, khi nào (tối đa 1.000 ký tự).',
    province: 'Tỉnh, thành phố',
    provinceChoose: 'Chọn tỉnh, thành phố',
    commune: 'Xã, phường',
    place: 'Cửa hàng, chợ',
    placeHint: 'Tên cửa hàng hoặc chợ nơi thấy sản phẩm.',
    photo: 'Ảnh sản phẩm hoặc tem',
    photoHint: 'JPEG, PNG, WebP hoặc HEIC, tối đa 5 MB. Vị trí và thông tin máy ảnh trong ảnh được xóa.',
    contact: 'Số điện thoại hoặc email của bạn',
    contactHint: 'Chỉ để cán bộ hỏi thêm nếu cần; chỉ văn phòng và quản lý thị trường xem được.',
    optional: 'không bắt buộc',
    send: 'Gửi báo cáo',
    problems: 'Chưa gửi được báo cáo. Hãy sửa các mục sau:',
    receiptTitle: 'Đã nhận báo cáo',
    receiptIntro: 'Cảm ơn bạn. Báo cáo đã được lưu cho văn phòng Chương trình OCOP và quản lý thị trường.',
    receiptNumber: 'Mã số báo cáo',
    receiptNext: 'Hãy giữ mã số này. Khi liên hệ văn phòng OCOP của tỉnh, hãy đọc mã số để cán bộ tìm được báo cáo của bạn.',
    backToLabel: 'Quay lại trang tem',
    'problem.kind': 'Chọn điều gì không đúng.',
    'problem.province': 'Chọn tỉnh, thành phố nơi thấy sản phẩm.',
    'problem.tooLong': 'Mục “{field}” dài quá {max} ký tự.',
    'problem.label': 'Địa chỉ tem không phải của một tem OCOP; hãy mở biểu mẫu từ trang tem.',
    'problem.photo': 'Ảnh không đọc được: hãy gửi ảnh JPEG, PNG, WebP hoặc HEIC.',
    'problem.photoTooBig': 'Ảnh lớn hơn 5 MB: hãy chọn ảnh nhỏ hơn.',
  },
  en: {
    title: 'Report a product',
    intro: 'Tell the OCOP programme office and market inspectors about a suspicious product or label. No account needed.',
    labelScanned: 'Label scanned',
    kindLegend: 'What is wrong?',
    'kind.fake_label': 'The label looks fake',
    'kind.mark_misused': 'The product is still sold as OCOP although its label expired or was revoked',
    'kind.other': 'Something else',
    details: 'Description',
    detailsHint: 'What you saw, where and when you bought it (at most 1,000 characters).',
    province: 'Province or city',
    provinceChoose: 'Choose a province or city',
    commune: 'Commune or ward',
    place: 'Shop or market',
    placeHint: 'The name of the shop or market where you saw the product.',
    photo: 'Photo of the product or label',
    photoHint: 'JPEG, PNG, WebP or HEIC, at most 5 MB. Location and camera details are removed from the photo.',
    contact: 'Your phone number or e-mail',
    contactHint: 'Only so that an officer can ask you more if needed; only the office and inspectors can see it.',
    optional: 'optional',
    send: 'Send the report',
    problems: 'The report was not sent yet. Please correct:',
    receiptTitle: 'Report received',
    receiptIntro: 'Thank you. The report is stored for the OCOP programme office and market inspectors.',
    receiptNumber: 'Report number',
    receiptNext: 'Keep this number. When you contact your province’s OCOP office, read it out so that they can find your report.',
    backToLabel: 'Back to the label page',
    'problem.kind': 'Choose what is wrong.',
    'problem.province': 'Choose the province or city where you saw the product.',
    'problem.tooLong': '“{field}” is longer than {max} characters.',
    'problem.label': 'The label address is not an OCOP label’s; open the form from the label page.',
    'problem.photo': 'The photo cannot be read: send a JPEG, PNG, WebP or HEIC image.',
    'problem.photoTooBig': 'The photo is larger than 5 MB: choose a smaller one.',
  },
};
