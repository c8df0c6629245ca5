// Shared by the console's pages. Everything shown comes from the REST API under /api; values are only ever
// placed into the page as text (textContent, attributes), never parsed as markup.

import { signedHeaders } from './sigv4.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

// With a credentials file the service answers /api only to signed requests. The console asks for a key once, keeps it
// in this tab's sessionStorage (gone when the tab closes; never in localStorage, a cookie or the address) and signs
// each call with it; it asks only when the service has refused a call for want of a valid signature.
const CREDENTIALS = 'firehose-sse.credentials';
const SIGNATURE_REFUSALS = new Set(['MissingAuthenticationTokenException', 'IncompleteSignatureException',
  'InvalidSignatureException', 'UnrecognizedClientException', 'ExpiredTokenException']);

function storedCredentials() {
  try {
    return JSON.parse(sessionStorage.getItem(CREDENTIALS));
  } catch {
    return null;
  }
}

/** GET a JSON resource; a failure is thrown with the problem details' text, as the API words it. */
export async function getJson(path) {
  const credentials = storedCredentials();
  const headers = { Accept: 'application/json' };
  if (credentials) Object.assign(headers, await signedHeaders(path, credentials));
  const response = await fetch(path, { headers });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = body && (body.detail || body.title);
    const error = new Error(detail || `${path} answered ${response.status}`);
    if (response.status === 403 && body && SIGNATURE_REFUSALS.has(body.code)) {
      error.signIn = true;
      askForCredentials(credentials ? `${body.code}: ${detail}` : null);
    }
    throw error;
  }
  return body;
}

/** The sign-in form, once, above the page's content; submitting keeps the key for this tab and reloads. */
function askForCredentials(refusal) {
  if (document.getElementById('sign-in')) return;
  const field = (label, name, type, value) => el('label', {}, label, el('input', { name, type, value, autocomplete: 'off',
    required: name !== 'sessionToken', spellcheck: 'false' }));
  const previous = storedCredentials() || {};
  const form = el('form', { id: 'sign-in', class: 'sign-in' },
    el('h2', {}, 'Sign in'),
    el('p', { class: 'muted' }, 'This service checks signatures: give an access key from its credentials file. It is kept ',
      'in this tab only and used to sign the console\'s requests; it is never sent.'),
    refusal ? el('p', { class: 'problem', id: 'sign-in-refused' }, refusal) : null,
    field('Access key id', 'accessKeyId', 'text', previous.accessKeyId || ''),
    field('Secret access key', 'secretAccessKey', 'password', ''),
    field('Session token (temporary credentials only)', 'sessionToken', 'password', ''),
    field('Region', 'region', 'text', previous.region || 'us-east-1'),
    el('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    sessionStorage.setItem(CREDENTIALS, JSON.stringify({ accessKeyId: data.accessKeyId.trim(),
      secretAccessKey: data.secretAccessKey, sessionToken: data.sessionToken.trim() || null,
      region: data.region.trim() || 'us-east-1' }));
    location.reload();
  });
  document.querySelector('main').prepend(form);
}

/** In the bar while a key is kept: forgetting it is one click. */
function signOutLink() {
  const bar = document.querySelector('header.bar');
  const credentials = storedCredentials();
  if (!bar || !credentials) return;
  bar.append(el('button', { id: 'sign-out', class: 'sign-out', type: 'button', title: 'Forget the key kept in this tab',
    onclick: () => {
      sessionStorage.removeItem(CREDENTIALS);
      location.reload();
    } }, `${credentials.accessKeyId} · sign out`));
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', signOutLink);
} else {
  signOutLink();
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
  let stopped = false;
  const run = async () => {
    if (running || stopped) return;
    running = true;
    clearTimeout(timer);
    try {
      await refresh();
      showProblem(null);
      const refreshed = document.getElementById('refreshed');
      if (refreshed) refreshed.textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      showProblem(error.message);
      // Waiting for a key: polling again would only be refused (and recorded) every few seconds.
      if (error.signIn) stopped = true;
    } finally {
      running = false;
    }
    if (!document.hidden && !stopped) timer = setTimeout(run, intervalMs);
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
