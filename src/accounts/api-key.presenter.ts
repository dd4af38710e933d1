import type { KeyView } from './api-key.service.js';

/**
 * What a repeat of a key's creation answers (an Idempotency-Key replay, or a retry after
 * a lost answer): the key without its secret. The secret is in the first answer only and
 * is never stored (only its hash is), so nobody can be shown it twice.
 */
export type KeyReplay = KeyView & {
  key: null;
  /** The start of the key text, `ok_<id>_`, to recognise the key by. */
  keyPrefix: string;
  notice: { vi: string; en: string };
  revoke: { method: 'POST'; href: string };
};

export function presentKeyReplay(view: KeyView): KeyReplay {
  const href = `/api/v1/api-keys/${view.id}/revoke`;
  return {
    ...view,
    key: null,
    keyPrefix: `ok_${view.id}_`,
    notice: {
      vi: `Khóa ${view.id} đã được tạo bởi yêu cầu đầu tiên mang Idempotency-Key này. Phần bí mật của khóa chỉ hiện một lần, trong câu trả lời cho yêu cầu đó, và không thể hiện lại. Nếu không ai nhận được nó, hãy thu hồi khóa (POST ${href}) rồi tạo khóa mới.`,
      en: `Key ${view.id} was created by the first request with this Idempotency-Key. Its secret is shown only once, in the answer to that request, and cannot be shown again. If nobody received it, revoke the key (POST ${href}) and create a new one.`,
    },
    revoke: { method: 'POST', href },
  };
}
