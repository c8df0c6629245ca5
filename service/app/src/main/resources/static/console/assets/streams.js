// The list of streams: every page of /api/delivery-streams, filtered here so typing never waits on the server.
import { badge, el, getJson, poll, replaceRows } from './console.js';

const REFRESH_MS = 2000;
const PAGE_SIZE = 1000;

const text = document.getElementById('filter-text');
const encryption = document.getElementById('filter-encryption');
const region = document.getElementById('filter-region');
const table = document.getElementById('streams');
const count = document.getElementById('count');

let streams = [];

// The filters live in the address, so a filtered list can be bookmarked or sent to someone.
const initial = new URLSearchParams(location.search);
text.value = initial.get('q') || '';
encryption.value = initial.get('encryption') || '';
region.value = initial.get('region') || '';

async function load() {
  const all = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: PAGE_SIZE });
    if (region.value.trim()) query.set('region', region.value.trim());
    if (cursor) query.set('cursor', cursor);
    const page = await getJson(`/api/delivery-streams?${query}`);
    all.push(...page.streams);
    cursor = page.nextCursor;
  } while (cursor);
  streams = all;
  render();
}

function matches(stream) {
  if (encryption.value && stream.encryptionStatus !== encryption.value) return false;
  const needle = text.value.trim().toLowerCase();
  if (!needle) return true;
  return [stream.name, stream.arn, stream.status, stream.type, stream.encryptionStatus, stream.keyType, stream.keyArn]
    .some(value => value && value.toLowerCase().includes(needle));
}

function render() {
  const shown = streams.filter(matches);
  const regionQuery = region.value.trim() ? `?region=${encodeURIComponent(region.value.trim())}` : '';
  replaceRows(table, shown.map(stream => el('tr', { 'data-stream': stream.name },
    el('td', {}, el('a', { href: `/console/streams/${encodeURIComponent(stream.name)}${regionQuery}` }, stream.name)),
    el('td', {}, badge(stream.status)),
    el('td', {}, stream.type),
    el('td', { class: 'encryption-status' }, badge(stream.encryptionStatus)),
    el('td', {}, stream.keyType || ''),
    el('td', { class: 'arn' }, stream.keyArn || ''))));
  count.textContent = shown.length === streams.length
    ? `${streams.length} stream${streams.length === 1 ? '' : 's'}`
    : `${shown.length} of ${streams.length} streams`;
}

function remember() {
  const query = new URLSearchParams();
  if (text.value.trim()) query.set('q', text.value.trim());
  if (encryption.value) query.set('encryption', encryption.value);
  if (region.value.trim()) query.set('region', region.value.trim());
  history.replaceState(null, '', query.toString() ? `?${query}` : location.pathname);
}

text.addEventListener('input', () => { remember(); render(); });
encryption.addEventListener('change', () => { remember(); render(); });
region.addEventListener('change', () => { remember(); refresh(); });
document.getElementById('filters').addEventListener('submit', event => event.preventDefault());

const refresh = poll(load, REFRESH_MS);
