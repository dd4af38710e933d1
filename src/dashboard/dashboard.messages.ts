import type { Messages } from '../i18n.js';

type Key =
  | 'title'
  | 'intro'
  | 'scope'
  | 'asOf'
  | 'computedIn'
  | 'refreshEvery'
  | 'province'
  | 'allProvinces'
  | 'show'
  | 'wholeCountry'
  | 'downloadCsv'
  | 'chartDesc'
  | 'noData'
  | 'total'
  | 'unknownProvince'
  | 'fig.stars'
  | 'fig.groups'
  | 'fig.kinds'
  | 'fig.provinces'
  | 'fig.years'
  | 'fig.expiring'
  | 'fig.labels'
  | 'fig.scans'
  | 'fig.signals'
  | 'note.registry'
  | 'note.years'
  | 'note.expiring'
  | 'note.labels'
  | 'note.scans'
  | 'note.signals'
  | 'col.code'
  | 'col.stars'
  | 'col.group'
  | 'col.kind'
  | 'col.province'
  | 'col.year'
  | 'col.month'
  | 'col.products'
  | 'col.certifications'
  | 'col.labels'
  | 'col.scans'
  | 'col.forged'
  | 'col.unknown'
  | 'col.clones'
  | 'kind.enterprise'
  | 'kind.cooperative'
  | 'kind.cooperative_group'
  | 'kind.household'
  | 'kind.unknown';

export const dashboardMessages: Messages<Key> = {
  vi: {
    title: 'Thống kê sản phẩm OCOP',
    intro: 'Số sản phẩm OCOP đang còn hiệu lực công nhận, tem đã phát hành và lượt quét tem, theo số liệu của hệ thống.',
    scope: 'Phạm vi: {scope}',
    asOf: 'Số liệu lúc {time}',
    computedIn: 'tính trong {ms} ms',
    refreshEvery: 'Số liệu được tính lại tối đa {minutes} phút một lần.',
    province: 'Tỉnh, thành phố',
    allProvinces: 'Cả nước',
    show: 'Xem',
    wholeCountry: 'cả nước',
    downloadCsv: 'Tải CSV',
    chartDesc: 'Biểu đồ cột ngang; mỗi cột ghi số liệu, bảng bên dưới có đủ các số.',
    noData: 'Chưa có số liệu.',
    total: 'Tổng',
    unknownProvince: 'Không rõ tỉnh',
    'fig.stars': 'Sản phẩm theo hạng sao',
    'fig.groups': 'Sản phẩm theo nhóm sản phẩm',
    'fig.kinds': 'Sản phẩm theo loại hình chủ thể',
    'fig.provinces': 'Sản phẩm theo tỉnh, thành phố',
    'fig.years': 'Quyết định công nhận theo năm',
    'fig.expiring': 'Công nhận hết hạn trong 90 ngày tới',
    'fig.labels': 'Tem đã phát hành theo tháng',
    'fig.scans': 'Lượt quét tem theo tháng',
    'fig.signals': 'Dấu hiệu tem giả và tem sao chép theo tỉnh',
    'note.registry': 'Sản phẩm có quyết định công nhận đang còn hiệu lực (chưa hết hạn, chưa bị thu hồi).',
    'note.years': 'Mọi quyết định công nhận theo năm ra quyết định, kể cả quyết định đã hết hạn, bị thay thế hoặc thu hồi.',
    'note.expiring': 'Sản phẩm có công nhận hết hạn trong 90 ngày tới, theo tháng hết hạn.',
    'note.labels': 'Số tem trong các đợt in đã phát hành, theo tháng phát hành, 12 tháng gần nhất.',
    'note.scans': 'Lượt quét tem theo tháng, 12 tháng gần nhất; được đếm từ khi trang thống kê bắt đầu hoạt động.',
    'note.signals':
      'Lượt quét 12 tháng gần nhất: tem giả (chữ ký không hợp lệ), tem không có trong hệ thống, và lượt quét có cảnh báo tem bị sao chép. Tem của hệ thống được tính theo tỉnh của chủ thể; tem giả hoặc không rõ được tính theo nơi quét khi người quét gửi xã, phường, nếu không thì vào “Không rõ tỉnh”.',
    'col.code': 'Mã',
    'col.stars': 'Hạng sao',
    'col.group': 'Nhóm sản phẩm',
    'col.kind': 'Loại hình chủ thể',
    'col.province': 'Tỉnh, thành phố',
    'col.year': 'Năm',
    'col.month': 'Tháng',
    'col.products': 'Số sản phẩm',
    'col.certifications': 'Số quyết định',
    'col.labels': 'Số tem',
    'col.scans': 'Lượt quét',
    'col.forged': 'Tem giả',
    'col.unknown': 'Tem không có trong hệ thống',
    'col.clones': 'Cảnh báo sao chép',
    'kind.enterprise': 'Doanh nghiệp',
    'kind.cooperative': 'Hợp tác xã',
    'kind.cooperative_group': 'Tổ hợp tác',
    'kind.household': 'Hộ kinh doanh',
    'kind.unknown': 'Không rõ',
  },
  en: {
    title: 'OCOP product statistics',
    intro: 'OCOP products with a certification in force, labels issued and label scans, from the records of this service.',
    scope: 'Scope: {scope}',
    asOf: 'Figures as of {time}',
    computedIn: 'computed in {ms} ms',
    refreshEvery: 'The figures are computed again at most every {minutes} minutes.',
    province: 'Province or city',
    allProvinces: 'Whole country',
    show: 'Show',
    wholeCountry: 'whole country',
    downloadCsv: 'Download CSV',
    chartDesc: 'Horizontal bar chart; each bar shows its number, and the table below holds every figure.',
    noData: 'No figures yet.',
    total: 'Total',
    unknownProvince: 'Province not known',
    'fig.stars': 'Products by star rating',
    'fig.groups': 'Products by product group',
    'fig.kinds': 'Products by kind of producer',
    'fig.provinces': 'Products by province',
    'fig.years': 'Certification decisions per year',
    'fig.expiring': 'Certifications expiring in the next 90 days',
    'fig.labels': 'Labels issued per month',
    'fig.scans': 'Label scans per month',
    'fig.signals': 'Forgery and clone signals per province',
    'note.registry': 'Products whose certification decision is in force (not expired, not revoked).',
    'note.years': 'Every certification decision by the year it was made, expired, superseded and revoked ones included.',
    'note.expiring': 'Products whose certification expires in the next 90 days, by month of expiry.',
    'note.labels': 'Labels in the print runs issued, by month of issue, last 12 months.',
    'note.scans': 'Label scans per month, last 12 months; counted since the statistics page went live.',
    'note.signals':
      'Scans of the last 12 months: forged labels (the signature does not verify), labels the service never issued, and scans answered with the copied-label warning. Our own labels count under their producer’s province; a forged or unknown label under the place it was scanned when the scanner sent a commune, otherwise under “Province not known”.',
    'col.code': 'Code',
    'col.stars': 'Stars',
    'col.group': 'Product group',
    'col.kind': 'Kind of producer',
    'col.province': 'Province',
    'col.year': 'Year',
    'col.month': 'Month',
    'col.products': 'Products',
    'col.certifications': 'Decisions',
    'col.labels': 'Labels',
    'col.scans': 'Scans',
    'col.forged': 'Forged labels',
    'col.unknown': 'Labels not in the registry',
    'col.clones': 'Copied-label warnings',
    'kind.enterprise': 'Enterprise',
    'kind.cooperative': 'Cooperative',
    'kind.cooperative_group': 'Cooperative group',
    'kind.household': 'Household business',
    'kind.unknown': 'Not known',
  },
};
