// One stream: its state, a timeline of its status and encryption, the state at a chosen instant, the 24-hour
// window of Start/Stop calls, its grants and its event history, all read from /api/delivery-streams/{name}/...
import { badge, el, formatTime, getJson, poll, regionParameter, replaceRows, svg } from './console.js';

const REFRESH_MS = 2000;
const EVENT_PAGE = 1000;
// Pages of history fetched per refresh: a long history arrives over a few refreshes instead of in one burst.
const EVENT_PAGES_PER_REFRESH = 10;
const EVENT_ROWS_SHOWN = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const name = decodeURIComponent(location.pathname.replace(/^\/console\/streams\//, '').replace(/\/$/, ''));
const base = `/api/delivery-streams/${encodeURIComponent(name)}`;
const region = regionParameter();

function api(path = '', query = '') {
  const parts = [query, region].filter(Boolean).join('&');
  return `${base}${path}${parts ? `?${parts}` : ''}`;
}

document.title = `${name} · firehose-sse`;
document.getElementById('stream-name').textContent = name;
if (region) document.getElementById('back').href = `/console?${region}`;

const state = {
  streamId: null,
  timeline: null,
  timelineFetchedAt: 0,
  timelineSequence: null,
  events: [],
  eventCursor: -1,
  stateAt: null,
};

async function refresh() {
  const stream = await getJson(api());
  if (state.streamId !== stream.streamId) {
    // The name now belongs to a new incarnation of the stream (deleted and created again): start over.
    Object.assign(state, { streamId: stream.streamId, timelineSequence: null, events: [], eventCursor: -1 });
  }
  // The timeline only changes when the view does; between changes only "now" moves, which is redrawn locally.
  const timelineDue = state.timelineSequence !== stream.lastSequence;
  const [timeline, calls, grants] = await Promise.all([
    timelineDue ? getJson(api('/timeline')) : null,
    getJson(api('/encryption-calls')),
    getJson(api('/grants')),
  ]);
  // Drawn together, after every answer is in, so the parts of the page never disagree with each other.
  renderSummary(stream);
  if (timeline) {
    Object.assign(state, { timeline, timelineFetchedAt: Date.now(), timelineSequence: stream.lastSequence });
  }
  drawTimeline();
  renderWindow(calls);
  renderGrants(grants);
  await loadEvents();
}

// Parts are redrawn only when what they show has changed, so a tooltip or an opened payload is not swept away
// under the reader's pointer by a refresh that brought nothing new.
const drawn = {};

function changed(part, value) {
  const text = JSON.stringify(value);
  if (drawn[part] === text) return false;
  drawn[part] = text;
  return true;
}

// ---- summary ----

function keyText(key) {
  if (!key || !key.keyType) return '';
  return key.keyArn ? `${key.keyType} ${key.keyArn}` : key.keyType;
}

function failureText(failure) {
  return failure ? `${failure.type}: ${failure.details}` : '';
}

function renderSummary(stream) {
  if (!changed('summary', stream)) return;
  const encryption = stream.encryption || {};
  const rows = [
    ['ARN', stream.arn],
    ['Status', badge(stream.status), stream.failure ? ` ${failureText(stream.failure)}` : ''],
    ['Source', stream.type],
    ['Created', formatTime(stream.createTimestamp)],
    ['Last update', formatTime(stream.lastUpdateTimestamp)],
    ['Version', stream.versionId],
    ['Encryption', el('span', { id: 'encryption-status' }, badge(encryption.status))],
    ['Key type', encryption.keyType || '—'],
    ['Key ARN', el('span', { class: 'arn' }, encryption.keyArn || '—')],
  ];
  if (encryption.failure) rows.push(['Encryption failure', el('span', { class: 'failure' }, failureText(encryption.failure))]);
  const tags = Object.entries(stream.tags || {});
  if (tags.length) rows.push(['Tags', tags.map(([k, v]) => `${k}=${v}`).join(', ')]);
  document.getElementById('summary').replaceChildren(...rows.flatMap(([term, ...value]) => [el('dt', {}, term), el('dd', {}, ...value)]));
}

// ---- timeline ----

const LANES = [
  {
    id: 'stream',
    label: 'Stream',
    key: entry => `${entry.status}|${failureText(entry.failure)}`,
    status: entry => entry.status,
    describe: entry => [entry.failure && `Failure: ${failureText(entry.failure)}`],
    faulted: () => false,
  },
  {
    id: 'encryption',
    label: 'Encryption',
    key: entry => JSON.stringify(entry.encryption),
    status: entry => entry.encryption.status,
    describe: entry => [
      entry.encryption.keyType ? `Key: ${keyText(entry.encryption)}` : 'No key',
      entry.encryption.failure && `Failure: ${failureText(entry.encryption.failure)}`,
    ],
    // ENABLED with a failure: the key is configured but KMS refuses it, so records are refused.
    faulted: entry => entry.encryption.status === 'ENABLED' && !!entry.encryption.failure,
  },
];

const GUTTER = 92;
const MIN_WIDTH = 104;
const LANE_HEIGHT = 30;
const LANE_GAP = 10;
const TOP = 8;

function duration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
  if (ms < DAY_MS) return `${Math.floor(ms / 3_600_000)} h ${Math.floor((ms % 3_600_000) / 60_000)} min`;
  return `${Math.floor(ms / DAY_MS)} d ${Math.floor((ms % DAY_MS) / 3_600_000)} h`;
}

/**
 * The horizontal scale. Every change of the view is a boundary and every span between two boundaries gets a
 * minimum width plus a share of the rest in proportion to its duration: a few milliseconds of ENABLING next to
 * hours of ENABLED stay visible and labelled, and changes in the same millisecond still come out in order.
 */
function scale(entries, now, available) {
  const times = entries.map(entry => Date.parse(entry.at));
  const ends = times.map((time, i) => (i + 1 < times.length ? times[i + 1] : Math.max(now, time)));
  const spans = times.map((time, i) => ends[i] - time);
  const total = spans.reduce((a, b) => a + b, 0);
  const width = Math.max(available, entries.length * MIN_WIDTH + 120);
  const spare = width - entries.length * MIN_WIDTH;
  const widths = spans.map(span => MIN_WIDTH + (total > 0 ? spare * span / total : spare / entries.length));
  const xs = [];
  widths.reduce((x, w) => { xs.push(x); return x + w; }, GUTTER);
  return {
    width: GUTTER + width,
    x: index => (index < xs.length ? xs[index] : GUTTER + width),
    // The state at an instant includes every event stamped at or before it, as ?at= does: the last such boundary.
    xOf(time) {
      let i = -1;
      while (i + 1 < times.length && times[i + 1] <= time) i++;
      if (i < 0) return GUTTER;
      const span = spans[i];
      return xs[i] + (span > 0 ? Math.min(1, (time - times[i]) / span) : 0) * widths[i];
    },
    timeOf(x) {
      let i = 0;
      while (i + 1 < xs.length && xs[i + 1] <= x) i++;
      return times[i] + Math.max(0, Math.min(1, (x - xs[i]) / widths[i])) * spans[i];
    },
    times,
    ends,
  };
}

// How often the last period is stretched to the present when nothing else changed.
const NOW_REDRAW_MS = 30_000;
let drawnAt = 0;

function drawTimeline() {
  const container = document.getElementById('timeline');
  const timeline = state.timeline;
  const stale = Date.now() - drawnAt > NOW_REDRAW_MS && !container.matches(':hover');
  if (!changed('timeline', [state.streamId, state.timelineSequence, state.stateAt, container.clientWidth]) && !stale) return;
  drawnAt = Date.now();
  if (!timeline || !timeline.entries.length) {
    container.replaceChildren();
    return;
  }
  const entries = timeline.entries;
  const now = Date.parse(timeline.now) + (Date.now() - state.timelineFetchedAt);
  const s = scale(entries, now, Math.max(600, container.clientWidth - GUTTER - 2));
  const axisY = TOP + LANES.length * (LANE_HEIGHT + LANE_GAP) + 4;
  const height = axisY + 34;

  const lanes = LANES.map((lane, laneIndex) => {
    const y = TOP + laneIndex * (LANE_HEIGHT + LANE_GAP);
    const periods = [];
    entries.forEach((entry, i) => {
      if (periods.length && lane.key(entries[periods[periods.length - 1].first]) === lane.key(entry)) {
        periods[periods.length - 1].last = i;
      } else {
        periods.push({ first: i, last: i });
      }
    });
    return svg('g', { class: `lane lane-${lane.id}` },
      svg('text', { class: 'lane-label', x: 0, y: y + LANE_HEIGHT / 2 + 4 }, lane.label),
      periods.map(({ first, last }) => {
        const entry = entries[first];
        const status = lane.status(entry);
        const x0 = s.x(first);
        const x1 = s.x(last + 1);
        const from = s.times[first];
        const to = s.ends[last];
        const current = last === entries.length - 1;
        const title = [
          status,
          `from ${formatTime(from)} ${current ? '(still)' : `to ${formatTime(to)}`} · ${duration(to - from)}`,
          ...lane.describe(entry),
          `Began with event #${entry.sequenceNumber} ${entry.event}${entry.requestId ? ` · request ${entry.requestId}` : ''}`,
        ].filter(Boolean).join('\n');
        const failure = lane.id === 'encryption' ? entry.encryption.failure : entry.failure;
        return svg('g', {
          class: `period s-${status}${lane.faulted(entry) ? ' faulted' : ''}`,
          'data-status': status,
          'data-from': new Date(from).toISOString(),
          'data-key-arn': lane.id === 'encryption' ? entry.encryption.keyArn : null,
          'data-failure-type': failure ? failure.type : null,
        },
        svg('title', {}, title),
        svg('rect', { x: x0 + 1, y, width: Math.max(1, x1 - x0 - 2), height: LANE_HEIGHT, rx: 3 }),
        // A label that would not fit is left to the hover text.
        x1 - x0 >= status.length * 6.6 + 6
          ? svg('text', { x: (x0 + x1) / 2, y: y + LANE_HEIGHT / 2 + 4, 'text-anchor': 'middle' }, status)
          : null);
      }));
  });

  // Time labels at the boundaries, left to right, skipping any that would overlap the previous one.
  const ticks = [];
  let lastLabelX = -Infinity;
  s.times.forEach((time, i) => {
    const x = s.x(i);
    ticks.push(svg('line', { class: 'tick', x1: x, x2: x, y1: TOP, y2: axisY + 4 }));
    if (x - lastLabelX >= 84) {
      ticks.push(svg('text', { class: 'tick-label', x, y: axisY + 16 },
        svg('title', {}, formatTime(time)), new Date(time).toISOString().slice(11, 19)));
      lastLabelX = x;
    }
  });
  ticks.push(svg('text', { class: 'tick-label', x: GUTTER, y: axisY + 30 }, formatTime(s.times[0]).slice(0, 10)));
  ticks.push(svg('text', { class: 'tick-label', x: s.width - 2, y: axisY + 16, 'text-anchor': 'end' }, 'now'));

  const marker = state.stateAt !== null && !Number.isNaN(state.stateAt)
    ? svg('line', { class: 'at-marker', x1: s.xOf(state.stateAt), x2: s.xOf(state.stateAt), y1: 2, y2: axisY + 4 },
      svg('title', {}, `state at ${formatTime(state.stateAt)}`))
    : null;

  const chart = svg('svg', {
    width: s.width, height, viewBox: `0 0 ${s.width} ${height}`, role: 'img',
    'aria-label': `Status and encryption of ${name} over time`,
  }, ticks, lanes, marker);
  chart.addEventListener('click', event => {
    const bounds = chart.getBoundingClientRect();
    const x = (event.clientX - bounds.left) * (s.width / bounds.width);
    if (x < GUTTER) return;
    showStateAt(new Date(Math.round(s.timeOf(x))).toISOString());
  });
  container.replaceChildren(chart);
}

// ---- state at ----

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const stateAtInput = document.getElementById('state-at-input');
const stateAtResult = document.getElementById('state-at-result');

async function showStateAt(value) {
  const parsed = Date.parse(value);
  // An ISO instant goes as written: the API keeps microseconds, and rounding an event's own time down to the
  // millisecond would show the state just before it. One that does not parse here goes as typed, so the API's
  // own message says what is wrong with it.
  const at = ISO_INSTANT.test(value) || Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
  stateAtInput.value = at;
  state.stateAt = parsed;
  const query = new URLSearchParams(location.search);
  query.set('at', at);
  history.replaceState(null, '', `?${query}`);
  drawTimeline();
  try {
    const view = await getJson(api('', `at=${encodeURIComponent(at)}`));
    const encryption = view.encryption || {};
    stateAtResult.replaceChildren(el('dl', { class: 'summary', 'data-at': at },
      el('dt', {}, 'At'), el('dd', {}, formatTime(at)),
      el('dt', {}, 'Status'), el('dd', { id: 'state-at-status' }, badge(view.status),
        view.failure ? ` ${failureText(view.failure)}` : ''),
      el('dt', {}, 'Encryption'), el('dd', { id: 'state-at-encryption' }, badge(encryption.status)),
      el('dt', {}, 'Key'), el('dd', { id: 'state-at-key', class: 'arn' }, keyText(encryption) || '—'),
      encryption.failure && el('dt', {}, 'Failure'),
      encryption.failure && el('dd', { class: 'failure' }, failureText(encryption.failure)),
      el('dt', {}, 'Last event'), el('dd', {}, `#${view.lastSequence}`)));
  } catch (error) {
    stateAtResult.replaceChildren(el('p', { class: 'problem' }, error.message));
  }
}

document.getElementById('state-at').addEventListener('submit', event => {
  event.preventDefault();
  if (stateAtInput.value.trim()) showStateAt(stateAtInput.value.trim());
});
document.getElementById('state-at-clear').addEventListener('click', () => {
  state.stateAt = null;
  stateAtInput.value = '';
  stateAtResult.replaceChildren();
  const query = new URLSearchParams(location.search);
  query.delete('at');
  history.replaceState(null, '', query.toString() ? `?${query}` : location.pathname);
  drawTimeline();
});

// ---- the 24-hour window ----

const SLOT = 40;
const SLOT_GAP = 4;

function renderWindow(calls) {
  const now = Date.now();
  const summary = document.getElementById('window-summary');
  const next = calls.nextSlotAt ? Date.parse(calls.nextSlotAt) : null;
  summary.textContent = `${calls.count} of ${calls.limit} used · ${calls.remaining} left`
    + (next ? ` · the oldest call leaves the window at ${formatTime(next)} UTC (in ${duration(Math.max(0, next - now))})` : '');
  if (!changed('calls', calls)) return;
  const slots = [];
  for (let i = 0; i < calls.limit; i++) {
    const call = calls.calls[i];
    const x = i * (SLOT + SLOT_GAP);
    if (call) {
      const frees = Date.parse(call.at) + DAY_MS;
      const operation = call.operation.startsWith('Start') ? 'Start' : 'Stop';
      slots.push(svg('g', { class: `slot used ${operation.toLowerCase()}`, 'data-state': 'used', 'data-operation': call.operation,
        'data-frees-at': new Date(frees).toISOString() },
      svg('title', {}, `${call.operation} at ${formatTime(call.at)} UTC${call.principal ? ` by ${call.principal}` : ''}\n`
        + `request ${call.requestId}\nthis slot frees at ${formatTime(frees)} UTC`),
      svg('rect', { x, y: 0, width: SLOT, height: 30, rx: 3 }),
      svg('text', { x: x + SLOT / 2, y: 19, 'text-anchor': 'middle' }, operation),
      svg('text', { class: 'frees', x: x + SLOT / 2, y: 44, 'text-anchor': 'middle' }, new Date(frees).toISOString().slice(11, 16))));
    } else {
      slots.push(svg('g', { class: 'slot free', 'data-state': 'free' },
        svg('title', {}, 'free: a Start or Stop now would be accepted'),
        svg('rect', { x, y: 0, width: SLOT, height: 30, rx: 3 })));
    }
  }
  const width = calls.limit * (SLOT + SLOT_GAP);
  document.getElementById('window').replaceChildren(svg('svg', {
    width, height: 50, viewBox: `0 0 ${width} 50`, role: 'img',
    'aria-label': `${calls.count} of ${calls.limit} Start/Stop calls used in the last 24 hours`,
  }, slots));
}

// ---- grants ----

function renderGrants(grants) {
  if (!changed('grants', grants)) return;
  const table = document.getElementById('grants');
  replaceRows(table, grants.length ? grants.map(grant => el('tr', { 'data-state': grant.state },
    el('td', {}, grant.name),
    el('td', {}, badge(grant.state)),
    el('td', { class: 'arn' }, grant.keyArn),
    el('td', { class: 'id', title: grant.grantId }, `${grant.grantId.slice(0, 12)}…`),
    el('td', {}, formatTime(grant.createdAt)),
    el('td', {}, formatTime(grant.updatedAt))))
    : [el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No grants: the stream has never used a customer managed key.'))]);
}

// ---- events ----

async function loadEvents() {
  let fetched = 0;
  for (let page = 0; page < EVENT_PAGES_PER_REFRESH; page++) {
    const answer = await getJson(api('/events', `limit=${EVENT_PAGE}&cursor=${state.eventCursor}`));
    state.events.push(...answer.events);
    fetched += answer.events.length;
    if (answer.events.length) state.eventCursor = answer.events[answer.events.length - 1].sequenceNumber;
    if (answer.nextCursor === null) break;
  }
  if (fetched) renderEvents();
}

function eventDetails(payload) {
  const p = payload || {};
  const parts = [];
  if (p.operation) parts.push(p.operation);
  if (p.requested) parts.push(`requested ${keyText(p.requested)}`);
  if (p.key && p.key.keyType) parts.push(keyText(p.key));
  if (p.stillInForce) parts.push(`still in force ${keyText(p.stillInForce)}`);
  if (p.failureType) parts.push(`${p.failureType}: ${p.details || ''}`);
  else if (p.details) parts.push(p.details);
  if (p.grantName) parts.push(`grant ${p.grantName}`);
  const grant = p.grant || p.grantToRetire || p.reusableGrant;
  if (grant && grant.grantId) parts.push(`grant ${grant.grantId.slice(0, 12)}… on ${grant.keyId}`);
  if (p.tags && Object.keys(p.tags).length) parts.push(`tags ${Object.entries(p.tags).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (p.tagKeys) parts.push(`untag ${p.tagKeys.join(', ')}`);
  return parts.join(' · ');
}

function renderEvents() {
  const table = document.getElementById('events');
  const shown = state.events.slice(-EVENT_ROWS_SHOWN).reverse();
  const rows = shown.map(event => {
    const metadata = event.metadata || {};
    const requestId = metadata.requestId;
    return el('tr', { 'data-type': event.type, 'data-sequence': event.sequenceNumber },
      el('td', {}, event.sequenceNumber),
      el('td', {}, el('button', {
        type: 'button', class: 'link', title: 'Show the state at this instant',
        onclick: () => showStateAt(event.timestamp),
      }, formatTime(event.timestamp))),
      el('td', {}, event.type),
      el('td', {}, eventDetails(event.payload),
        el('details', {}, el('summary', {}, 'payload'), el('pre', {}, JSON.stringify(event.payload, null, 2)))),
      el('td', { class: 'caller' }, metadata.principal || metadata.accessKeyId || ''),
      el('td', { class: 'id' }, requestId
        ? el('a', { class: 'request-id', href: `/console/audit?requestId=${encodeURIComponent(requestId)}` }, requestId)
        : ''));
  });
  if (state.events.length > EVENT_ROWS_SHOWN) {
    rows.push(el('tr', {}, el('td', { colspan: 6, class: 'muted' },
      `The latest ${EVENT_ROWS_SHOWN} of ${state.events.length} events; the rest are at ${api('/events')}.`)));
  }
  replaceRows(table, rows);
}

const initialAt = new URLSearchParams(location.search).get('at');
poll(refresh, REFRESH_MS);
if (initialAt) showStateAt(initialAt);
