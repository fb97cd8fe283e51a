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
  // headings follow the title's level without a gap; the parts around Swagger UI's <main>
  // are named regions.
  function tidy() {
    root.querySelectorAll(".opblock-summary-control a").forEach(function (link) {
      var span = document.createElement("span");
      span.className = link.className;
      while (link.firstChild) span.appendChild(link.firstChild);
      link.replaceWith(span);
    });
    var title = root.querySelector(".info .title");
    var level = title ? Number(title.tagName.charAt(1)) || 1 : 1;
    root.querySelectorAll("h3.opblock-tag, section.models > h4").forEach(function (heading) {
      setOnce(heading, "aria-level", String(level + 1));
    });
    root.querySelectorAll(".opblock h4").forEach(function (heading) {
      setOnce(heading, "aria-level", String(level + 2));
    });
    // Everything outside Swagger UI's <main> (the operations) sits in a named region.
    if (title) {
      if (!title.id) title.id = "api-title";
      region(root.querySelector(".information-container section"), "aria-labelledby", title.id);
    }
    region(root.querySelector(".scheme-container section"), "aria-label", root.dataset.authorisation);
    var models = root.querySelector("section.models");
    var modelsHeading = models && models.querySelector("h4");
    if (modelsHeading) {
      if (!modelsHeading.id) modelsHeading.id = "api-schemas";
      region(models, "aria-labelledby", modelsHeading.id);
    }
  }

  function setOnce(element, name, value) {
    if (element && element.getAttribute(name) !== value) element.setAttribute(name, value);
  }

  function region(element, name, value) {
    if (!element) return;
    setOnce(element, "role", "region");
    setOnce(element, name, value);
  }

  new MutationObserver(tidy).observe(root, { childList: true, subtree: true });
})();
