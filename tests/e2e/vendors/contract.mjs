// The contract of each chat-vendor adapter (issue #7): the documented calls
// in order, and checks on their arguments, against the recording fakes in
// fakes.js. Used by tests/e2e/vendors.test.mjs.
//
// Recorded calls are { vendor, method, args } (see fakes.js). Readiness
// probes are recorded too and are not part of the contract: skip them.

/** Calls made while polling for readiness; ignore them. */
export const PROBES = {
  helpscout: ['info'],
  livechat: ['get state'],
  crisp: [],
};

/** What a visitor typed and left, used by every expectation below. */
export const PAYLOAD = {
  message: 'My card fails at the last step',
  contact: { name: 'Ada Lovelace', email: 'ada@example.com' },
};

const obj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const hasSummary = (o) => Object.entries(obj(o)).some(([k, v]) => /summary/i.test(k) && typeof v === 'string' && v.length > 0);
const hasHandoff = (o) => Object.entries(obj(o)).some(([k, v]) => /handoff.?id/i.test(k) && typeof v === 'string' && v.length > 0);
const values = (o) => Object.values(obj(o));

/**
 * Per vendor: the methods in order (`order`, as fakes.js names them; `?`
 * marks calls present only when the payload has the data), and checks on
 * arguments by method (each returns a problem string or null).
 */
export const expectations = {
  intercom: {
    order: ['update', 'trackEvent', 'showNewMessage'],
    checks: {
      update: ([data]) =>
        (data.email !== PAYLOAD.contact.email && 'update.email is the contact email') ||
        (!hasSummary(data) && 'update carries pathlight_summary') ||
        (!hasHandoff(data) && 'update carries pathlight_handoff_id') ||
        (Object.keys(data).filter((k) => k.startsWith('pathlight_')).length > 5 &&
          'at most five pathlight_* attributes (workspace has 250)') ||
        null,
      trackEvent: ([name, meta]) =>
        (name !== 'requested-human-help' && 'one fixed event name') ||
        (Object.keys(obj(meta)).length > 20 && 'metadata ≤ 20') ||
        null,
      showNewMessage: ([text]) => (text !== PAYLOAD.message && 'the message is prefilled') || null,
    },
  },
  zendesk: {
    order: ['messenger:set conversationFields?', 'messenger:set conversationTags', 'messenger open'],
    checks: {
      'messenger:set conversationTags': ([tags]) =>
        (!tags.includes('pathlight') && 'tagged pathlight') ||
        (tags.some((t) => /\s/.test(t)) && 'no spaces in tags') ||
        null,
      // Only when the config gives zendesk field ids (Options in vendors.rs):
      'messenger:set conversationFields': ([fields]) =>
        (!fields.every((f) => /^\d+$/.test(f.id)) && 'numeric field ids') || null,
    },
  },
  helpscout: {
    order: ['session-data', 'prefill', 'open', 'navigate'],
    checks: {
      'session-data': ([data]) =>
        (!('Summary' in data) && 'session data has Summary') ||
        (!('Handoff id' in data) && 'session data has Handoff id') ||
        (Object.keys(data).length > 20 && '≤ 20 entries') ||
        null,
      prefill: ([form]) =>
        (form.email !== PAYLOAD.contact.email && 'prefilled email') ||
        (form.name !== PAYLOAD.contact.name && 'prefilled name') ||
        (form.text !== PAYLOAD.message && 'prefilled text') ||
        (!form.subject && 'a subject') ||
        null,
      navigate: ([route]) => (route !== '/ask/message/' && 'opens the contact form') || null,
    },
  },
  crisp: {
    order: ['set user:email', 'set user:nickname', 'set user:phone?', 'set session:data', 'set message:text', 'do chat:open'],
    checks: {
      'set user:email': ([v]) => (v[0] !== PAYLOAD.contact.email && 'email') || null,
      'set session:data': ([v]) => {
        const data = Object.fromEntries(v[0]);
        return (!hasSummary(data) && 'pathlight_summary') || (!hasHandoff(data) && 'pathlight_handoff_id') || null;
      },
      'set message:text': ([v]) => (v[0] !== PAYLOAD.message && 'the message is prefilled') || null,
    },
  },
  chatwoot: {
    order: ['setConversationCustomAttributes', 'setCustomAttributes', 'toggle'],
    forbidden: ['setUser'], // needs identifier_hash; never called
    checks: {
      setConversationCustomAttributes: ([a]) => (!hasSummary(a) && 'summary on the conversation') || null,
      setCustomAttributes: ([a]) =>
        (a.pathlight_contact_email !== PAYLOAD.contact.email && 'contact email as a custom attribute') || null,
      toggle: ([state]) => (state !== 'open' && "toggle('open')") || null,
    },
  },
  livechat: {
    order: ['call set_customer_name', 'call set_customer_email', 'call update_session_variables', 'call maximize'],
    forbidden: ['call set_session_variables'], // would wipe the host's own variables
    checks: {
      'call update_session_variables': ([vars]) =>
        (!values(vars).every((v) => typeof v === 'string') && 'string values') ||
        (!hasSummary(vars) && 'pathlight_summary') ||
        null,
      'call maximize': ([opts]) => (obj(opts).messageDraft !== PAYLOAD.message && 'messageDraft') || null,
    },
  },
  tawk: {
    order: ['setAttributes', 'addEvent', 'maximize'],
    checks: {
      setAttributes: ([attrs, cb]) =>
        (cb !== '[function]' && 'a callback') ||
        ('name' in attrs || 'email' in attrs ? 'no name/email without a secure-mode hash' : null) ||
        (!hasSummary(attrs) && 'pathlight-summary') ||
        (Object.keys(attrs).length > 50 && '≤ 50') ||
        null,
      addEvent: ([name]) => (name !== 'pathlight-handoff' && 'event name') || null,
    },
  },
  hubspot: {
    order: ['_hsq identify', '_hsq trackPageView', 'widget.open'],
    checks: {
      '_hsq identify': ([props]) => (props.email !== PAYLOAD.contact.email && 'identify by email') || null,
    },
  },
  freshchat: {
    order: ['user.setFirstName', 'user.setEmail', 'user.setProperties', 'track', 'open'],
    checks: {
      'user.setProperties': ([p]) => (!hasSummary(p) && 'pathlight_summary') || null,
      open: ([opts]) => (obj(opts).replyText !== PAYLOAD.message && 'replyText') || null,
    },
  },
};

/** Problems with the calls recorded for `vendor`; [] when the contract holds. */
export function checkRecorded(vendor, recorded) {
  const x = expectations[vendor];
  const probes = PROBES[vendor] ?? [];
  const mine = recorded.filter((c) => c.vendor === vendor && !probes.includes(c.method));
  const problems = [];
  const got = mine.map((c) => c.method);
  let at = 0;
  for (const want of x.order) {
    const optional = want.endsWith('?');
    const name = optional ? want.slice(0, -1) : want;
    if (got[at] === name) at += 1;
    else if (!optional) problems.push(`expected ${name} at call ${at + 1}, got ${got[at] ?? 'nothing'} (all: ${got.join(', ')})`);
  }
  if (at < got.length) problems.push(`unexpected calls after the opener: ${got.slice(at).join(', ')}`);
  for (const f of x.forbidden ?? []) if (got.includes(f)) problems.push(`${f} must not be called`);
  for (const c of mine) {
    const problem = x.checks[c.method]?.(c.args);
    if (problem) problems.push(`${c.method}: ${problem}`);
  }
  return problems;
}
