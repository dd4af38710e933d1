import type { Messages } from '../i18n.js';

/** Words of the public registry pages (home, search, product, producer, serial lookup). */
type Key =
  | 'homeTitle'
  | 'homeIntro'
  | 'searchTitle'
  | 'searchLabel'
  | 'searchHint'
  | 'searchButton'
  | 'filters'
  | 'province'
  | 'commune'
  | 'group'
  | 'stars'
  | 'kind'
  | 'status'
  | 'sort'
  | 'any'
  | 'starsN'
  | 'status.active'
  | 'status.expired'
  | 'status.none'
  | 'status.revoked'
  | 'status.certified'
  | 'kind.enterprise'
  | 'kind.cooperative'
  | 'kind.cooperative_group'
  | 'kind.household'
  | 'sort.relevance'
  | 'sort.name'
  | 'sort.stars'
  | 'sort.valid_until'
  | 'sort.newest'
  | 'results'
  | 'noResults'
  | 'pageOf'
  | 'previous'
  | 'next'
  | 'pagination'
  | 'validUntil'
  | 'serialTitle'
  | 'serialIntro'
  | 'serialLabel'
  | 'serialHint'
  | 'serialButton'
  | 'serialUnknown'
  | 'serialInvalid'
  | 'openData'
  | 'openDataIntro'
  | 'product'
  | 'producer'
  | 'locality'
  | 'certificate'
  | 'certificateNumber'
  | 'decisionDate'
  | 'noCertificate'
  | 'revokedNote'
  | 'gtin'
  | 'batchesTitle'
  | 'batchesNone'
  | 'lot'
  | 'producedOn'
  | 'expiresOn'
  | 'noExpiry'
  | 'howToCheck'
  | 'howToCheckScan'
  | 'noLabelVerified'
  | 'howToCheckSerial'
  | 'howToCheckMark'
  | 'photoOf'
  | 'publicContact'
  | 'phone'
  | 'website'
  | 'noPublicContact'
  | 'registration'
  | 'productsOf'
  | 'noProducts';

export const catalogueMessages: Messages<Key> = {
  vi: {
    homeTitle: 'Tra cứu sản phẩm OCOP',
    homeIntro: 'Sản phẩm này có thật sự đạt chứng nhận OCOP không, mấy sao? Tìm theo tên (gõ có dấu hay không dấu đều được), tỉnh, nhóm sản phẩm hoặc số sao.',
    searchTitle: 'Sản phẩm OCOP',
    searchLabel: 'Tên sản phẩm',
    searchHint: 'Ví dụ: gom bat trang, mật ong, chè Thái Nguyên',
    searchButton: 'Tìm',
    filters: 'Bộ lọc',
    province: 'Tỉnh, thành phố',
    commune: 'Xã, phường',
    group: 'Nhóm sản phẩm',
    stars: 'Số sao',
    kind: 'Loại chủ thể',
    status: 'Tình trạng chứng nhận',
    sort: 'Sắp xếp',
    any: 'Tất cả',
    starsN: '{n} sao',
    'status.active': 'Còn hiệu lực',
    'status.expired': 'Đã hết hạn',
    'status.none': 'Chưa có chứng nhận',
    'status.revoked': 'Đã bị thu hồi',
    'status.certified': 'Có chứng nhận (còn hoặc hết hạn)',
    'kind.enterprise': 'Doanh nghiệp',
    'kind.cooperative': 'Hợp tác xã',
    'kind.cooperative_group': 'Tổ hợp tác',
    'kind.household': 'Hộ kinh doanh',
    'sort.relevance': 'Phù hợp nhất',
    'sort.name': 'Tên (A–Z)',
    'sort.stars': 'Nhiều sao nhất',
    'sort.valid_until': 'Hiệu lực lâu nhất',
    'sort.newest': 'Mới đăng ký',
    results: '{n} sản phẩm',
    noResults: 'Không tìm thấy sản phẩm nào. Thử bỏ bớt bộ lọc hoặc gõ tên ngắn hơn.',
    pageOf: 'Trang {page}/{pages}',
    previous: 'Trang trước',
    next: 'Trang sau',
    pagination: 'Phân trang',
    validUntil: 'Hiệu lực đến',
    serialTitle: 'Nhập số sê-ri trên tem',
    serialIntro: 'Máy ảnh không quét được mã QR? Gõ số sê-ri in dưới mã QR để xem trang xác thực của tem.',
    serialLabel: 'Số sê-ri',
    serialHint: '16 chữ và số, ví dụ 3F7KQ9M4XH6TNCAD',
    serialButton: 'Kiểm tra tem',
    serialUnknown: 'Không có tem nào mang số sê-ri {serial}. Kiểm tra lại từng ký tự; nếu đúng như in trên tem, tem này không do hệ thống OCOP cấp.',
    serialInvalid: 'Số sê-ri gồm 13 đến 20 chữ và số, không có dấu cách.',
    openData: 'Dữ liệu mở',
    openDataIntro: 'Toàn bộ danh mục sản phẩm OCOP, giấy phép CC BY 4.0:',
    product: 'Sản phẩm',
    producer: 'Chủ thể sản xuất',
    locality: 'Địa phương',
    certificate: 'Chứng nhận OCOP',
    certificateNumber: 'Số quyết định',
    decisionDate: 'Ngày quyết định',
    noCertificate: 'Sản phẩm chưa có chứng nhận OCOP còn lưu trong danh mục.',
    revokedNote: 'Chứng nhận số {number} đã bị thu hồi.',
    gtin: 'Mã GTIN',
    batchesTitle: 'Lô hàng đang bán',
    batchesNone: 'Chưa có lô hàng nào còn hạn được ghi nhận.',
    lot: 'Số lô',
    producedOn: 'Ngày sản xuất',
    expiresOn: 'Hạn sử dụng',
    noExpiry: 'Không ghi',
    howToCheck: 'Cách kiểm tra tem trên sản phẩm',
    howToCheckScan: 'Quét mã QR trên tem bằng máy ảnh điện thoại: trang xác thực cho biết tem có thật, còn hiệu lực và thuộc lô nào.',
    noLabelVerified: 'Trang này giới thiệu sản phẩm và chứng nhận OCOP của sản phẩm; chưa có tem nào được xác thực ở đây.',
    howToCheckSerial: 'Không quét được? Gõ số sê-ri in dưới mã QR tại trang chủ.',
    howToCheckMark: 'Chỉ sản phẩm từ 3 sao trở lên mới được dùng biểu trưng OCOP.',
    photoOf: 'Ảnh sản phẩm {name}',
    publicContact: 'Liên hệ',
    phone: 'Điện thoại',
    website: 'Trang web',
    noPublicContact: 'Chủ thể chưa công bố thông tin liên hệ.',
    registration: 'Số đăng ký kinh doanh',
    productsOf: 'Sản phẩm của chủ thể',
    noProducts: 'Chủ thể chưa có sản phẩm nào trong danh mục.',
  },
  en: {
    homeTitle: 'Search OCOP products',
    homeIntro: 'Is this product really OCOP-certified, and how many stars? Search by name (with or without Vietnamese diacritics), province, product group or stars.',
    searchTitle: 'OCOP products',
    searchLabel: 'Product name',
    searchHint: 'For example: gom bat trang, mật ong, Thai Nguyen tea',
    searchButton: 'Search',
    filters: 'Filters',
    province: 'Province or city',
    commune: 'Commune or ward',
    group: 'Product group',
    stars: 'Stars',
    kind: 'Kind of producer',
    status: 'Certificate status',
    sort: 'Sort by',
    any: 'Any',
    starsN: '{n} stars',
    'status.active': 'Valid',
    'status.expired': 'Expired',
    'status.none': 'Not certified',
    'status.revoked': 'Revoked',
    'status.certified': 'Certified (valid or expired)',
    'kind.enterprise': 'Enterprise',
    'kind.cooperative': 'Cooperative',
    'kind.cooperative_group': 'Cooperative group',
    'kind.household': 'Household business',
    'sort.relevance': 'Best match',
    'sort.name': 'Name (A–Z)',
    'sort.stars': 'Most stars',
    'sort.valid_until': 'Valid longest',
    'sort.newest': 'Newest',
    results: '{n} products',
    noResults: 'No product found. Try fewer filters or a shorter name.',
    pageOf: 'Page {page} of {pages}',
    previous: 'Previous page',
    next: 'Next page',
    pagination: 'Pages',
    validUntil: 'Valid until',
    serialTitle: 'Type the serial on the label',
    serialIntro: 'Camera cannot read the QR code? Type the serial printed under it to open the label’s verification page.',
    serialLabel: 'Serial',
    serialHint: '16 letters and digits, e.g. 3F7KQ9M4XH6TNCAD',
    serialButton: 'Check the label',
    serialUnknown: 'No label carries serial {serial}. Check each character; if it is exactly as printed, this label was not issued by the OCOP system.',
    serialInvalid: 'A serial is 13 to 20 letters and digits, without spaces.',
    openData: 'Open data',
    openDataIntro: 'The whole OCOP product registry, under CC BY 4.0:',
    product: 'Product',
    producer: 'Producer',
    locality: 'Locality',
    certificate: 'OCOP certificate',
    certificateNumber: 'Decision number',
    decisionDate: 'Decision date',
    noCertificate: 'This product has no OCOP certificate on record.',
    revokedNote: 'Certificate {number} was revoked.',
    gtin: 'GTIN',
    batchesTitle: 'Lots on sale',
    batchesNone: 'No lot within its expiry date is on record.',
    lot: 'Lot',
    producedOn: 'Produced',
    expiresOn: 'Best before',
    noExpiry: 'Not stated',
    howToCheck: 'How to check the label on a package',
    howToCheckScan: 'Scan the QR code on the label with your phone camera: the verification page says whether the label is genuine, still valid, and which lot it belongs to.',
    noLabelVerified: 'This page presents the product and its OCOP certificate; no label has been verified here.',
    howToCheckSerial: 'Camera fails? Type the serial printed under the QR code on the home page.',
    howToCheckMark: 'Only products with 3 stars or more may carry the OCOP mark.',
    photoOf: 'Photo of {name}',
    publicContact: 'Contact',
    phone: 'Phone',
    website: 'Website',
    noPublicContact: 'The producer has not published contact details.',
    registration: 'Business registration number',
    productsOf: 'Products of this producer',
    noProducts: 'This producer has no product in the registry.',
  },
};
