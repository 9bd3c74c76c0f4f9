#!/usr/bin/env node
// Browser checks for Zhurnal.
//
//   node tests/browser/run.mjs http://127.0.0.1:PORT
//
// Starts Debian's Chromium (env ZHURNAL_CHROMIUM or /usr/bin/chromium; never a
// downloaded Playwright browser) and, against an already running server with
// the demo data:
//   * logs in as every demo account, checks the home page, walks every
//     same-origin link in the home page's <nav>, logs out;
//   * tries a wrong password (error shown in role="alert");
//   * switches the language ru -> en -> ru with the hreflang links;
//   * presses Tab on the login page (focus must leave <body>);
//   * runs axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page it sees;
//   * blocks and reports every request to another origin (data localisation).
// Exits 0 when everything passed, 1 otherwise, 2 on bad usage.
// Screenshots of each role's home page go to tests/browser/artifacts/.

import { readFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const artifacts = path.join(here, 'artifacts');

const ACCOUNTS = [
  ['director', 'director'],
  ['deputy', 'deputy_director'],
  ['classteacher', 'class_teacher'],
  ['teacher', 'teacher'],
  ['clerk', 'clerk'],
  ['techadmin', 'tech_admin'],
  ['student', 'student'],
  ['parent', 'parent'],
  ['inspector', 'inspector'],
  ['operator', 'municipal_operator'],
];
const PASSWORD = 'demo';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const ACTION_TIMEOUT_MS = 15_000;
const NAV_TIMEOUT_MS = 30_000;
const TOTAL_TIMEOUT_MS = Number(process.env.ZHURNAL_BROWSER_TIMEOUT_MS || 15 * 60_000);

// ---------------------------------------------------------------- arguments

const baseArg = process.argv[2];
if (!baseArg) {
  console.error('usage: node tests/browser/run.mjs BASE_URL   (e.g. http://127.0.0.1:8080)');
  process.exit(2);
}
let BASE;
try {
  BASE = new URL(baseArg);
} catch {
  console.error(`run.mjs: not a URL: ${baseArg}`);
  process.exit(2);
}
const ORIGIN = BASE.origin;
const abs = (p) => new URL(p, ORIGIN).href;
const short = (u) => {
  const x = new URL(u);
  return x.origin === ORIGIN ? x.pathname + x.search : x.href;
};

const chromiumPath = process.env.ZHURNAL_CHROMIUM || '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  console.error(
    `run.mjs: Chromium not found at ${chromiumPath}.\n` +
      '  Install it: DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver\n' +
      '  or point ZHURNAL_CHROMIUM at a Chromium/Chrome binary.',
  );
  process.exit(1);
}

// ---------------------------------------------------------------- reporting

const failures = []; // { where, message }
const external = new Map(); // url -> Set(page urls)
let pagesChecked = 0;

function fail(where, message) {
  failures.push({ where, message });
  console.log(`FAIL ${where}: ${message.split('\n')[0]}`);
  for (const line of message.split('\n').slice(1)) console.log(`       ${line}`);
}

function noteExternal(url, from) {
  if (!external.has(url)) external.set(url, new Set());
  external.get(url).add(from);
}

class CheckError extends Error {}
function check(cond, message) {
  if (!cond) throw new CheckError(message);
}

// --------------------------------------------------------------------- axe

const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

// The server sends `Content-Security-Policy: default-src 'self'`, so a <script>
// tag (page.addScriptTag) would be refused. page.evaluate() goes through the
// DevTools protocol, which CSP does not govern, so the page's real CSP stays on.
async function axe(page, who) {
  const url = page.url();
  const hasAxe = await page.evaluate(() => typeof window.axe === 'object').catch(() => false);
  if (!hasAxe) {
    await page.evaluate(`${axeSource}\n;window.axe = typeof axe !== 'undefined' ? axe : window.axe;`);
  }
  const result = await page.evaluate(
    (tags) =>
      window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    AXE_TAGS,
  );
  const v = result.violations;
  pagesChecked++;
  if (v.length === 0) {
    console.log(`ok   ${who.padEnd(12)} ${short(url)}  (0 violations)`);
    return;
  }
  const lines = [`${v.length} axe violation(s) on ${url}`];
  for (const r of v) {
    lines.push(`[${r.impact ?? 'n/a'}] ${r.id}: ${r.help}  (${r.helpUrl})`);
    for (const n of r.nodes.slice(0, 3)) {
      lines.push(`    ${n.target.join(' ')}    ${n.html.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
    if (r.nodes.length > 3) lines.push(`    ... and ${r.nodes.length - 3} more`);
  }
  fail(`${who} ${short(url)}`, lines.join('\n'));
}

// ------------------------------------------------------------------ browser

const browserArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const started = Date.now();
const watchdog = setTimeout(() => {
  console.error(`run.mjs: gave up after ${TOTAL_TIMEOUT_MS / 1000} s (ZHURNAL_BROWSER_TIMEOUT_MS)`);
  process.exit(1);
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

// chromium.launch() gives the browser a fresh temporary profile
// (--user-data-dir in the system temp dir) and deletes it on close. Every
// scenario gets its own fresh context (own cookies, own storage).
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: browserArgs,
});

async function newContext() {
  const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(ACTION_TIMEOUT_MS);
  ctx.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
  await ctx.route('**/*', (route) => {
    const req = route.request();
    let origin;
    try {
      origin = new URL(req.url()).origin;
    } catch {
      origin = null;
    }
    if (origin === ORIGIN) return route.continue();
    let from = '?';
    try {
      from = req.frame().url();
    } catch {
      // service-worker or detached-frame request
    }
    noteExternal(req.url(), from);
    return route.abort('blockedbyclient');
  });
  return ctx;
}

async function newPage(ctx, who) {
  const page = await ctx.newPage();
  page.on('pageerror', (err) => fail(`${who} ${short(page.url())}`, `uncaught page error: ${err.message}`));
  page.on('console', (msg) => {
    // CSP refusals mean something on the page is silently broken. A refused
    // load never reaches the route handler, so a refused load from another
    // origin is also recorded as an external request here.
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
      fail(`${who} ${short(page.url())}`, `CSP violation: ${msg.text()}`);
      for (const m of msg.text().matchAll(/'((?:https?|wss?):\/\/[^']+)'/g)) {
        try {
          if (new URL(m[1]).origin !== ORIGIN) noteExternal(m[1], page.url());
        } catch {
          // not a URL after all
        }
      }
    }
  });
  return page;
}

async function goto(page, url) {
  const resp = await page.goto(url, { waitUntil: 'load' });
  check(resp, `no response for ${url}`);
  check(resp.status() < 400, `GET ${short(url)} -> HTTP ${resp.status()}`);
  return resp;
}

// Run `action` (a click or key press that submits/follows) and wait for the
// resulting main-frame navigation to finish loading.
async function andNavigate(page, action, what) {
  const nav = page
    .waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: NAV_TIMEOUT_MS })
    .catch(() => {
      throw new CheckError(`${what}: no navigation happened within ${NAV_TIMEOUT_MS / 1000} s (still on ${page.url()})`);
    });
  await action();
  await nav;
  await page.waitForLoadState('load');
}

const pathOf = (page) => new URL(page.url()).pathname;

async function submitLogin(page, login, password) {
  check((await page.locator('#login').count()) === 1, 'login page has no single #login field');
  check((await page.locator('#password').count()) === 1, 'login page has no single #password field');
  await page.fill('#login', login);
  await page.fill('#password', password);
  const submit = page.locator('form:has(#login) button[type="submit"], form:has(#login) button:not([type])');
  check((await submit.count()) >= 1, 'login form has no submit button');
  await andNavigate(page, () => submit.first().click(), `submitting the login form as ${login}`);
}

// ---------------------------------------------------------------- scenarios

async function scenario(name, fn) {
  const ctx = await newContext();
  try {
    await fn(ctx);
  } catch (e) {
    fail(name, e instanceof CheckError ? e.message : (e.stack || String(e)));
  } finally {
    await ctx.close().catch(() => {});
  }
}

async function roleFlow(login, role) {
  await scenario(login, async (ctx) => {
    const page = await newPage(ctx, login);
    await goto(page, abs('/login'));
    await axe(page, login);

    await submitLogin(page, login, PASSWORD);
    check(pathOf(page) === '/', `after logging in as ${login} expected to land on /, got ${page.url()}`);
    check((await page.locator('main#main').count()) === 1, 'home page has no main#main');
    check((await page.locator('h1').count()) >= 1, 'home page has no <h1>');
    const home = page.locator('[data-testid="home"]');
    check((await home.count()) === 1, 'home page has no single [data-testid="home"]');
    const roles = ((await home.getAttribute('data-roles')) || '').split(/\s+/).filter(Boolean);
    check(roles.includes(role), `[data-testid="home"] data-roles="${roles.join(' ')}" does not contain "${role}"`);
    await axe(page, login);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, `${login}-home.png`), fullPage: true });

    const homeUrl = page.url();
    const hrefs = await page.locator('nav a[href]').evaluateAll((as) => as.map((a) => a.href));
    const seen = new Set([homeUrl.split('#')[0]]);
    const targets = [];
    for (const href of hrefs) {
      let u;
      try {
        u = new URL(href);
      } catch {
        continue;
      }
      if (u.origin !== ORIGIN) continue;
      if (u.pathname === '/logout' || u.pathname.startsWith('/lang/')) continue;
      u.hash = '';
      if (seen.has(u.href)) continue;
      seen.add(u.href);
      targets.push(u.href);
    }
    // Pages every role has that the navigation does not link to directly.
    for (const extra of ['/account/sessions']) {
      const u = abs(extra);
      if (!seen.has(u)) {
        seen.add(u);
        targets.push(u);
      }
    }
    for (const target of targets) {
      try {
        let resp;
        try {
          resp = await page.goto(target, { waitUntil: 'load' });
        } catch (e) {
          if (!/Download is starting/i.test(String(e))) throw e;
          const r = await ctx.request.get(target);
          check(r.status() < 400, `GET ${short(target)} -> HTTP ${r.status()}`);
          console.log(`ok   ${login.padEnd(12)} ${short(target)}  (download, HTTP ${r.status()})`);
          continue;
        }
        check(resp, `no response for ${target}`);
        check(resp.status() < 400, `GET ${short(target)} (nav link) -> HTTP ${resp.status()}`);
        const type = resp.headers()['content-type'] || '';
        if (!type.includes('html')) {
          console.log(`ok   ${login.padEnd(12)} ${short(target)}  (${type || 'no content-type'}, not checked by axe)`);
          continue;
        }
        await axe(page, login);
      } catch (e) {
        fail(`${login} ${short(target)}`, e instanceof CheckError ? e.message : (e.stack || String(e)));
      }
    }

    await goto(page, homeUrl);
    const logout = page.locator('form[action="/logout"], form[action$="/logout"]').first();
    check((await logout.count()) === 1, 'home page has no <form action="/logout">');
    const method = ((await logout.getAttribute('method')) || 'get').toLowerCase();
    check(method === 'post', `the logout form has method="${method}", expected post`);
    const button = logout.locator('button, [type="submit"]').first();
    check((await button.count()) === 1, 'the logout form has no button');
    await andNavigate(page, () => button.click(), `logging out as ${login}`);
    check(pathOf(page) === '/login', `after logging out expected /login, got ${page.url()}`);
    await page.goto(homeUrl);
    check(
      (await page.locator('[data-testid="home"]').count()) === 0,
      'after logging out, / still shows the home page (session not ended)',
    );
    console.log(`ok   ${login.padEnd(12)} logged out`);
  });
}

async function wrongPassword() {
  const who = 'wrong-pass';
  await scenario(who, async (ctx) => {
    const page = await newPage(ctx, who);
    await goto(page, abs('/login'));
    await submitLogin(page, 'teacher', 'wrong-password');
    check(pathOf(page) === '/login', `a wrong password must keep us on /login, got ${page.url()}`);
    check((await page.locator('[data-testid="home"]').count()) === 0, 'a wrong password showed the home page');
    const alert = page.locator('[role="alert"]');
    check((await alert.count()) >= 1, 'no element with role="alert" after a wrong password');
    const text = ((await alert.first().textContent()) || '').trim();
    check(text.length > 0, 'the role="alert" element is empty');
    check(await alert.first().isVisible(), 'the role="alert" element is not visible');
    await axe(page, who);
    console.log(`ok   ${who.padEnd(12)} alert: "${text.slice(0, 80)}"`);
  });
}

async function language() {
  const who = 'language';
  await scenario(who, async (ctx) => {
    const page = await newPage(ctx, who);
    await goto(page, abs('/login'));
    const htmlLang = () => page.evaluate(() => document.documentElement.lang);
    for (const lang of ['en', 'ru']) {
      const link = page.locator(`a[hreflang="${lang}"]`);
      check((await link.count()) >= 1, `no <a hreflang="${lang}"> on ${short(page.url())}`);
      await andNavigate(page, () => link.first().click(), `following the hreflang="${lang}" link`);
      const got = await htmlLang();
      check(got === lang, `after the hreflang="${lang}" link <html lang="${got}">, expected "${lang}"`);
      check(pathOf(page) === '/login', `the hreflang="${lang}" link left the login page: ${page.url()}`);
      await axe(page, `${who}:${lang}`);
    }
  });
}

async function keyboard() {
  const who = 'keyboard';
  await scenario(who, async (ctx) => {
    const page = await newPage(ctx, who);
    await goto(page, abs('/login'));
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      const id = el.id ? `#${el.id}` : '';
      const href = el.getAttribute('href') ? ` href="${el.getAttribute('href')}"` : '';
      return `<${el.tagName.toLowerCase()}${id}${href}> "${(el.textContent || '').trim().slice(0, 40)}"`;
    });
    check(focused, 'after one Tab from the page start the focus is still on <body>');
    console.log(`ok   ${who.padEnd(12)} first Tab focuses ${focused}`);
  });
}

// The teacher fills the journal from the keyboard: a mark typed into a cell is saved when
// Enter moves on (no Save button), survives a reload, and Ctrl+Z takes it back.
async function journalByKeyboard() {
  const who = 'journal';
  await scenario(who, async (ctx) => {
    const page = await newPage(ctx, who);
    await goto(page, abs('/login'));
    await submitLogin(page, 'teacher', PASSWORD);
    await goto(page, abs('/journal'));
    await axe(page, who);
    const cells = page.locator('table[data-autosave] input.mark[name^="c-"]');
    check((await cells.count()) > 0, 'the teacher\'s journal has no open cells');
    const first = cells.first();
    const name = await first.getAttribute('name');
    await first.focus();
    await first.fill('4');
    await page.keyboard.press('Enter');
    await page.locator(`input[name="${name}"].saved`).waitFor({ timeout: ACTION_TIMEOUT_MS });
    const focusedName = await page.evaluate(() => document.activeElement && document.activeElement.name);
    check(focusedName && focusedName !== name, 'Enter did not move to the next cell');
    await page.reload({ waitUntil: 'load' });
    check((await page.locator(`input[name="${name}"]`).inputValue()) === '4', 'the typed mark is not there after a reload');
    // Undo: type 5 over it, then Ctrl+Z brings the 4 back.
    const again = page.locator(`input[name="${name}"]`);
    await again.focus();
    await again.fill('5');
    await page.keyboard.press('Enter');
    await page.locator(`input[name="${name}"].saved`).waitFor({ timeout: ACTION_TIMEOUT_MS });
    await again.focus();
    await page.keyboard.press('Control+z');
    await page.waitForFunction((n) => {
      const el = document.querySelector(`input[name="${n}"]`);
      return el && el.value === '4' && !el.classList.contains('saving');
    }, name, { timeout: ACTION_TIMEOUT_MS });
    await page.reload({ waitUntil: 'load' });
    check((await page.locator(`input[name="${name}"]`).inputValue()) === '4', 'Ctrl+Z did not restore the mark');
    console.log(`ok   ${who.padEnd(12)} a mark saved on Enter, kept after reload, undone with Ctrl+Z`);
  });
}

// The parent's diary: the week as the home page, switching children with one click (and
// the choice remembered), the period's marks with explained averages and drawn trends.
async function diaryFlow() {
  const who = 'diary';
  await scenario(who, async (ctx) => {
    const page = await newPage(ctx, who);
    await goto(page, abs('/login'));
    await submitLogin(page, 'parent', PASSWORD);
    const first = (await page.locator('h1').first().innerText()).trim();
    check(first.startsWith('Дневник:'), `the parent's home is not the diary: «${first}»`);
    check((await page.locator('section.diary-day').count()) >= 1, 'the week shows no days');
    const other = page.locator('nav.children a');
    check((await other.count()) === 1, 'the other child is not one click away');
    await andNavigate(page, () => other.first().click(), 'switching to the other child');
    const second = (await page.locator('h1').first().innerText()).trim();
    check(second !== first && second.startsWith('Дневник:'), `switching children did not change the diary: «${second}»`);
    await goto(page, abs('/'));
    const again = (await page.locator('h1').first().innerText()).trim();
    check(again === second, `the chosen child is not remembered: «${again}» after «${second}»`);
    await andNavigate(page, () => page.locator('.week-nav a[href^="/diary/marks"]').click(), 'opening the marks');
    await axe(page, who);
    check((await page.locator('svg.trend[role="img"]').count()) >= 1, 'the marks page draws no trend');
    const explained = await page.locator('.explain').first().innerText();
    check(/\(.+\) \/ \d+ = \d\.\d\d/.test(explained), `the average is not explained: «${explained}»`);
    await page.screenshot({ path: path.join(artifacts, 'diary-marks.png'), fullPage: true });
    console.log(`ok   ${who.padEnd(12)} week as home, children switched and remembered, averages explained and drawn`);
  });
}

// Third-party apps: the tech admin registers one; a parent reads the consent page, shares
// one child of two and is sent back to the app with a code; the parent's list of apps shows
// it and withdraws it.
async function appsFlow() {
  const who = 'apps';
  // The app's own page, where the browser comes back: a small server of this script's.
  // (A redirect is not seen by Playwright's request routing, so it must really answer.)
  const app = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="en"><title>app</title><main><h1>app</h1></main></html>');
  });
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
  const callback = `http://127.0.0.1:${app.address().port}/callback`;
  await scenario(who, async (ctx) => {
    const admin = await newPage(ctx, who);
    await goto(admin, abs('/login'));
    await submitLogin(admin, 'techadmin', PASSWORD);
    await goto(admin, abs('/setup/apps'));
    await axe(admin, who);
    await admin.fill('#name', 'Школьный бот');
    await admin.fill('#redirects', callback);
    await andNavigate(admin, () => admin.locator('form:has(#name) button[type="submit"]').click(), 'registering an app');
    const clientId = (await admin.locator('[role="status"] code').first().innerText()).trim();
    check(/^[0-9a-f]{32}$/.test(clientId), `no client_id shown after registering: «${clientId}»`);
    await axe(admin, who);
    await admin.screenshot({ path: path.join(artifacts, 'apps-registered.png'), fullPage: true });
    await ctx.clearCookies();

    const page = await newPage(ctx, who);
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    const ask = `/oauth2/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(callback)}` +
      `&scope=profile+diary&state=xyz&code_challenge=${challenge}&code_challenge_method=S256`;
    await goto(page, abs(ask));
    check(pathOf(page) === '/login', `an anonymous consent request did not ask to sign in: ${page.url()}`);
    await submitLogin(page, 'parent', PASSWORD);
    check(pathOf(page) === '/oauth2/authorize', `after signing in the consent page did not come back: ${page.url()}`);
    await axe(page, who);
    const boxes = page.locator('input[name="child"]');
    check((await boxes.count()) === 2, `the consent page does not offer both children (${await boxes.count()})`);
    await boxes.nth(1).uncheck();
    await page.screenshot({ path: path.join(artifacts, 'apps-consent.png'), fullPage: true });
    await andNavigate(page, () => page.locator('button[value="allow"]').click(), 'allowing the app');
    const back = new URL(page.url());
    check(back.origin + back.pathname === callback && back.searchParams.get('state') === 'xyz' && back.searchParams.get('code'),
      `the app did not get a code back: ${page.url()}`);

    await goto(page, abs('/account/apps'));
    await axe(page, who);
    check((await page.locator('article h2').first().innerText()).includes('Школьный бот'), 'the allowed app is not listed');
    await andNavigate(page, () => page.locator('form[action="/account/apps"] button').first().click(), 'withdrawing the app');
    check((await page.locator('[role="status"]').innerText()).includes('Доступ отозван'), 'withdrawing the app says nothing');
    await axe(page, who);
    console.log(`ok   ${who.padEnd(12)} registered, consent with one child of two, code returned, listed and withdrawn`);
  });
  app.close();
}


// A family let in (§5.1), on a 360 px phone: the clerk issues a parent's one-time code from
// the class's access list and sees the slip; the parent signs up with it at /register (a
// wrong code first: the error stands next to the field), signs in and lands in the diary.
// Last of all: it gives a demo parent a new login.
async function accessFlow() {
  const who = 'access';
  const ctx = await browser.newContext({ locale: 'ru-RU', viewport: { width: 360, height: 800 } });
  try {
    const page = await newPage(ctx, who);
    await goto(page, abs('/login'));
    await submitLogin(page, 'clerk', PASSWORD);
    await goto(page, abs('/roster/access'));
    await axe(page, who);
    const card = page.locator('ul.cards > li:not(.student)').filter({ hasNotText: 'вход в Журнал есть' }).first();
    check((await card.count()) === 1, 'the access list shows no parent without a login');
    const name = (await card.locator('h2').innerText()).split('\n')[0].trim();
    await andNavigate(page, () => card.locator('button[type="submit"]').click(), 'issuing a code');
    await axe(page, who);
    const code = (await page.locator('.slip .code').innerText()).trim();
    check(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code), `the slip shows no code: «${code}»`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= 360, `the slip scrolls sideways at 360 px (${wide} px)`);
    await page.screenshot({ path: path.join(artifacts, 'access-slip-360.png'), fullPage: true });

    const family = await browser.newContext({ locale: 'ru-RU', viewport: { width: 360, height: 800 } });
    try {
      const p = await newPage(family, who);
      await goto(p, abs('/register'));
      await axe(p, who);
      const login = `family.${Date.now().toString(36)}`;
      const fill = async (c) => {
        await p.fill('#code', c);
        await p.fill('#login', login);
        await p.fill('#password', 'зелёный чай с мятой');
        await p.fill('#password2', 'зелёный чай с мятой');
      };
      await fill('AAAA-BBBB-CCCC');
      await andNavigate(p, () => p.locator('form button[type="submit"]').click(), 'a wrong code');
      check((await p.locator('#code[aria-invalid="true"]').count()) === 1, 'a wrong code is not marked on its field');
      check((await p.locator('#code-error').count()) === 1, 'a wrong code has no message next to the field');
      await axe(p, who);
      await p.screenshot({ path: path.join(artifacts, 'register-error-360.png'), fullPage: true });
      await fill(code.toLowerCase());
      await andNavigate(p, () => p.locator('form button[type="submit"]').click(), 'signing up');
      const done = await p.locator('[role="status"]').innerText();
      check(done.includes(login), `signing up did not confirm the login: «${done}»`);
      await goto(p, abs('/login'));
      await p.fill('#login', login);
      await p.fill('#password', 'зелёный чай с мятой');
      await andNavigate(p, () => p.locator('form:has(#login) button[type="submit"]').click(), 'signing in');
      const h1 = (await p.locator('h1').first().innerText()).trim();
      check(h1.startsWith('Дневник:'), `the new parent's home is not the diary: «${h1}»`);
      await axe(p, who);
      await p.screenshot({ path: path.join(artifacts, 'new-parent-diary-360.png'), fullPage: true });
      console.log(`ok   ${who.padEnd(12)} code for ${name} printed, wrong code refused at the field, signed up as ${login}, diary shown`);
    } finally {
      await family.close().catch(() => {});
    }
  } catch (e) {
    fail(who, e instanceof CheckError ? e.message : (e.stack || String(e)));
  } finally {
    await ctx.close().catch(() => {});
  }
}

// --------------------------------------------------------------------- main

console.log(`Zhurnal browser checks against ${ORIGIN} with ${chromiumPath} (${browser.version()})`);
try {
  for (const [login, role] of ACCOUNTS) await roleFlow(login, role);
  await wrongPassword();
  await language();
  await keyboard();
  await journalByKeyboard();
  await diaryFlow();
  await appsFlow();
  await accessFlow();
} catch (e) {
  fail('run', e.stack || String(e));
} finally {
  await browser.close().catch(() => {});
}

if (external.size > 0) {
  const lines = ['pages tried to load other origins (blocked; data must stay on the school server):'];
  for (const [url, froms] of external) lines.push(`${url}   from ${[...froms].map(short).join(', ')}`);
  fail('external', lines.join('\n'));
}

const secs = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length > 0) {
  console.log(`\nFAILED: ${failures.length} problem(s), ${pagesChecked} page(s) checked by axe, ${secs} s`);
  for (const f of failures) {
    const first = f.message.split('\n')[0];
    console.log(`  - ${f.where}: ${first.length > 160 ? `${first.slice(0, 157)}...` : first}`);
  }
  process.exit(1);
}
console.log(`\nPASSED: ${pagesChecked} page(s) checked by axe, 0 violations, ${secs} s`);
process.exit(0);
