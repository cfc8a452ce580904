// A real OpenID provider for the server's sign-in tests: `oidc-provider` (installed by the tests into a cache folder,
// never vendored), on a loopback port the OS picks. It prints `port N`, reads one line of JSON from stdin
// ({"clientId","clientSecret","redirectUri"}), builds the provider with that client and prints `ready`.
// Sign-in: GET /interaction/:uid shows a form; POST /interaction/:uid/login with `login` (the e-mail) and `verified`
// (`true`/`false`, the `email_verified` claim) signs that account in; consent is granted for the registered client.
// GET /__test/last answers the last authorization request's parameters (pushed or not).
// POST /__test/tamper with JSON {"aud"?, "iss"?} re-signs the next ID token the token endpoint returns with that
// audience or issuer (same key, valid signature): a provider answering for another client or issuer.
import http from 'node:http';
import readline from 'node:readline';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt } from 'jose';
import Provider from 'oidc-provider';

const accounts = new Map();
let tamper = null;
let last = {};
let provider = null;
const server = http.createServer((req, res) => {
  if (!provider) { res.statusCode = 503; res.end('not ready'); return; }
  if (req.method === 'POST' && req.url === '/__test/tamper') {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { tamper = JSON.parse(body); res.statusCode = 204; res.end(); });
    return;
  }
  if (req.method === 'GET' && req.url === '/__test/last') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(last));
    return;
  }
  provider.callback()(req, res);
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  process.stdout.write(`port ${port}\n`);
  const lines = readline.createInterface({ input: process.stdin });
  lines.once('line', (line) => start(port, JSON.parse(line)).catch((e) => { console.error(e); process.exit(1); }));
});

async function start(port, client) {
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  provider = new Provider(issuer, {
    clients: [{
      client_id: client.clientId, client_secret: client.clientSecret, redirect_uris: [client.redirectUri],
      response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post',
    }],
    jwks: { keys: [jwk] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-only-cookie-key'] },
    async findAccount(ctx, id) {
      const account = accounts.get(id);
      if (!account) { return undefined; }
      return { accountId: id, async claims() { return { sub: id, email: account.email, email_verified: account.verified, name: id }; } };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) { return ctx.oidc.provider.Grant.find(grantId); }
      // The registered client is first-party: consent is implied, as a company's own IdP configures it.
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  provider.use(async (ctx, next) => {
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
    if (!match) {
      await next();
      if ((ctx.path === '/auth' || ctx.path === '/request') && ctx.oidc?.params?.response_type) {
        const p = ctx.oidc.params;
        last = { response_type: p.response_type, code_challenge_method: p.code_challenge_method, code_challenge: p.code_challenge, scope: p.scope };
      }
      if (ctx.path === '/token' && tamper && ctx.body?.id_token) {
        const claims = { ...decodeJwt(ctx.body.id_token), ...tamper };
        ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey) };
        tamper = null;
      }
      return;
    }
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (!match[2] && ctx.method === 'GET') {
      ctx.type = 'html';
      ctx.body = `<!doctype html><form method="post" action="/interaction/${details.uid}/login">`
        + '<input name="login"><select name="verified"><option>true</option><option>false</option></select>'
        + `<button type="submit">sign in (${details.prompt.name})</button></form>`;
      return;
    }
    const form = new URLSearchParams(await text(ctx.req));
    const email = form.get('login');
    accounts.set(email, { email, verified: form.get('verified') !== 'false' });
    await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: email } }, { mergeWithLastSubmission: false });
  });
  process.stdout.write('ready\n');
}

function text(req) {
  return new Promise((resolve) => { let body = ''; req.on('data', (c) => { body += c; }); req.on('end', () => resolve(body)); });
}
