/*
 * The site's own script: drawings of diagrams as they near the screen, Mermaid served from
 * this site, the search index when the page is ready, accessible names Material leaves out,
 * and diagrams that scroll when they must.
 *
 * 1. Diagrams. They are drawn ahead of time (`nox -s diagrams`, netdocs/site/diagrams.py). The
 *    build publishes each drawing as assets/diagrams/<key>.svg and leaves in the page a shadow
 *    root declared in the HTML (declarative shadow DOM: Baseline widely available since August
 *    2026) holding the drawing's empty <svg>, which already has the drawing's box. This script
 *    fills it with the drawing when the diagram comes within a screen of view, and fills all
 *    of them when the reader presses Ctrl+F or Cmd+F (the browser's find then sees every
 *    label) or prints.
 *    A diagram without a drawing (while one is edited under `nox -s serve`) is drawn in the
 *    browser as Material does it: Material renders ```mermaid blocks with the global
 *    `mermaid` and loads it from unpkg.com only when that global is missing. This stand-in
 *    defines the global at once and imports the site's own copy of Mermaid's ESM build
 *    (assets/vendor/mermaid/, copied from node_modules at build time) when the first
 *    diagram comes within half a screen of view; diagrams further down render as the
 *    reader scrolls to them (or prints). `nox -s diagrams` draws with this same code.
 *    Mermaid 12 lays flowcharts out with ELK (1.6 MB) by default; dagre, Mermaid 11's
 *    default that Material's diagram styles are made for, is used unless a diagram asks.
 * 2. The search index when the page is ready. Material requests it (the whole site's text,
 *    about 160 KB compressed) the moment its bundle starts, where on a slow phone its
 *    download and parsing compete with the page itself. This script runs before the bundle
 *    (overrides/main.html) and holds that one request until the page has loaded and the
 *    browser is idle, or until the reader reaches for search, whichever comes first.
 * 3. Accessible names Material leaves out: the search dialog, and the numbered
 *    code-annotation markers (their number is drawn by CSS, so links have no text).
 * 4. A diagram wider than its box (it may not shrink below a readable size, see netdocs.css)
 *    scrolls sideways; as Material does for such code blocks, it is then focusable, so it can
 *    be scrolled from the keyboard, and its bar says that it scrolls.
 * 5. Any diagram opens full screen (below).
 * 6. The language switch keeps the section the reader is in (below).
 * 7. Switching the colour palette without transitions (below).
 */
(() => {
  let startIndex;
  const indexWanted = new Promise((resolve) => {
    startIndex = resolve;
  });
  const held = new WeakSet();
  const { open, send } = XMLHttpRequest.prototype;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (new URL(url, location.href).pathname.endsWith("/search/search_index.json")) held.add(this);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...body) {
    if (!held.has(this)) return send.apply(this, body);
    held.delete(this);
    indexWanted.then(() => send.apply(this, body));
  };
  const whenIdle = () =>
    "requestIdleCallback" in window ? requestIdleCallback(startIndex, { timeout: 2000 }) : setTimeout(startIndex);
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle, { once: true });
  // The search box, or a key (Material opens search on f, s and /).
  document.addEventListener("focusin", (event) => event.target.closest?.(".md-search") && startIndex());
  document.addEventListener("keydown", startIndex, { once: true });

  const entry = new URL("../vendor/mermaid/mermaid.esm.min.mjs", document.currentScript.src).href;
  // Material colours a sequence diagram's arrowheads with `#arrowhead path`; Mermaid 12 names
  // its markers `<diagram id>-arrowhead` and so on, which would keep a dark grey in dark mode.
  const SEQUENCE_HEADS = [
    '[id$="-arrowhead"] path, [id$="-filled-head"] path, [id$="-solidTopArrowHead"] path,',
    '[id$="-solidBottomArrowHead"] path { fill: var(--md-mermaid-sequence-message-line-color); stroke: none }',
    '[id$="-crosshead"] path, [id$="-stickTopArrowHead"] path, [id$="-stickBottomArrowHead"] path',
    "{ stroke: var(--md-mermaid-sequence-message-line-color) }",
  ].join(" ");
  let options = {};
  let loaded;
  const load = () => {
    loaded ||= import(entry).then(({ default: mermaid }) => {
      // A fixed seed for the shapes' hand-drawn jitter: the same diagram draws the same SVG.
      // Mermaid 12 draws flowcharts and sequence diagrams in its own theme and look
      // ("redux-color", "neo"), which paint subgraphs, actors and notes fixed light colours in
      // inline styles that Material's dark mode cannot override: pale labels on pale boxes.
      // Mermaid 11's theme and classic look, which Material's styles are made for, take
      // Material's colours in both schemes.
      const classic = { theme: "default", look: "classic" };
      mermaid.initialize({
        layout: "dagre",
        handDrawnSeed: 1,
        ...options,
        themeCSS: (options.themeCSS || "") + SEQUENCE_HEADS,
        flowchart: { ...classic, ...options.flowchart },
        // Long messages and notes wrap to the width between their lifelines instead of pushing
        // the participants apart: narrower drawings, readable without shrinking. Four 180 px
        // participants 30 px apart, with 10 px margins, make a drawing about 850 px wide: it
        // shrinks into the 688 px column no further than the floor of 0.78 (netdocs.css), so
        // its 16 px text stays above 12.5 px; three participants fit unshrunk. Mermaid wraps
        // at spaces only (a longer word, or a run of Chinese, is cut with a hyphen) and leaves
        // a label with a <br/> as written, even past the edge of its note: keep such lines short.
        sequence: {
          ...classic,
          wrap: true,
          width: 180,
          actorMargin: 30,
          diagramMarginX: 10,
          wrapPadding: 6,
          ...options.sequence,
        },
      });
      return mermaid;
    });
    return loaded;
  };

  // Material calls render() right after putting class="mermaid" back on the block it renders.
  const claimed = new Set();
  const printing = [];
  const blockFor = (text) => {
    const block = [...document.querySelectorAll("pre.mermaid")].find(
      (el) => !claimed.has(el) && el.textContent === text,
    );
    if (block) claimed.add(block);
    return block;
  };
  const nearScreen = (block) =>
    new Promise((resolve) => {
      if (!block || !("IntersectionObserver" in window)) {
        resolve();
        return;
      }
      const observer = new IntersectionObserver(
        (entries) => {
          if (entries.some((item) => item.isIntersecting)) {
            observer.disconnect();
            resolve();
          }
        },
        { rootMargin: "50% 0px" }, // half a screen ahead, like the browser's own lazy images
      );
      observer.observe(block);
      printing.push(() => {
        observer.disconnect();
        resolve();
      });
    });
  window.addEventListener("beforeprint", () => printing.splice(0).forEach((start) => start()));

  // Mermaid measures text in a scratch element; in a box with CSS containment each
  // measurement lays out that box only, not the whole page.
  const sandbox = () => {
    let box = document.getElementById("nd-mermaid-sandbox");
    if (!box) {
      box = document.createElement("div");
      box.id = "nd-mermaid-sandbox";
      box.setAttribute("aria-hidden", "true");
      box.style.cssText =
        "position:absolute;left:-10000px;top:0;width:1200px;height:900px;overflow:hidden;contain:strict";
      document.body.append(box);
    }
    return box;
  };

  window.mermaid = {
    initialize(config) {
      options = { ...config };
    },
    async render(id, text, container) {
      await nearScreen(blockFor(text));
      return (await load()).render(id, text, container || sandbox());
    },
    async run(config) {
      return (await load()).run(config);
    },
  };

  const label = () => {
    const search = document.querySelector(".md-search[role=dialog]:not([aria-label])");
    const input = document.querySelector(".md-search__input");
    if (search && input) search.setAttribute("aria-label", input.getAttribute("aria-label"));
    const word = document.documentElement.lang.startsWith("zh") ? "注释" : "Annotation";
    for (const link of document.querySelectorAll(".md-annotation__index:not([aria-label])")) {
      const number = link.querySelector("[data-md-annotation-id]");
      if (number) link.setAttribute("aria-label", `${word} ${number.dataset.mdAnnotationId}`);
    }
  };
  // Material adds the markers after load; look again at most once per frame.
  let queued = false;
  const later = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      label();
    });
  };
  label();
  new MutationObserver(later).observe(document.body, { childList: true, subtree: true });

  // 1. Drawings, fetched as they are wanted; one that fails to arrive is fetched again the next
  //    time it is wanted. Only those near the screen: drawing them all at load held a phone's
  //    main thread for 60-130 ms more (Lighthouse total blocking time, paired runs).
  const drawingsAt = new URL("../diagrams/", document.currentScript.src);
  const hosts = [...document.querySelectorAll(".nd-diagram > div.mermaid[data-diagram]")];
  const drawings = new Map();
  const drawingOf = (host) => new URL(`${host.dataset.diagram}.svg`, drawingsAt);
  const show = (host, svg) => {
    (host.shadowRoot || host.attachShadow({ mode: "open" })).innerHTML = svg;
  };
  const shown = (host) => host.shadowRoot?.querySelector("svg")?.childElementCount > 0;
  const draw = (host) => {
    if (!drawings.has(host)) {
      const drawing = fetch(drawingOf(host))
        .then((response) => (response.ok ? response.text() : Promise.reject(new Error(response.statusText))))
        .then((svg) => show(host, svg))
        .catch(() => drawings.delete(host));
      drawings.set(host, drawing);
    }
    return drawings.get(host);
  };
  const drawAll = () => Promise.all(hosts.map(draw));
  if ("IntersectionObserver" in window) {
    const near = new IntersectionObserver(
      (entries) => {
        for (const { target, isIntersecting } of entries) if (isIntersecting) draw(target);
      },
      { rootMargin: "100% 0px" }, // a screen ahead
    );
    for (const host of hosts) near.observe(host);
  } else drawAll();
  // The browser's find looks for a label in every drawing.
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key?.toLowerCase() === "f") drawAll();
  });
  // Printing lays the page out as soon as this event returns, so the drawings not yet shown are
  // read here and now: a synchronous request, the one way to have them on paper.
  window.addEventListener("beforeprint", () => {
    for (const host of hosts.filter((each) => !shown(each))) {
      const request = new XMLHttpRequest();
      request.open("GET", drawingOf(host), false);
      request.send();
      if (request.status === 200) show(host, request.responseText);
    }
  });

  const scrollable = new ResizeObserver((entries) => {
    for (const { target } of entries) {
      const scrolls = target.scrollWidth > target.clientWidth;
      if (scrolls) target.setAttribute("tabindex", "0");
      else target.removeAttribute("tabindex");
      target.parentElement.classList.toggle("nd-diagram--scrolls", scrolls);
    }
  });
  for (const diagram of document.querySelectorAll(".nd-diagram > div.mermaid[data-diagram]")) {
    scrollable.observe(diagram);
  }

  // 5. Any diagram opens full screen: its button, or a click or tap on the diagram (not one that
  //    ends a text selection: labels stay selectable). A modal <dialog> keeps the keyboard
  //    inside it, Esc or the close button closes it, and focus goes back to where it was.
  const zh = document.documentElement.lang.startsWith("zh");
  let dialog;
  let opener;
  const dialogFor = () => {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "nd-diagram-dialog";
    dialog.setAttribute("aria-label", zh ? "图示（全屏）" : "Diagram, full screen");
    const close = document.createElement("button");
    close.type = "button";
    close.className = "nd-diagram-dialog__close md-button";
    close.textContent = zh ? "关闭" : "Close";
    close.addEventListener("click", () => dialog.close());
    const body = document.createElement("div");
    body.className = "nd-diagram-dialog__body";
    body.tabIndex = 0; // scrolls in both directions from the keyboard
    body.attachShadow({ mode: "open" });
    dialog.append(close, body);
    // A click on the backdrop (outside the dialog's box) closes it too.
    dialog.addEventListener("click", (event) => event.target === dialog && dialog.close());
    // Tab and Shift+Tab go round the dialog's two stops; the browser would leave the page.
    dialog.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") return;
      event.preventDefault();
      (document.activeElement === close ? body : close).focus();
    });
    dialog.addEventListener("close", () => {
      body.shadowRoot.replaceChildren();
      opener?.focus();
    });
    document.body.append(dialog);
    return dialog;
  };
  const openFull = async (host, from) => {
    await draw(host);
    if (!shown(host)) return; // its drawing has not arrived
    const svg = host.shadowRoot.querySelector("svg");
    const box = dialogFor();
    const copy = svg.cloneNode(true);
    // Natural size when it fits the screen; otherwise the screen's width, down to 3/4 of natural
    // size (labels at 12 px), and then the dialog scrolls.
    const natural = svg.viewBox.baseVal.width;
    const room = window.innerWidth - 48;
    copy.style.maxWidth = "none";
    copy.style.minWidth = "0";
    copy.style.width = `${Math.max(Math.min(natural, room), natural * 0.75)}px`;
    copy.style.height = "auto";
    const body = box.querySelector(".nd-diagram-dialog__body");
    body.shadowRoot.replaceChildren(copy);
    opener = from;
    box.showModal();
    body.focus();
  };
  for (const figure of document.querySelectorAll(".nd-diagram")) {
    const host = figure.querySelector("div.mermaid[data-diagram]");
    const button = figure.querySelector(".nd-diagram__open");
    if (!host || !button) continue;
    button.hidden = false;
    button.addEventListener("click", () => openFull(host, button));
    host.addEventListener("click", () => {
      if (document.getSelection()?.isCollapsed !== false) openFull(host, button);
    });
  }

  // 6. The language switch keeps the section: headings have the same ids in both languages
  //    (netdocs/site/cjk.py), so the other language's page is opened at the same #hash.
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a.md-select__link[hreflang]");
    if (link && location.hash && !link.hash) link.hash = location.hash;
  });

  // 7. Switching the colour palette without transitions. Material's rule that stops them
  //    while colours change is keyed to this attribute (netdocs/site/palette.py), not to the
  //    one Material sets at every page load. It goes on before Material handles the switch
  //    (capture runs first; Material's automatic switch clicks the same inputs) and comes off
  //    once the new colours have been drawn.
  document.addEventListener(
    "change",
    (event) => {
      if (!event.target.closest?.("[data-md-component=palette]")) return;
      document.body.setAttribute("data-nd-color-switching", "");
      requestAnimationFrame(() =>
        requestAnimationFrame(() => document.body.removeAttribute("data-nd-color-switching")),
      );
    },
    true,
  );
})();
