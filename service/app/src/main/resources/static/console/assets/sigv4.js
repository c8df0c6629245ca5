// AWS Signature Version 4 for the console's own calls to /api, in the browser with WebCrypto, as the AWS SDKs sign:
// a service with a credentials file verifies /api exactly as it verifies the wire. The secret key never leaves this
// page; only the signature it makes is sent, and only to this origin.

const encoder = new TextEncoder();

/** RFC 3986 encoding, as SigV4 wants it: encodeURIComponent leaves !'()* alone, SigV4 does not. */
function encode(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function hex(buffer) {
  return [...new Uint8Array(buffer)].map(b => b.toString(16).padStart(2, '0')).join('');
}

async function sha256(text) {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

async function hmac(key, text) {
  const imported = await crypto.subtle.importKey('raw', typeof key === 'string' ? encoder.encode(key) : key,
    { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', imported, encoder.encode(text));
}

/**
 * The headers that sign a GET of {@code url} (this origin's) for service "firehose": X-Amz-Date, Authorization and,
 * for session credentials, X-Amz-Security-Token. Host is signed too; the browser sends it as location.host.
 */
export async function signedHeaders(url, { accessKeyId, secretAccessKey, sessionToken, region }, method = 'GET', body = '') {
  const target = new URL(url, location.href);
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers = { host: target.host, 'x-amz-date': amzDate };
  if (sessionToken) headers['x-amz-security-token'] = sessionToken;
  const names = Object.keys(headers).sort();
  // The path as sent, each segment encoded once more: AWS's services other than S3 sign the path double-encoded.
  const canonicalPath = target.pathname.split('/').map(encode).join('/');
  const canonicalQuery = [...target.searchParams]
    .map(([name, value]) => [encode(name), encode(value)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [method, canonicalPath, canonicalQuery, names.map(n => `${n}:${headers[n]}\n`).join(''),
    names.join(';'), await sha256(body)].join('\n');
  const scope = `${day}/${region}/firehose/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256(canonicalRequest)].join('\n');
  let key = await hmac(`AWS4${secretAccessKey}`, day);
  for (const part of [region, 'firehose', 'aws4_request']) key = await hmac(key, part);
  const signature = hex(await hmac(key, stringToSign));
  const signed = {
    'X-Amz-Date': amzDate,
    Authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
  if (sessionToken) signed['X-Amz-Security-Token'] = sessionToken;
  return signed;
}
