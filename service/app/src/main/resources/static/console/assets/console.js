// Shared by the console's pages. Everything shown comes from the REST API under /api; values are only ever
// placed into the page as text (textContent, attributes), never parsed as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** GET a JSON resource; a failure is thrown with the problem details' text, as the API words it. */
export async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = body && (body.detail || body.title);
    throw new Error(detail || `${path} answered ${response.status}`);
  }
  return body;
}

/** An HTML element with attributes and children (strings become text nodes). */
export function el(tag, attributes = {}, ...children) {
  return fill(document.createElement(tag), attributes, children);
}

/** An SVG element, the same way. */
export function svg(tag, attributes = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attributes, children);
}

function fill(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** "2026-11-27 11:35:34.728" in UTC, the zone the API and the audit trail use. */
export function formatTime(instant) {
  if (!instant) return '';
  const date = instant instanceof Date ? instant : new Date(instant);
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** A status as a coloured badge; the colour comes from the status name (see console.css). */
export function badge(status) {
  return el('span', { class: `badge s-${status || 'NONE'}` }, status || '—');
}

/** The query string a page was opened with, for the region its API calls should name. */
export function regionParameter() {
  const region = new URLSearchParams(location.search).get('region');
  return region ? `region=${encodeURIComponent(region)}` : '';
}

export function showProblem(message) {
  const box = document.getElementById('problem');
  if (!box) return;
  box.hidden = !message;
  box.textContent = message || '';
}

/**
 * Runs {@code refresh} now and then every {@code intervalMs} after the previous run ends, so a slow answer never
 * stacks requests; a hidden tab is not refreshed until it is shown again. Errors are shown, and polling goes on.
 */
export function poll(refresh, intervalMs) {
  let timer = null;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    clearTimeout(timer);
    try {
      await refresh();
      showProblem(null);
      const refreshed = document.getElementById('refreshed');
      if (refreshed) refreshed.textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      showProblem(error.message);
    } finally {
      running = false;
    }
    if (!document.hidden) timer = setTimeout(run, intervalMs);
  };
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) run();
  });
  run();
  return run;
}

/** Replaces a table body's rows. */
export function replaceRows(table, rows) {
  table.tBodies[0].replaceChildren(...rows);
}
