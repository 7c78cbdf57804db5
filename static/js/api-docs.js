/* Starts Swagger UI (served from /api/v1/docs/assets, no CDN) on the OpenAPI document. */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") { return; }
  var fallback = document.getElementById("api-summary");
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    layout: "BaseLayout",
    presets: [window.SwaggerUIBundle.presets.apis],
    // "Try it out" calls this same site only: the API uses bearer tokens, never the session cookie.
    withCredentials: false,
    onComplete: function () { if (fallback) { fallback.hidden = true; } }
  });
})();
