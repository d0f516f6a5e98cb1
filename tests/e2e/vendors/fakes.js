/*
 * Recording fakes of the chat vendors' documented browser APIs, for the
 * contract tests of Pathlight's vendor adapters (issue #7). A plain browser
 * script, no imports: load it with `page.addInitScript({ path })` or a
 * <script> tag, then call
 *
 *   window.installFakeVendor(name, { mode })
 *
 * name: intercom | zendesk | helpscout | crisp | chatwoot | livechat | tawk
 *       | hubspot | freshchat
 * mode: 'ready'  — loaded now
 *       'slow'   — what the vendor's snippet defines now, loaded after 300 ms
 *       'never'  — the global is there (snippet stub / placeholder) but the
 *                  vendor never becomes ready
 *       'throws' — loaded, but every method throws
 * (For "absent", install nothing.)
 *
 * Every call is recorded in window.__vendorCalls as { vendor, method, args }
 * (functions show as '[function]'). Misuse — an unknown method, a wrong
 * argument type, too many attributes, a key or value over the limit — is
 * recorded in window.__vendorViolations as { vendor, method, problem } and
 * THROWN as an Error, except for tawk.to, whose documented API reports
 * such errors through the callback (the code is passed to it, as tawk does).
 *
 * Limits implemented (source page in brackets; "cap" = not documented by
 * the vendor, Pathlight's conservative cap, checked so the adapter keeps it):
 *  Intercom   [Javascript API: Methods; Send custom user attributes to
 *             Intercom; Set up event tracking in Intercom]
 *             custom attribute strings <= 255; keys without '.' or '$';
 *             event metadata <= 20 items, strings <= 255; no nested objects.
 *  Zendesk    [Core messaging Web Widget API; Using messaging metadata]
 *             conversationFields: [{ id: digits, value: string|number|bool }];
 *             conversationTags: array of strings without spaces;
 *             cap: <= 10 tags, tag <= 80, field value <= 1000.
 *  Help Scout [Beacon JavaScript API; Beacon SDK constants]
 *             session-data <= 20 entries, label <= 100, value <= 10,000;
 *             prefill name <= 80; cap: subject <= 100, text <= 5000.
 *  Crisp      [$crisp Methods; How to push custom data]
 *             session:data keys lower-case [a-z0-9_-], values string|number|
 *             bool; cap: <= 20 keys, key <= 64, value <= 255.
 *  Chatwoot   [Sending Information into Chatwoot (website SDK)]
 *             setCustomAttributes / setConversationCustomAttributes throw on
 *             an empty object (as the SDK does); cap: <= 20, key <= 64
 *             [a-z0-9_], value <= 255.
 *  LiveChat   [Chat Widget JS API]
 *             get() throws before load; session variables Record<string,
 *             string>; maximize({ messageDraft: string }); cap: <= 20
 *             variables, key <= 64, value <= 255.
 *  tawk.to    [JavaScript API]
 *             setAttributes: keys alphanumeric or '-', <= 50 custom
 *             attributes, values non-empty and <= 255, name/email only with a
 *             hash; addEvent name alphanumeric or '-'; addTags <= 10;
 *             Tawk_API.onLoaded true once ready; cap: key <= 64.
 *  HubSpot    [Conversations SDK; Tracking code API]
 *             HubSpotConversations.widget.{load,open,close,remove,refresh,
 *             status}; _hsq.push(['identify', { email, ...props }]) needs an
 *             email or id; cap: <= 10 extra properties, value <= 1000.
 *  Freshchat  [Freshchat Web Messenger SDK]
 *             fcWidget.user setters return Promises; open({ name, channelId,
 *             replyText }); cap: <= 20 properties, key <= 32, value <= 255.
 */
(function () {
  'use strict';

  const calls = (window.__vendorCalls = window.__vendorCalls || []);
  const violations = (window.__vendorViolations = window.__vendorViolations || []);
  const SLOW_MS = 300;

  const copy = (value) =>
    JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'function' ? '[function]' : v)) ?? 'null');
  const record = (vendor, method, args) => calls.push({ vendor, method, args: copy(args) });
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const isScalar = (v) => ['string', 'number', 'boolean'].includes(typeof v);

  /** Record a violation and throw it, as a strict SDK would. */
  function violate(vendor, method, problem) {
    violations.push({ vendor, method, problem });
    throw new Error(`${vendor} fake: ${method}: ${problem}`);
  }

  /** Problems of an attribute object against limits; [] when fine. */
  function attributeProblems(obj, limits) {
    if (!isObject(obj)) return ['expected a plain object'];
    const problems = [];
    const keys = Object.keys(obj);
    if (limits.max !== undefined && keys.length > limits.max) {
      problems.push(`${keys.length} attributes, at most ${limits.max}`);
    }
    for (const key of keys) {
      const value = obj[key];
      if (limits.keyMax !== undefined && key.length > limits.keyMax) {
        problems.push(`key "${key.slice(0, 40)}…" longer than ${limits.keyMax}`);
      }
      if (limits.keyRe && !limits.keyRe.test(key)) problems.push(`key "${key}" not allowed`);
      if (limits.strings ? typeof value !== 'string' : !isScalar(value)) {
        problems.push(`value of "${key}" must be ${limits.strings ? 'a string' : 'a string, number or boolean'}`);
      } else if (typeof value === 'string') {
        if (limits.valueMax !== undefined && value.length > limits.valueMax) {
          problems.push(`value of "${key}" is ${value.length} long, at most ${limits.valueMax}`);
        }
        if (limits.nonEmpty && value.length === 0) problems.push(`value of "${key}" is empty`);
      }
    }
    return problems;
  }

  function check(vendor, method, obj, limits) {
    const problems = attributeProblems(obj, limits);
    if (problems.length) violate(vendor, method, problems.join('; '));
  }

  function string(vendor, method, value, max, what = 'argument') {
    if (typeof value !== 'string') violate(vendor, method, `${what} must be a string`);
    if (max !== undefined && value.length > max) violate(vendor, method, `${what} is ${value.length} long, at most ${max}`);
  }

  const thrower = (vendor) => (method) => {
    throw new Error(`${vendor} fake ('throws' mode): ${method} failed`);
  };

  // ------------------------------------------------------------- Intercom
  const INTERCOM_METHODS = new Set([
    'boot', 'shutdown', 'update', 'hide', 'show', 'showSpace', 'showMessages', 'showNewMessage',
    'onHide', 'onShow', 'onUnreadCountChange', 'trackEvent', 'getVisitorId', 'startTour',
    'showArticle', 'showNews', 'startSurvey', 'startChecklist', 'showTicket', 'showConversation',
    'onUserEmailSupplied',
  ]);
  const INTERCOM_STANDARD = new Set([
    'app_id', 'email', 'user_id', 'created_at', 'name', 'phone', 'last_request_at',
    'unsubscribed_from_emails', 'language_override', 'utm_campaign', 'utm_content', 'utm_medium',
    'utm_source', 'utm_term', 'avatar', 'user_hash', 'intercom_user_jwt', 'company', 'companies',
    'custom_launcher_selector', 'alignment', 'vertical_padding', 'horizontal_padding',
    'hide_default_launcher', 'session_duration', 'action_color', 'background_color', 'z_index',
  ]);
  function intercomData(method, data) {
    if (data === undefined) return;
    if (!isObject(data)) violate('intercom', method, 'data must be an object');
    for (const [key, value] of Object.entries(data)) {
      if (/[.$]/.test(key)) violate('intercom', method, `attribute "${key}" contains '.' or '$'`);
      if (INTERCOM_STANDARD.has(key)) continue;
      if (value !== null && !isScalar(value)) violate('intercom', method, `custom attribute "${key}" must not be nested`);
      if (typeof value === 'string' && value.length > 255) {
        violate('intercom', method, `custom attribute "${key}" is ${value.length} long, at most 255`);
      }
    }
  }
  function intercom(mode) {
    const stub = function () { (stub.q = stub.q || []).push(arguments); };
    const loaded = function (method, ...args) {
      record('intercom', method, args);
      if (mode === 'throws') thrower('Intercom')(method);
      if (!INTERCOM_METHODS.has(method)) violate('intercom', String(method), 'unknown method');
      if (method === 'boot' || method === 'update') intercomData(method, args[0]);
      if (method === 'trackEvent') {
        string('intercom', method, args[0], undefined, 'event name');
        const meta = args[1];
        if (meta !== undefined) {
          if (!isObject(meta)) violate('intercom', method, 'metadata must be an object');
          const entries = Object.entries(meta);
          if (entries.length > 20) violate('intercom', method, `${entries.length} metadata items, at most 20`);
          for (const [key, value] of entries) {
            // Rich links ({ url, value }) and prices ({ amount, currency }) are the only objects.
            const rich = isObject(value) && (('url' in value && 'value' in value) || ('amount' in value && 'currency' in value));
            if (!rich && !isScalar(value)) violate('intercom', method, `metadata "${key}" must not be nested`);
            if (typeof value === 'string' && value.length > 255) {
              violate('intercom', method, `metadata "${key}" is ${value.length} long, at most 255`);
            }
          }
        }
      }
      if (method === 'showNewMessage' && args[0] !== undefined) string('intercom', method, args[0]);
      if (method === 'getVisitorId') return 'fake-visitor';
      return undefined;
    };
    return {
      stub: () => { window.Intercom = stub; },
      never: () => { window.Intercom = stub; },
      load: () => { loaded.booted = true; window.Intercom = loaded; },
    };
  }

  // ------------------------------------------------------------- Zendesk
  function zendesk(mode) {
    const zE = function (namespace, command, ...rest) {
      const method = `${namespace} ${command}`;
      record('zendesk', method, rest);
      if (mode === 'throws') thrower('Zendesk')(method);
      const known = {
        messenger: ['show', 'hide', 'open', 'close', 'loginUser', 'logoutUser', 'resetWidget'],
        'messenger:set': ['locale', 'zIndex', 'cookies', 'conversationFields', 'conversationTags'],
        'messenger:on': ['open', 'close', 'unreadMessages'],
      };
      if (!known[namespace] || !known[namespace].includes(command)) violate('zendesk', method, 'unknown command');
      if (command === 'conversationFields') {
        const fields = rest[0];
        if (!Array.isArray(fields)) violate('zendesk', method, 'fields must be an array');
        for (const f of fields) {
          if (!isObject(f) || typeof f.id !== 'string' || !/^\d+$/.test(f.id)) {
            violate('zendesk', method, 'each field needs a numeric string id');
          }
          if (!isScalar(f.value)) violate('zendesk', method, 'field value must be a string, number or boolean');
          if (typeof f.value === 'string' && f.value.length > 1000) violate('zendesk', method, 'field value over 1000 (cap)');
        }
      }
      if (command === 'conversationTags') {
        const tags = rest[0];
        if (!Array.isArray(tags)) violate('zendesk', method, 'tags must be an array');
        if (tags.length > 10) violate('zendesk', method, `${tags.length} tags, at most 10 (cap)`);
        for (const t of tags) {
          if (typeof t !== 'string' || t === '' || /\s/.test(t)) violate('zendesk', method, `bad tag ${JSON.stringify(t)}`);
          if (t.length > 80) violate('zendesk', method, 'tag over 80 (cap)');
        }
      }
      if (namespace === 'messenger:on' && typeof rest[0] !== 'function') violate('zendesk', method, 'callback must be a function');
      return undefined;
    };
    return {
      stub: () => {},
      // Zendesk defines zE only when its script runs: a placeholder stands in.
      never: () => { window.zE = { placeholder: true }; },
      load: () => { window.zE = zE; },
    };
  }

  // ------------------------------------------------------------- Help Scout
  const BEACON_METHODS = new Set([
    'init', 'destroy', 'open', 'close', 'toggle', 'search', 'suggest', 'article', 'navigate',
    'identify', 'prefill', 'reset', 'logout', 'config', 'session-data', 'event', 'on', 'off',
    'once', 'info', 'show-message', 'ask',
  ]);
  function helpscout(mode) {
    const stub = function (method, options, data) { stub.readyQueue.push({ method, options, data }); };
    stub.readyQueue = [];
    const loaded = function (method, ...args) {
      record('helpscout', method, args);
      // 'info' is how an adapter tells the loaded Beacon from the stub.
      if (mode === 'throws' && method !== 'info') thrower('Beacon')(method);
      if (!BEACON_METHODS.has(method)) violate('helpscout', String(method), 'unknown method');
      if (method === 'session-data') check('helpscout', method, args[0], { max: 20, keyMax: 100, valueMax: 10000, strings: true });
      if (method === 'prefill') {
        const form = args[0];
        if (!isObject(form)) violate('helpscout', method, 'form must be an object');
        const allowed = ['name', 'email', 'company', 'subject', 'text', 'fields', 'attachments'];
        for (const key of Object.keys(form)) if (!allowed.includes(key)) violate('helpscout', method, `unknown field "${key}"`);
        if (form.name !== undefined) string('helpscout', method, form.name, 80, 'name');
        if (form.subject !== undefined) string('helpscout', method, form.subject, 100, 'subject (cap)');
        if (form.text !== undefined) string('helpscout', method, form.text, 5000, 'text (cap)');
      }
      if (method === 'navigate') {
        string('helpscout', method, args[0], undefined, 'route');
        if (!args[0].startsWith('/')) violate('helpscout', method, 'routes start with /');
      }
      if (method === 'info') return { beaconId: 'fake-beacon', status: { isOpened: false } };
      return undefined;
    };
    return {
      stub: () => { window.Beacon = stub; },
      never: () => { window.Beacon = stub; },
      load: () => { window.Beacon = loaded; },
    };
  }

  // ------------------------------------------------------------- Crisp
  const CRISP = {
    set: ['user:email', 'user:phone', 'user:nickname', 'user:avatar', 'user:company', 'session:data',
      'session:segments', 'session:event', 'message:text'],
    do: ['chat:open', 'chat:close', 'chat:toggle', 'chat:show', 'chat:hide', 'message:send',
      'message:show', 'message:read', 'session:reset', 'trigger:run', 'helpdesk:search'],
    on: null,
    off: null,
    config: null,
    safe: null,
  };
  function crispPush(mode, cmd) {
    if (!Array.isArray(cmd)) violate('crisp', 'push', 'a command must be an array');
    const [verb, name, value] = cmd;
    const method = `${verb} ${name}`;
    record('crisp', method, cmd.slice(2));
    if (mode === 'throws') thrower('Crisp')(method);
    if (!(verb in CRISP) || (CRISP[verb] && !CRISP[verb].includes(name))) violate('crisp', method, 'unknown command');
    if (verb !== 'set') return;
    if (!Array.isArray(value)) violate('crisp', method, 'the value must be wrapped in an array');
    if (name === 'user:email') string('crisp', method, value[0], 254, 'email');
    if (name === 'user:nickname') string('crisp', method, value[0], 100, 'nickname (cap)');
    if (name === 'message:text') string('crisp', method, value[0], 5000, 'text (cap)');
    if (name === 'session:data') {
      const pairs = Array.isArray(value[0]) && Array.isArray(value[0][0]) ? value[0] : [value];
      const data = {};
      for (const pair of pairs) {
        if (!Array.isArray(pair) || pair.length !== 2) violate('crisp', method, 'each entry must be [key, value]');
        if (pair[0] in data) violate('crisp', method, `duplicate key "${pair[0]}"`);
        data[pair[0]] = pair[1];
      }
      check('crisp', method, data, { max: 20, keyMax: 64, valueMax: 255, keyRe: /^[a-z0-9_-]+$/ });
    }
  }
  function crisp(mode) {
    return {
      stub: () => { window.$crisp = window.$crisp || []; },
      never: () => { window.$crisp = window.$crisp || []; },
      load: () => {
        const queued = Array.isArray(window.$crisp) ? window.$crisp.slice() : [];
        window.$crisp = {
          push: (cmd) => crispPush(mode, cmd),
          is: (state) => { record('crisp', `is ${state}`, []); return false; },
          get: (key) => { record('crisp', `get ${key}`, []); return undefined; },
        };
        // Crisp runs the commands queued before it loaded.
        for (const cmd of queued) {
          try { crispPush(mode, cmd); } catch (e) { /* recorded as a violation */ }
        }
      },
    };
  }

  // ------------------------------------------------------------- Chatwoot
  function chatwoot(mode) {
    const limits = { max: 20, keyMax: 64, valueMax: 255, keyRe: /^[a-z0-9_]+$/ };
    const api = { hasLoaded: false };
    const method = (name, fn) => {
      api[name] = function (...args) {
        record('chatwoot', name, args);
        if (mode === 'throws') thrower('Chatwoot')(name);
        return fn ? fn(...args) : undefined;
      };
    };
    const attributes = (name) => (obj) => {
      if (!obj || !Object.keys(obj).length) throw new Error('Custom attributes should have atleast one key');
      check('chatwoot', name, obj, limits);
    };
    method('toggle', (state) => {
      if (state !== undefined && state !== 'open' && state !== 'close') violate('chatwoot', 'toggle', 'state is open or close');
    });
    method('setUser', (identifier, user) => {
      if (typeof identifier !== 'string' || !isObject(user)) violate('chatwoot', 'setUser', 'setUser(identifier, user)');
    });
    method('setCustomAttributes', attributes('setCustomAttributes'));
    method('setConversationCustomAttributes', attributes('setConversationCustomAttributes'));
    method('deleteCustomAttribute');
    method('deleteConversationCustomAttribute');
    method('setLabel', (label) => string('chatwoot', 'setLabel', label));
    method('removeLabel');
    method('setLocale');
    method('setColorScheme');
    method('toggleBubbleVisibility');
    method('popoutChatWindow');
    method('reset');
    return {
      stub: () => { window.chatwootSDK = { run() {} }; window.$chatwoot = api; },
      never: () => { window.chatwootSDK = { run() {} }; window.$chatwoot = api; },
      load: () => {
        window.$chatwoot = api;
        api.hasLoaded = true;
        window.dispatchEvent(new Event('chatwoot:ready'));
      },
    };
  }

  // ------------------------------------------------------------- LiveChat
  function livechat(mode) {
    const vars = { max: 20, keyMax: 64, valueMax: 255, strings: true };
    const handler = (kind, args) => {
      const [name, data] = args;
      record('livechat', `${kind} ${name}`, args.slice(1));
      // Getters are how an adapter tells the loaded widget from the stub.
      if (mode === 'throws' && kind !== 'get') thrower('LiveChat')(`${kind} ${name}`);
      if (kind === 'get') {
        const values = {
          state: { availability: 'online', visibility: 'minimized' },
          customer_data: { id: 'fake', name: '', email: '', isReturning: false, status: 'browsing', sessionVariables: {} },
          chat_data: { chatId: 'fake', threadId: 'fake' },
        };
        if (!(name in values)) violate('livechat', `get ${name}`, 'unknown getter');
        return values[name];
      }
      if (kind !== 'call') return undefined;
      switch (name) {
        case 'maximize':
          if (data !== undefined) {
            if (!isObject(data) || Object.keys(data).some((k) => k !== 'messageDraft')) violate('livechat', 'call maximize', 'only { messageDraft }');
            string('livechat', 'call maximize', data.messageDraft, 5000, 'messageDraft (cap)');
          }
          break;
        case 'set_session_variables':
        case 'update_session_variables':
          check('livechat', `call ${name}`, data, vars);
          break;
        case 'set_customer_name':
          string('livechat', `call ${name}`, data, 100, 'name (cap)');
          break;
        case 'set_customer_email':
          string('livechat', `call ${name}`, data, 254, 'email');
          break;
        case 'minimize': case 'hide': case 'destroy': case 'hide_greeting': case 'trigger_sales_tracker':
          break;
        default:
          violate('livechat', `call ${name}`, 'unknown method');
      }
      return undefined;
    };
    const snippet = () => {
      // The documented tracking-code stub.
      const e = {
        _q: [], _h: null, _v: '2.0',
        on(...a) { return i(['on', a]); },
        once(...a) { return i(['once', a]); },
        off(...a) { return i(['off', a]); },
        get(...a) { if (!e._h) throw new Error("[LiveChatWidget] You can't use getters before load."); return i(['get', a]); },
        call(...a) { return i(['call', a]); },
        init() {},
        scriptTagVersion: () => '2.0',
      };
      function i(n) { return e._h ? e._h.apply(null, n) : e._q.push(n); }
      return e;
    };
    return {
      stub: () => { window.LiveChatWidget = snippet(); },
      never: () => { window.LiveChatWidget = snippet(); },
      load: () => {
        const w = window.LiveChatWidget || snippet();
        window.LiveChatWidget = w;
        w._h = (kind, args) => (kind === 'on' || kind === 'once' || kind === 'off' ? undefined : handler(kind, args));
        for (const n of w._q.splice(0)) {
          try { w._h.apply(null, n); } catch (e) { /* recorded as a violation */ }
        }
      },
    };
  }

  // ------------------------------------------------------------- tawk.to
  function tawk(mode) {
    const later = (cb, error) => setTimeout(() => cb(error), 0);
    const api = {};
    const method = (name, fn) => {
      api[name] = function (...args) {
        record('tawk', name, args);
        if (mode === 'throws') thrower('tawk.to')(name);
        return fn ? fn(...args) : undefined;
      };
    };
    const report = (name, cb, code, problem) => {
      violations.push({ vendor: 'tawk', method: name, problem: `${code}: ${problem}` });
      later(cb, code);
    };
    const metadata = (name, obj, cb) => {
      const custom = Object.keys(obj).filter((k) => !['name', 'email', 'hash'].includes(k));
      if (custom.length > 50) return report(name, cb, 'ATTRIBUTE_LIMIT_EXCEEDED', `${custom.length} attributes`);
      for (const key of custom) {
        if (!/^[a-zA-Z0-9-]+$/.test(key) || key.length > 64) return report(name, cb, 'CONTAINS_INVALID_KEY', key);
        const value = obj[key];
        if (value === '' || value === null || value === undefined || String(value).length > 255) {
          return report(name, cb, 'CONTAINS_INVALID_VALUE', key);
        }
      }
      if ((obj.name !== undefined || obj.email !== undefined) && obj.hash === undefined) {
        return report(name, cb, 'ACCESS_ERROR', 'name/email need secure mode and a hash');
      }
      return later(cb, undefined);
    };
    method('setAttributes', (attributes, cb) => {
      if (typeof cb !== 'function') violate('tawk', 'setAttributes', 'a callback is required');
      if (!isObject(attributes) || !Object.keys(attributes).length) return report('setAttributes', cb, 'INVALID_ATTRIBUTES', 'no attributes');
      return metadata('setAttributes', attributes, cb);
    });
    method('addEvent', (name, meta, cb) => {
      if (typeof meta === 'function') { cb = meta; meta = undefined; }
      if (typeof cb !== 'function') violate('tawk', 'addEvent', 'a callback is required');
      if (typeof name !== 'string' || !/^[a-zA-Z0-9-]+$/.test(name)) return report('addEvent', cb, 'INVALID_EVENT_NAME', String(name));
      if (meta === undefined) return later(cb, undefined);
      if (!isObject(meta)) return report('addEvent', cb, 'INVALID_ATTRIBUTES', 'metadata must be an object');
      return metadata('addEvent', meta, cb);
    });
    method('addTags', (tags, cb) => {
      if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) return report('addTags', cb, 'INVALID_TAGS', 'strings only');
      if (tags.length > 10) return report('addTags', cb, 'TAG_LIMIT_EXCEEDED', `${tags.length} tags`);
      return later(cb, undefined);
    });
    method('removeTags', (_tags, cb) => later(cb, undefined));
    for (const name of ['maximize', 'minimize', 'toggle', 'popup', 'showWidget', 'hideWidget',
      'toggleVisibility', 'endChat', 'start', 'shutdown']) method(name);
    method('getStatus', () => 'online');
    method('getWindowType', () => 'inline');
    for (const name of ['isChatMaximized', 'isChatMinimized', 'isChatHidden', 'isChatOngoing',
      'isVisitorEngaged']) method(name, () => false);
    return {
      stub: () => { window.Tawk_API = window.Tawk_API || {}; },
      never: () => { window.Tawk_API = window.Tawk_API || {}; },
      load: () => {
        const target = (window.Tawk_API = window.Tawk_API || {});
        Object.assign(target, api);
        target.onLoaded = true;
        target.onBeforeLoaded = true;
        if (typeof target.onLoad === 'function') target.onLoad();
      },
    };
  }

  // ------------------------------------------------------------- HubSpot
  function hsqPush(mode, cmd) {
    if (!Array.isArray(cmd)) violate('hubspot', '_hsq.push', 'a command must be an array');
    const [name, data] = cmd;
    const method = `_hsq ${name}`;
    record('hubspot', method, cmd.slice(1));
    if (mode === 'throws') thrower('HubSpot')(method);
    const known = ['identify', 'trackPageView', 'setPath', 'trackEvent', 'trackCustomBehavioralEvent',
      'revokeCookieConsent', 'doNotTrack', 'addPrivacyConsentListener', 'addIdentityListener',
      'setContentType', 'showBanner'];
    if (!known.includes(name)) violate('hubspot', method, 'unknown command');
    if (name === 'identify') {
      if (!isObject(data) || (typeof data.email !== 'string' && typeof data.id !== 'string')) {
        violate('hubspot', method, 'identify needs an email or an id');
      }
      const props = { ...data };
      delete props.email;
      delete props.id;
      check('hubspot', method, props, { max: 10, keyMax: 100, valueMax: 1000, keyRe: /^[a-z0-9_]+$/ });
    }
  }
  function hubspot(mode) {
    const widget = {};
    const method = (obj, name, path, fn) => {
      obj[name] = function (...args) {
        record('hubspot', path, args);
        if (mode === 'throws') thrower('HubSpot')(path);
        return fn ? fn(...args) : undefined;
      };
    };
    let loaded = true;
    let opened = false;
    method(widget, 'load', 'widget.load', () => { loaded = true; });
    method(widget, 'open', 'widget.open', () => { if (loaded) opened = true; });
    method(widget, 'close', 'widget.close', () => { opened = false; });
    method(widget, 'remove', 'widget.remove', () => { loaded = false; });
    method(widget, 'refresh', 'widget.refresh');
    method(widget, 'status', 'widget.status', () => ({ loaded, opened }));
    const api = { widget };
    method(api, 'clear', 'clear');
    method(api, 'on', 'on');
    method(api, 'off', 'off');
    method(api, 'resetAndReloadWidget', 'resetAndReloadWidget');
    const queue = () => { window._hsq = window._hsq || []; };
    return {
      stub: queue,
      // The tracking code ran, but the chat API never initialises.
      never: () => { queue(); window.HubSpotConversations = {}; },
      load: () => {
        const queued = Array.isArray(window._hsq) ? window._hsq.slice() : [];
        window._hsq = { push: (cmd) => hsqPush(mode, cmd) };
        for (const cmd of queued) {
          try { hsqPush(mode, cmd); } catch (e) { /* recorded as a violation */ }
        }
        window.HubSpotConversations = api;
        for (const fn of window.hsConversationsOnReady || []) fn();
      },
    };
  }

  // ------------------------------------------------------------- Freshchat
  function freshchat(mode) {
    const ok = () => Promise.resolve({ success: true, status: 200 });
    let isLoaded = false;
    const method = (obj, name, path, fn) => {
      obj[name] = function (...args) {
        record('freshchat', path, args);
        if (mode === 'throws') thrower('Freshchat')(path);
        return fn ? fn(...args) : undefined;
      };
    };
    const user = {};
    method(user, 'setFirstName', 'user.setFirstName', (s) => { string('freshchat', 'user.setFirstName', s, 100, 'name (cap)'); return ok(); });
    method(user, 'setLastName', 'user.setLastName', ok);
    method(user, 'setEmail', 'user.setEmail', (s) => { string('freshchat', 'user.setEmail', s, 254, 'email'); return ok(); });
    method(user, 'setPhone', 'user.setPhone', ok);
    method(user, 'setPhoneCountryCode', 'user.setPhoneCountryCode', ok);
    method(user, 'setLocale', 'user.setLocale', ok);
    method(user, 'setProperties', 'user.setProperties', (props) => {
      check('freshchat', 'user.setProperties', props, { max: 20, keyMax: 32, valueMax: 255, keyRe: /^[a-z0-9_]+$/ });
      return ok();
    });
    method(user, 'get', 'user.get', ok);
    method(user, 'clear', 'user.clear', ok);
    const api = { user };
    method(api, 'init', 'init');
    method(api, 'destroy', 'destroy');
    method(api, 'close', 'close');
    method(api, 'isOpen', 'isOpen', () => false);
    method(api, 'setExternalId', 'setExternalId', ok);
    method(api, 'setTags', 'setTags', ok);
    method(api, 'on', 'on');
    method(api, 'track', 'track', (name, props) => {
      string('freshchat', 'track', name, 64, 'event name (cap)');
      if (props !== undefined) check('freshchat', 'track', props, { max: 20, keyMax: 32, valueMax: 255 });
      return ok();
    });
    method(api, 'open', 'open', (options) => {
      if (options === undefined) return undefined;
      if (!isObject(options)) violate('freshchat', 'open', 'options must be an object');
      for (const key of Object.keys(options)) {
        if (!['name', 'channelId', 'replyText'].includes(key)) violate('freshchat', 'open', `unknown option "${key}"`);
      }
      if (options.replyText !== undefined) string('freshchat', 'open', options.replyText, 5000, 'replyText (cap)');
      return undefined;
    });
    // isLoaded/isInitialized are read by the adapter while polling: not recorded.
    api.isLoaded = () => isLoaded;
    api.isInitialized = () => isLoaded;
    return {
      stub: () => { window.fcWidget = api; },
      never: () => { window.fcWidget = api; },
      load: () => { window.fcWidget = api; isLoaded = true; },
    };
  }

  const installers = { intercom, zendesk, helpscout, crisp, chatwoot, livechat, tawk, hubspot, freshchat };

  /** Install the fake `name` in `mode` (see the header). */
  window.installFakeVendor = function installFakeVendor(name, options = {}) {
    const make = installers[name];
    if (!make) throw new Error(`installFakeVendor: unknown vendor "${name}"`);
    const mode = options.mode || 'ready';
    const fake = make(mode);
    switch (mode) {
      case 'ready':
      case 'throws':
        fake.stub();
        fake.load();
        break;
      case 'slow':
        fake.stub();
        setTimeout(fake.load, SLOW_MS);
        break;
      case 'never':
        fake.never();
        break;
      default:
        throw new Error(`installFakeVendor: unknown mode "${mode}"`);
    }
  };
})();
