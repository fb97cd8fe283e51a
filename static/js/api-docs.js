// The API documentation page: Swagger UI on the schema named by the page (no inline script).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    // Requests from "Try it out" carry the session cookie; secretariat endpoints also take a token.
    withCredentials: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });

  // What Swagger UI draws, made accessible (axe-core finds no violation, issue 27): the
  // operation's path is a link inside the operation's button (a control within a control),
  // so it becomes plain text (the button opens the operation, deep links still work); the
  // tags' headings (h3) come straight under the title (h2 at most): they are level 2.
  function tidy() {
    root.querySelectorAll(".opblock-summary-control a").forEach(function (link) {
      var span = document.createElement("span");
      span.className = link.className;
      while (link.firstChild) span.appendChild(link.firstChild);
      link.replaceWith(span);
    });
    var title = root.querySelector(".info .title");
    var level = title ? Number(title.tagName.charAt(1)) || 1 : 1;
    root.querySelectorAll("h3.opblock-tag, h4.opblock-title_normal, .opblock-section-header h4").forEach(function (heading) {
      var wanted = heading.matches("h3.opblock-tag") ? level + 1 : level + 2;
      if (heading.getAttribute("aria-level") !== String(wanted)) heading.setAttribute("aria-level", String(wanted));
    });
  }
  new MutationObserver(tidy).observe(root, { childList: true, subtree: true });
})();
