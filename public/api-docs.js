/*
 * Starts swagger-ui on the API reference page (views/api-docs.eta): a file, not an
 * inline script, so the page runs under the site's CSP (script-src 'self').
 */
window.addEventListener('DOMContentLoaded', () => {
  const root = document.getElementById('swagger-ui');
  if (!root || typeof window.SwaggerUIBundle !== 'function') return;
  window.SwaggerUIBundle({
    url: root.dataset.url,
    domNode: root,
    deepLinking: true,
    // No call to the public validator service (it would break connect-src 'self' and leak the document).
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
    docExpansion: 'list',
  });
});
