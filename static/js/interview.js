/* Interview capture: cluster autocomplete, running totals, and saving that never loses work.
 *
 * Everything here is an enhancement: without JavaScript the pages are plain forms that the
 * server validates and saves. With it, a failed save (network, server) leaves the input on
 * the page, and a copy of the input is kept in localStorage until the server has it.
 */
(function () {
  "use strict";

  // --- Cluster autocomplete on "Start an interview" ---------------------------------------

  function initClusterPicker() {
    const root = document.querySelector(".cluster-picker");
    if (!root) return;
    const input = root.querySelector("#cluster-search");
    const list = root.querySelector("#cluster-results");
    const chosen = root.querySelector("#cluster-chosen");
    const chosenName = root.querySelector("#cluster-chosen-name");
    const form = root.closest("form");
    let timer = null;
    let results = [];
    let active = -1;
    let request = 0;

    function clusterInput() {
      let hidden = form.querySelector("input[type=hidden][name=cluster]");
      if (!hidden) {
        // The no-JS search results (radio buttons) give way to the autocomplete's choice.
        const choices = root.querySelector("#cluster-choices");
        if (choices) choices.remove();
        hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "cluster";
        form.appendChild(hidden);
      }
      return hidden;
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const items = list.querySelectorAll("[role=option]");
      items.forEach((item, i) => item.classList.toggle("active", i === index));
      active = index;
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(cluster) {
      clusterInput().value = cluster.id;
      chosenName.textContent = cluster.name + " (" + cluster.country + ")";
      chosen.classList.remove("d-none");
      input.value = cluster.name;
      close();
      // On to the next thing to fill in: the date is today's and the mode has its default.
      const next = form.querySelector("[name=interviewee_name]");
      if (next) next.focus();
    }

    function render(found) {
      results = found;
      list.innerHTML = "";
      if (!found.length) {
        const li = document.createElement("li");
        li.className = "list-group-item text-body-secondary";
        li.textContent = gettext("No cluster matches.");
        list.appendChild(li);
      }
      found.forEach((cluster, i) => {
        const li = document.createElement("li");
        li.className = "list-group-item list-group-item-action";
        li.id = "cluster-option-" + i;
        li.setAttribute("role", "option");
        li.textContent = cluster.name + " · " + cluster.country + (cluster.region ? ", " + cluster.region : "");
        li.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(cluster);
        });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function search() {
      const q = input.value.trim();
      if (q.length < 2) return close();
      const mine = ++request;
      fetch(root.dataset.searchUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then((data) => {
          if (mine === request) render(data.results);
        })
        .catch(() => close());
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(results[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
    // The cursor starts in the search (not on a touch screen, where it would pop up the keyboard).
    const waiting = !form.querySelector("[name=cluster]:checked, input[type=hidden][name=cluster][value]:not([value=''])");
    if (waiting && !document.activeElement?.closest("form") && window.matchMedia("(pointer: fine)").matches) {
      input.focus();
    }
    // On a slow connection an expert can type before this script has run: search for
    // what is already in the box rather than wait for the next keystroke.
    if (document.activeElement === input && input.value.trim()) search();
  }

  // --- Running totals of counts and shares ------------------------------------------------

  // A number as the reader's language writes it: with `decimal` "," (German, Spanish) a point
  // or a space groups thousands; with "." (English) a comma or a space does. The server judges
  // what is ambiguous; the running total only has to add up what it can read.
  function number(text, decimal = ".") {
    let plain = String(text).replace(/[\s\u00a0\u202f]/g, "");
    plain = decimal === "," ? plain.replace(/\./g, "").replace(",", ".") : plain.replace(/,/g, "");
    const value = parseFloat(plain);
    return Number.isFinite(value) ? value : null;
  }

  function written(value, decimal) {
    return String(value).replace(".", decimal);
  }

  function initPartsTotals(scope) {
    scope.querySelectorAll(".parts-table").forEach((table) => {
      // The server states what the parts must add up to (shares: 100 ± 0.5), if anything.
      const target = number(table.dataset.total ?? "");
      const tolerance = number(table.dataset.tolerance ?? "") ?? 0;
      const decimal = table.dataset.decimal || ".";
      const output = table.querySelector(".parts-total");
      if (!output) return; // parts whose total means nothing (joined and left) show none
      let note = table.querySelector(".parts-total-note");
      if (!note) {
        note = document.createElement("div");
        note.className = "parts-total-note";
        output.parentElement.appendChild(note);
      }
      function update() {
        let total = 0;
        let any = false;
        table.querySelectorAll(".part-input").forEach((input) => {
          const value = number(input.value, decimal);
          if (value !== null) {
            total += value;
            any = true;
          }
        });
        output.textContent = written(Math.round(total * 100) / 100, decimal);
        if (target === null) return;
        const ok = Math.abs(total - target) <= tolerance;
        table.classList.toggle("total-ok", any && ok);
        table.classList.toggle("total-off", any && !ok);
        const rest = Math.round((target - total) * 100) / 100;
        note.textContent = !any
          ? ""
          : ok
            ? gettext("✓ adds up to 100 %")
            : rest > 0
              ? interpolate(gettext("%(n)s % still to assign"), { n: written(rest, decimal) }, true)
              : interpolate(gettext("%(n)s % too much"), { n: written(-rest, decimal) }, true);
      }
      table.addEventListener("input", update);
      update();
      // Shares: arriving at the last part with every other one filled in, it holds what is
      // left of the 100 % (selected, so that typing replaces it).
      const inputs = Array.from(table.querySelectorAll(".part-input"));
      const last = inputs[inputs.length - 1];
      if (target !== null && last && inputs.length > 1) {
        last.addEventListener("focus", () => {
          if (last.value.trim() || last.readOnly || last.disabled) return;
          const others = inputs.slice(0, -1).map((input) => number(input.value, decimal));
          if (others.some((value) => value === null)) return;
          const rest = Math.round((target - others.reduce((a, b) => a + b, 0)) * 100) / 100;
          if (rest < 0) return;
          last.value = written(rest, decimal);
          last.dispatchEvent(new Event("input", { bubbles: true }));
          last.select();
        });
      }
    });
  }

  // --- Step form: local draft copy and saving with fetch --------------------------------

  const SKIP = new Set(["csrfmiddlewaretoken", "version", "base", "save", "continue"]);

  function serialize(form) {
    const fields = [];
    new FormData(form).forEach((value, name) => {
      if (!SKIP.has(name)) fields.push([name, String(value)]);
    });
    return fields;
  }

  function restore(form, fields) {
    const values = {};
    fields.forEach(([name, value]) => (values[name] = values[name] || []).push(value));
    Array.from(form.elements).forEach((el) => {
      if (!el.name || SKIP.has(el.name) || el.type === "submit") return;
      const given = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") el.checked = given.includes(el.value);
      else el.value = given.length ? given[0] : "";
    });
    form.querySelectorAll(".parts-table").forEach((t) => t.dispatchEvent(new Event("input")));
  }

  function draftKeys(prefix) {
    const keys = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith(prefix)) keys.push(key);
    }
    return keys;
  }

  function clearDrafts(prefix) {
    try {
      draftKeys(prefix).forEach((key) => localStorage.removeItem(key));
    } catch (e) {
      /* storage unavailable: nothing to clear */
    }
  }

  function showStatus(kind, html) {
    const box = document.getElementById("save-status");
    box.innerHTML = '<div class="alert alert-' + kind + '" role="alert"></div>';
    box.firstChild.innerHTML = html;
    box.scrollIntoView({ block: "center" });
    return box.firstChild;
  }

  function offerDraft(form, prefix) {
    let newest = null;
    try {
      draftKeys(prefix).forEach((key) => {
        const draft = JSON.parse(localStorage.getItem(key));
        if (draft && (!newest || draft.savedAt > newest.savedAt)) newest = Object.assign(draft, { key: key });
      });
    } catch (e) {
      return;
    }
    if (!newest || JSON.stringify(newest.fields) === JSON.stringify(serialize(form))) return;
    const when = new Date(newest.savedAt).toLocaleString(document.documentElement.lang || undefined, { dateStyle: "long", timeStyle: "short" });
    const older = String(newest.version) !== form.dataset.version;
    const message = older
      ? gettext("Unsaved input from %(when)s (typed before a later save) is kept in this browser.")
      : gettext("Unsaved input from %(when)s is kept in this browser.");
    const alert = showStatus(
      "info",
      "<strong>" + escapeHtml(interpolate(message, { when: when }, true)) + "</strong> " +
        '<button type="button" class="btn btn-sm btn-primary ms-2" data-draft="restore">' +
        escapeHtml(gettext("Restore it")) + "</button> " +
        '<button type="button" class="btn btn-sm btn-outline-secondary" data-draft="discard">' +
        escapeHtml(gettext("Discard it")) + "</button>"
    );
    alert.addEventListener("click", (event) => {
      const action = event.target.dataset.draft;
      if (!action) return;
      if (action === "restore") {
        restore(form, newest.fields);
        form.dispatchEvent(new Event("change")); // restored, not saved: keep the copy and the leave warning
      } else clearDrafts(prefix);
      alert.remove();
      if (action === "restore") {
        showStatus("warning", escapeHtml(gettext("Input restored. It is not saved yet: press Save.")));
      }
    });
  }

  // Chromium ignores scroll-padding when Tab moves the focus: a field that lands under the
  // sticky Save bar is scrolled up by hand. Never for a focus a mouse press gave: scrolling
  // between the press and the release would move the click off a checkbox or a radio button.
  function keepClearOfSaveBar(form, field) {
    const bar = form.querySelector(".step-actions");
    if (!bar || bar.contains(field) || !field.matches(":focus-visible")) return;
    const barTop = bar.getBoundingClientRect().top;
    const bottom = field.getBoundingClientRect().bottom;
    if (bottom > barTop - 8) window.scrollBy({ top: bottom - barTop + 24, behavior: "instant" });
  }

  // fetch() fails with a TypeError whose text differs per browser ("Failed to fetch").
  function failureText(error) {
    if (!navigator.onLine) return gettext("this computer is offline");
    if (error instanceof TypeError) return gettext("the server could not be reached; check the internet connection");
    return error.message || gettext("the server could not be reached");
  }

  function initStepForm() {
    const form = document.getElementById("step-form");
    if (!form || !form.dataset.editable) return;
    const prefix = form.dataset.draftKey + ":";
    const key = prefix + "v" + form.dataset.version;
    const state = document.getElementById("save-state");
    let dirty = false;

    function setDirty(value) {
      dirty = value;
      if (state) state.textContent = value ? gettext("Not saved yet: a copy is kept in this browser") : "";
    }

    function keepDraft() {
      setDirty(true);
      try {
        localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), version: form.dataset.version, fields: serialize(form) }));
      } catch (e) {
        /* storage full or disabled: the server copy is what counts */
      }
    }
    form.addEventListener("input", keepDraft);
    form.addEventListener("change", keepDraft);
    form.addEventListener("focusin", (event) => keepClearOfSaveBar(form, event.target));
    window.onbeforeunload = (event) => {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    };

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      keepDraft();
      // The submitter must still be enabled here, or FormData leaves its name out.
      const data = new FormData(form, event.submitter);
      const buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach((b) => (b.disabled = true));
      showStatus("secondary", escapeHtml(gettext("Saving…")));
      fetch(window.location.href, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then((response) => {
          if (response.redirected && new URL(response.url).pathname.startsWith("/accounts/login")) {
            throw new Error(gettext("your session has expired: log in again in another tab, then press Save here"));
          }
          if (response.redirected && response.ok) {
            // Everything was stored. The page the server redirected to (with its "Saved"
            // message, which a second request would no longer show) replaces this one.
            setDirty(false);
            clearDrafts(prefix);
            return response.text().then((html) => {
              if (response.url !== window.location.href) window.history.pushState(null, "", response.url);
              replaceMain(html);
            });
          }
          if ([200, 400, 409].includes(response.status)) {
            // Not everything was stored (a warning to confirm, an error, someone else's
            // save): the page comes back with the input as typed, marked data-unsaved, and
            // the new page keeps the local copy and the leave warning (see below).
            return response.text().then((html) => {
              clearDrafts(prefix);
              replaceMain(html);
            });
          }
          throw new Error(interpolate(gettext("the server answered with error %(status)s"), { status: response.status }, true));
        })
        .catch((error) => {
          buttons.forEach((b) => (b.disabled = false));
          showStatus(
            "danger",
            "<strong>" + escapeHtml(gettext("Not saved:")) + "</strong> " +
              escapeHtml(
                interpolate(
                  gettext("%(reason)s. Your input is still on this page, and a copy is kept in this browser. Try Save again."),
                  { reason: failureText(error) },
                  true
                )
              )
          );
        });
    });

    initExtrasSwitch(form);
    initOptionLists(form);
    initOptionKeys(form);
    initShortcuts(form);
    if (form.dataset.unsaved) keepDraft(); // the server did not store all of this page's input
    else offerDraft(form, prefix);
    focusStart(form);
  }

  // --- Keyboard: one Tab stop per answer ------------------------------------------------
  //
  // During a call the expert tabs from answer to answer. The reason for a missing value and
  // the comment stay out of that path: Alt+R and Alt+C jump to them (or a switch puts them
  // back in the Tab order); the options of a "tick all that apply" list are one stop, moved
  // through with the arrow keys; Ctrl+Enter saves and continues.

  const EXTRAS = ".indicator-extra select, .indicator-extra textarea";
  const TAB_EXTRAS_KEY = "interview:tab-extras";

  function tabExtras(form, on) {
    form.querySelectorAll(EXTRAS).forEach((el) => (on ? el.removeAttribute("tabindex") : (el.tabIndex = -1)));
  }

  function initExtrasSwitch(form) {
    const toggle = document.getElementById("tab-extras");
    let on = false;
    try {
      on = localStorage.getItem(TAB_EXTRAS_KEY) === "1";
    } catch (e) {
      /* storage unavailable: the default */
    }
    tabExtras(form, on);
    if (!toggle) return;
    toggle.checked = on;
    toggle.closest("[hidden]")?.removeAttribute("hidden");
    toggle.addEventListener("change", () => {
      tabExtras(form, toggle.checked);
      try {
        localStorage.setItem(TAB_EXTRAS_KEY, toggle.checked ? "1" : "0");
      } catch (e) {
        /* not remembered: fine */
      }
    });
  }

  function initOptionLists(form) {
    form.querySelectorAll(".indicator[data-arrow-keys=checkboxes]").forEach((card) => {
      const boxes = Array.from(card.querySelectorAll(".indicator-value input[type=checkbox]"));
      if (!boxes.length || boxes[0].disabled) return;
      const current = boxes.find((b) => b.checked) || boxes[0];
      boxes.forEach((b) => (b.tabIndex = b === current ? 0 : -1));
      boxes.forEach((box, index) => {
        box.addEventListener("keydown", (event) => {
          const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
          if (!step) return;
          event.preventDefault();
          const next = boxes[(index + step + boxes.length) % boxes.length];
          box.tabIndex = -1;
          next.tabIndex = 0;
          next.focus();
        });
      });
    });
  }

  // --- Keyboard: a digit or a letter picks an option -------------------------------------
  //
  // In a list of options (one answer, or "tick all that apply") the digit 1-9 picks that
  // option; a letter picks the next option whose label starts with it. A single-answer list
  // then moves on to the next answer (unless the letter is ambiguous: pressing it again
  // goes on to the next option with that letter). Each option shows its digit.

  function optionInputs(card) {
    return Array.from(card.querySelectorAll(".indicator-value input[type=radio], .indicator-value input[type=checkbox]"));
  }

  function optionLabel(input) {
    const label = input.id ? document.querySelector(`label[for="${input.id}"]`) : null;
    return (label ? label.textContent : input.value).trim();
  }

  function firstLetter(text) {
    return text.normalize("NFD").replace(/[^\p{L}\p{N}]/gu, "").charAt(0).toLocaleLowerCase();
  }

  function nextAnswer(card) {
    const form = card.closest("form");
    const cards = Array.from(form.querySelectorAll(".indicator"));
    for (const next of cards.slice(cards.indexOf(card) + 1)) {
      const field = next.querySelector(
        ".indicator-value input:not([type=hidden]):not([tabindex='-1']):not(:disabled), .indicator-value select:not(:disabled), .indicator-value textarea:not(:disabled)"
      );
      if (field) {
        const group = field.type === "radio" && field.name ? next.querySelector(`input[name="${field.name}"]:checked`) : null;
        return group || field;
      }
    }
    return form.querySelector("button[name=continue]");
  }

  function initOptionKeys(form) {
    form.querySelectorAll(".indicator").forEach((card) => {
      const inputs = optionInputs(card);
      if (!inputs.length || inputs[0].disabled || inputs.length > 9) return;
      const single = inputs[0].type === "radio";
      inputs.forEach((input, index) => {
        const label = input.id ? form.querySelector(`label[for="${input.id}"]`) : null;
        // Beside the label, not in it: the option's name stays its own words.
        if (label && !(label.previousElementSibling && label.previousElementSibling.matches(".option-key"))) {
          const key = document.createElement("kbd");
          key.className = "option-key";
          key.setAttribute("aria-hidden", "true");
          key.textContent = String(index + 1);
          label.before(key);
        }
        input.setAttribute("aria-keyshortcuts", String(index + 1));
      });
      card.addEventListener("keydown", (event) => {
        const from = event.target;
        if (!inputs.includes(from) || event.altKey || event.ctrlKey || event.metaKey || event.key.length !== 1) return;
        let target = null;
        let ambiguous = false;
        if (/^[1-9]$/.test(event.key)) {
          target = inputs[Number(event.key) - 1] || null;
        } else {
          const letter = event.key.toLocaleLowerCase();
          const matching = inputs.filter((input) => firstLetter(optionLabel(input)) === letter);
          if (!matching.length) return;
          ambiguous = matching.length > 1;
          const after = matching.find((input) => inputs.indexOf(input) > inputs.indexOf(from));
          target = after || matching[0];
        }
        if (!target) return;
        event.preventDefault();
        if (single) {
          target.checked = true;
          target.dispatchEvent(new Event("input", { bubbles: true }));
          target.dispatchEvent(new Event("change", { bubbles: true }));
          const next = ambiguous ? null : nextAnswer(card);
          (next || target).focus();
          if (next && next.select && next.type === "text") next.select();
        } else {
          if (inputs.some((input) => input.tabIndex === -1)) inputs.forEach((input) => (input.tabIndex = input === target ? 0 : -1));
          target.focus();
          if (/^[1-9]$/.test(event.key)) target.click(); // a digit ticks or unticks; a letter only moves
        }
      });
    });
  }

  function cardExtra(kind) {
    const card = document.activeElement && document.activeElement.closest(".indicator");
    return card && card.querySelector(kind === "r" ? ".indicator-extra select" : ".indicator-extra textarea");
  }

  const REASON_KEYS = { KeyU: "unknown", KeyN: "not_applicable", KeyX: "not_disclosed" };

  function initShortcuts(form) {
    form.addEventListener("keydown", (event) => {
      if (event.altKey && !event.ctrlKey && !event.metaKey && (event.code === "KeyR" || event.code === "KeyC")) {
        const target = cardExtra(event.code === "KeyR" ? "r" : "c");
        if (!target || target.disabled) return;
        event.preventDefault(); // on a Mac, Option+R would type "®"
        target.focus();
      } else if (event.altKey && !event.ctrlKey && !event.metaKey && REASON_KEYS[event.code]) {
        // Alt+U unknown, Alt+N not applicable, Alt+X not disclosed: the reason is set and the
        // keyboard goes on to the next answer.
        const card = document.activeElement && document.activeElement.closest(".indicator");
        const select = cardExtra("r");
        if (!card || !select || select.disabled) return;
        const option = Array.from(select.options).find((o) => o.value === REASON_KEYS[event.code]);
        if (!option) return;
        event.preventDefault();
        select.value = option.value;
        select.dispatchEvent(new Event("input", { bubbles: true }));
        select.dispatchEvent(new Event("change", { bubbles: true }));
        const next = nextAnswer(card);
        if (next) next.focus();
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        const next = form.querySelector("button[name=continue]");
        if (!next || next.disabled) return;
        event.preventDefault();
        form.requestSubmit(next);
      }
    });
    const hint = document.getElementById("keys-hint");
    if (hint) hint.hidden = false;
  }

  // Where the keyboard starts on a step: the first answer, or the first one needing attention.
  function focusStart(form) {
    const problem = form.querySelector(".indicator-warning input, .is-invalid, .indicator.border-danger input");
    const first = form.querySelector(".indicator-value input:not([type=hidden]):not([tabindex='-1']), .indicator-value select");
    // On a touch screen, focusing a field on load would pop up the keyboard over the page.
    const target = problem || (window.matchMedia("(pointer: fine)").matches ? first : null);
    if (target) target.focus({ preventScroll: !problem });
  }

  // --- Summary: submitting is final, so it is confirmed --------------------------------

  function initConfirm() {
    document.querySelectorAll("form[data-confirm]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function replaceMain(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const main = doc.querySelector("main");
    document.querySelector("main").replaceWith(document.adoptNode(main));
    document.title = doc.title;
    init();
    const problem = document.querySelector("#conflict-alert, #problems-alert, main .alert-danger");
    if (problem) problem.scrollIntoView({ block: "start" });
    else window.scrollTo(0, 0);
  }

  // --- The catalogue in force on the chosen date ("Start an interview") ------------------------

  function initCatalogueInForce() {
    const note = document.querySelector("#catalogue-in-force");
    const input = document.querySelector("input[type=date][name=date]");
    if (!note || !input) return;
    const periods = Array.from(document.querySelectorAll("#catalogue-periods li[data-version]"));
    input.addEventListener("change", () => {
      const day = input.value; // ISO dates compare as text
      const period = periods.find((p) => p.dataset.starts <= day && (!p.dataset.ends || day <= p.dataset.ends));
      note.textContent = period
        ? note.dataset.template.replace("__version__", period.dataset.version)
        : note.dataset.none;
    });
  }

  function init() {
    initClusterPicker();
    initCatalogueInForce();
    initPartsTotals(document);
    initStepForm();
    initConfirm();
  }

  // After a save moved to the next step with pushState, Back must show that page for real.
  window.addEventListener("popstate", () => window.location.reload());

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
