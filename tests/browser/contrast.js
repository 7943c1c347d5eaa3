// Every label of every diagram in the article against the paint behind it, and every
// arrowhead a line uses against the page, as WCAG contrast ratios (1.4.3, 1.4.11).
() => {
  const rgba = (value) => (value.match(/[\d.]+/g) || []).map(Number);
  const paint = (value) => {
    if (!value || value === "none" || value.startsWith("url")) return null;
    const colour = rgba(value);
    return colour.length === 3 || colour[3] > 0 ? colour : null;
  };
  const over = (top, base) => [0, 1, 2].map((i) => top[i] * (top[3] ?? 1) + base[i] * (1 - (top[3] ?? 1)));
  const luminance = (colour) => {
    const linear = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(colour[0]) + 0.7152 * linear(colour[1]) + 0.0722 * linear(colour[2]);
  };
  const ratio = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100;
  };
  const page = rgba(getComputedStyle(document.body).backgroundColor);
  const SHAPES = ":scope > rect, :scope > polygon, :scope > circle, :scope > ellipse, :scope > path";
  // The label's own box (HTML labels), else the first filled shape of the nearest group, else the page.
  const behind = (label, svg) => {
    for (let el = label; el && el !== svg; el = el.parentElement) {
      const box = el instanceof SVGElement ? null : paint(getComputedStyle(el).backgroundColor);
      if (box) return over(box, page);
      for (const shape of el === label ? [] : el.querySelectorAll(SHAPES)) {
        const fill = paint(getComputedStyle(shape).fill);
        if (fill) return over(fill, page);
      }
    }
    return page;
  };
  const ownText = (el) => [...el.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
  const found = [];
  document.querySelectorAll("article div.mermaid").forEach((host, index) => {
    const svg = host.shadowRoot.querySelector("svg");
    const diagram = host.dataset.diagram || String(index + 1);
    for (const label of svg.querySelectorAll("text, tspan, span, p")) {
      if (!ownText(label) || label.closest("marker")) continue;
      const style = getComputedStyle(label);
      const ink = paint(label instanceof SVGElement ? style.fill : style.color);
      if (ink) found.push({ diagram, what: label.textContent.trim().slice(0, 40), ratio: ratio(over(ink, page), behind(label, svg)) });
    }
    const used = new Set();
    for (const line of svg.querySelectorAll("[marker-end], [marker-start]")) {
      for (const name of ["marker-end", "marker-start"]) {
        const id = (line.getAttribute(name) || "").match(/#([^)"']+)/);
        if (id) used.add(id[1]);
      }
    }
    for (const id of used) {
      for (const mark of svg.querySelectorAll(`marker[id="${id}"] path, marker[id="${id}"] circle`)) {
        const style = getComputedStyle(mark);
        const colour = paint(style.fill) || paint(style.stroke);
        if (colour) found.push({ diagram, what: `arrowhead ${id.replace(/^nd-\w+-/, "")}`, ratio: ratio(over(colour, page), page) });
      }
    }
  });
  return found;
}
