// The CloudTrail records of one call (by request id), as /api/audit/events stores them.
import { badge, el, formatTime, getJson, showProblem } from './console.js';

const requestId = new URLSearchParams(location.search).get('requestId') || '';
const api = `/api/audit/events?requestId=${encodeURIComponent(requestId)}`;

document.getElementById('query').replaceChildren('Request id ', el('span', { class: 'id' }, requestId), ' · ',
  el('a', { href: api }, 'as JSON'));

function field(term, value) {
  return value === undefined || value === null || value === '' ? [] : [el('dt', {}, term), el('dd', {}, value)];
}

function json(value) {
  return value === undefined || value === null ? null : el('pre', {}, JSON.stringify(value, null, 2));
}

async function load() {
  if (!requestId) {
    showProblem('No request id given: open this page from a stream\'s event history.');
    return;
  }
  try {
    const page = await getJson(api);
    const records = page.Records || [];
    document.getElementById('records').replaceChildren(...(records.length ? records.map(record => {
      const identity = record.userIdentity || {};
      return el('article', { class: 'record', 'data-event-name': record.eventName },
        el('h2', {}, record.eventName, ' ', badge(record.errorCode ? 'FAILED' : 'OK')),
        el('dl', { class: 'summary' },
          ...field('Time (UTC)', formatTime(record.eventTime)),
          ...field('Source', record.eventSource),
          ...field('Region', record.awsRegion),
          ...field('Caller', identity.arn || identity.accessKeyId),
          ...field('Verified', identity.verified === false ? 'no (open mode)' : null),
          ...field('Source IP', record.sourceIPAddress),
          ...field('User agent', record.userAgent),
          ...field('Error', record.errorCode && `${record.errorCode}: ${record.errorMessage || ''}`),
          ...field('Event id', record.eventID)),
        record.requestParameters ? el('h3', {}, 'Request parameters') : null, json(record.requestParameters),
        record.responseElements ? el('h3', {}, 'Response elements') : null, json(record.responseElements),
        el('details', {}, el('summary', {}, 'whole record'), json(record)));
    }) : [el('p', { class: 'muted' }, 'No audit record has this request id.')]));
  } catch (error) {
    showProblem(error.message);
  }
}

load();
