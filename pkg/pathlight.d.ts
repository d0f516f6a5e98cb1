/**
 * Pathlight: an embeddable customer-journey SDK.
 *
 * @example
 * import { Pathlight } from 'pathlight';
 * const pl = await Pathlight.init({ config, answers });
 * pl.on('handoff', (payload) => sendToSupport(payload));
 */

/** A trigger config document. Schema: `pathlight/schema/config.v1.schema.json`. */
export interface Config {
  $schema?: string;
  version: 1;
  triggers: Trigger[];
  /** How the visitor reaches a person. */
  handoff?: HandoffConfig;
  /** Where analytics events go besides `on('analytics')`. */
  analytics?: AnalyticsConfig;
}

/** The `analytics` section. */
export interface AnalyticsConfig {
  /** POST batches `{ batch: AnalyticsEvent[], sentAt }` here (as text/plain); the rest is beaconed on pagehide. */
  url?: string;
  /** Also call `window.analytics.track(event, properties)` (Segment's analytics.js). Default false. */
  segment?: boolean;
  /** Send once this many events wait (1–100, default 20)… */
  batchSize?: number;
  /** …or this many seconds after the first (1–300, default 5). */
  flushSeconds?: number;
}

/** An analytics event, shaped like a Segment `track` message. */
export interface AnalyticsEvent {
  type: 'track';
  event:
    | 'Trigger Fired' | 'Nudge Shown' | 'Nudge Dismissed' | 'Answer Opened' | 'Answer Rated'
    | 'Help Searched' | 'Search No Results' | 'Handoff Started' | 'Handoff Delivered';
  /** Unique per event: `<visitor>-<page load>-<n>`. */
  messageId: string;
  anonymousId: string;
  /** ISO-8601. */
  timestamp: string;
  /** Always `sessionId`; the rest per event (see docs/server.md). */
  properties: { sessionId: string; [key: string]: unknown };
  context: { page: { path: string; title: string }; locale: string; library: { name: 'pathlight'; version: string } };
}

/** When to show a nudge and what to put in it. */
export interface Trigger {
  /** Unique id: letters, digits, `-`, `_`, `.`. */
  id: string;
  /** Conditions that must all hold. */
  when: Conditions;
  /** The nudge's message (at most 280 characters). */
  message: string;
  /** Answer ids to show first, in order. */
  answers?: string[];
  /** Answer tags to fill the nudge with (after `answers`). */
  tags?: string[];
  /** The highest priority wins when several triggers are due; ties go to config order. Default 0. */
  priority?: number;
}

/** Conditions of a trigger; every key given must hold. */
export interface Conditions {
  /** Path pattern: `/checkout`, `/checkout/*`, `/products/:id`, `/help/**`. */
  page?: string;
  /** Seconds on the current page. */
  dwellSeconds?: number;
}

/** An answer document. Schema: `pathlight/schema/answers.v1.schema.json`. */
export interface Answers {
  $schema?: string;
  version: 1;
  answers: Answer[];
}

/** One help answer. */
export interface Answer {
  id: string;
  title: string;
  /** Plain text; blank lines separate paragraphs. Never rendered as HTML. */
  body: string;
  /** An http(s) address or a path for more detail. */
  url?: string;
  tags?: string[];
  /** Path patterns the answer is relevant to. */
  pages?: string[];
}

/** One problem in a config or answer document. */
export interface Problem {
  /** JSON Pointer to the value, e.g. `/triggers/0/when/dwellSeconds`. */
  path: string;
  message: string;
  hint?: string;
}

/** The error every Pathlight call throws or rejects with. */
export interface PathlightError extends Error {
  name: 'PathlightError';
  /** For config and answer errors: every problem found. */
  problems?: Problem[];
  /**
   * Why the WebAssembly module could not start (from `load`, `init`,
   * `validate`, `validateAnswers`, `simulate`):
   * - `'wasm-blocked-by-csp'`: the page's Content-Security-Policy lacks
   *   `'wasm-unsafe-eval'` in `script-src` (checked before the module is
   *   fetched; every later call rejects the same way);
   * - `'wasm-unsupported'`: the browser has no WebAssembly;
   * - `'wasm-load-failed'`: the module could not be fetched or
   *   instantiated (`cause` says why); the next call tries again.
   */
  code?: 'wasm-blocked-by-csp' | 'wasm-unsupported' | 'wasm-load-failed';
}

export interface InitOptions {
  /** The trigger config, as an object or a JSON string. */
  config: Config | string;
  /** The answer document, as an object or a JSON string. */
  answers?: Answers | string;
  /**
   * `'granted'` (default) records and stores the journey; `'pending'` keeps it
   * in memory and stores or sends nothing until `grantConsent()`; `'denied'`
   * records nothing.
   */
  consent?: 'granted' | 'pending' | 'denied';
  /** The visitor's language (e.g. `'he-IL'`), before `navigator.languages`. */
  locale?: string;
  /** When true, a visitor whose browser sends Global Privacy Control is treated as `'denied'`. */
  respectGlobalPrivacyControl?: boolean;
  /**
   * The page's Content-Security-Policy nonce (e.g. `document.currentScript.nonce`,
   * the property: browsers hide the attribute). Pathlight puts it on the
   * `<style>` element it adds where the browser has no constructable
   * stylesheets; an adopted stylesheet needs none. `''` is no nonce;
   * anything but base64(url) characters is a `PathlightError`. `auto.js`
   * passes its own tag's nonce.
   */
  nonce?: string;
}

/** The stored journey, as `journey()` returns it. */
export interface JourneyState {
  version: 2;
  rev: number;
  visitor: { id: string; firstSeen: number; visits: number; attributes: Record<string, unknown> };
  session: { startedAt: number; lastActivity: number };
  journey: {
    steps: { kind: StepKind; at: number; path: string; detail?: string }[];
    folded: Partial<Record<StepKind, number>>;
    pages: { path: string; views: number; dwellMs: number; maxScroll: number; errors: number }[];
  };
  triggers: { fired: string[]; shown: { id: string; title: string; triggerId: string; opened: boolean }[] };
  handoffs: number;
  lastSearch: string | null;
}

/** A nudge that was shown. */
export interface Nudge {
  triggerId: string;
  message: string;
  answers: { id: string; title: string; body: string; url?: string }[];
}

/** What a journey step records. */
export type StepKind =
  | 'pageView' | 'click' | 'rageClick' | 'formError' | 'formSubmit'
  | 'search' | 'searchNoResults' | 'exitIntent' | 'idle' | 'returned'
  | 'custom' | 'identify' | 'nudgeShown' | 'answerOpened' | 'feedback' | 'nudgeDismissed' | 'handoff';

/** A contact channel the handoff form can offer. */
export type Channel = 'chat' | 'email' | 'sms' | 'callback';

/** The `handoff` section of the config: how the visitor reaches a person. */
export interface HandoffConfig {
  /** The channels the form offers, in order. Default `['chat', 'email']`. */
  channels?: Channel[];
  /** The language of the agent's summary: en, tl, be, tr, he or ms. Default `'en'`. */
  agentLocale?: string;
  /** Largest payload in bytes (4096–60000, default 32768); older steps fold into counts. */
  maxBytes?: number;
  /** POST every handoff here (absolute https, http on localhost, or a path on this site). */
  webhook?: { url: string; timeoutSeconds?: number; maxAttempts?: number; maxAgeHours?: number };
  /** Open the company's chat tool with the context attached. */
  adapter?: 'intercom' | 'zendesk' | 'helpscout' | 'crisp' | 'chatwoot' | 'livechat' | 'tawk' | 'hubspot' | 'freshchat';
  /** How long to wait for the chat tool's script (1–30 s, default 5). */
  adapterTimeoutSeconds?: number;
  /** Offered to the visitor when the handoff fails for good. */
  fallback?: { email?: string; phone?: string; url?: string };
  /** The built-in chat (needs `webhook`): `{url}/{handoffId}/events` and `/messages`; see docs/server.md. */
  chat?: { url: string };
}

/** The handoff payload, v1. Schema: `pathlight/schema/handoff.v1.schema.json`. */
export interface HandoffPayload {
  version: 1;
  /** Unique id; it is also the webhook's `Idempotency-Key`. */
  id: string;
  createdAt: string;
  visitor: {
    id: string;
    /** From `identify` (redacted). */
    attributes: Record<string, string | number | boolean>;
    locale: string;
    timeZone?: string;
    device: 'mobile' | 'tablet' | 'desktop';
  };
  trigger: { id: string; message: string } | null;
  /** Oldest first, redacted. */
  journey: { kind: StepKind; at: string; path: string; detail?: string; dwellSeconds?: number }[];
  /** Steps left out to stay under `maxBytes`, in total and by kind. */
  foldedSteps: number;
  folded: Partial<Record<StepKind, number>>;
  answers: { id: string; title: string; triggerId: string; opened: boolean; helpful?: boolean }[];
  searches: { query: string; at: string; results?: number }[];
  formErrors: { at: string; path: string; message: string }[];
  /** What the visitor typed. */
  message: string;
  /** How the visitor wants to be reached. */
  contact: { channel: Channel; name?: string; email?: string; phone?: string; preferredTime?: string };
  consent: 'granted' | 'pending' | 'denied';
  /** A paragraph for the agent, in `summaryLocale`. */
  summary: string;
  summaryLocale: string;
}

/**
 * What an `on('handoff')` handler may return (or resolve its promise with)
 * to tell the visitor what happens next. Returning nothing means accepted.
 */
export type HandoffReply =
  | void
  | { status: 'accepted' }
  | { status: 'queued'; position?: number; waitSeconds?: number }
  | { status: 'rejected'; reason: string };

/** Where a handoff stands (the `delivery` event). */
export type DeliveryStatus = { id: string } & (
  | { status: 'sending' | 'accepted' | 'opened' }
  | { status: 'queued'; position?: number; waitSeconds?: number }
  | { status: 'rejected'; reason: string }
  | { status: 'retrying'; reason: string }
  | { status: 'failed'; reason: string }
);

export interface EventMap {
  nudge: Nudge;
  /** The visitor asked for a person. The handler may return a `HandoffReply` or a promise of one. */
  handoff: HandoffPayload;
  /** A handoff's delivery moved on (sending, queued, accepted, retrying, failed…). */
  delivery: DeliveryStatus;
  error: PathlightError;
  /** The visitor opened an answer. */
  answer: { id: string };
  /** The visitor answered "Was this helpful?". */
  feedback: { id: string; helpful: boolean };
  /** A search was made (by the visitor or `search()`). */
  search: { query: string; results: number };
  /** The visitor closed a nudge. */
  dismiss: { triggerId: string };
  /** An analytics event (also sent where `config.analytics` says, with consent). */
  analytics: AnalyticsEvent;
  /** A new message from the agent in the built-in chat. */
  message: { id: number; name: string | null; text: string };
}

/** A running instance. */
export interface PathlightInstance {
  /** Record a custom event. */
  track(name: string, props?: Record<string, unknown>): void;
  /** Attach attributes to the visitor. */
  identify(attributes: Record<string, unknown>): void;
  /** Open the help panel. */
  open(): void;
  /** Close the widget (not a dismissal). */
  close(): void;
  /** Open the panel on one answer; throws for an unknown id. */
  showAnswer(id: string): void;
  /** Search the help answers and show them in the panel (best first, stale ones flagged); the search is recorded. */
  search(text: string): { id: string; title: string; body: string; url?: string; stale: boolean }[];
  /** Report how many results the last site search found (0 records a search with no results). */
  searchResults(count: number): void;
  /** Record a page view of the current address, for routers no listener can see. */
  page(): void;
  /** The visitor agreed: store the journey kept in memory so far. */
  grantConsent(): void;
  /** The visitor declined: drop the journey and record nothing more. */
  denyConsent(): void;
  /** Wipe everything about this visitor, in memory and storage. */
  forget(): void;
  /** A read-only copy of the stored journey. */
  journey(): JourneyState;
  /** Why each trigger is or is not showing right now. */
  explain(): Explanation[];
  /** Listen to an event. Handlers that throw are reported to `error` handlers, never to the page. */
  on<K extends keyof EventMap>(
    event: K,
    handler: (value: EventMap[K]) => K extends 'handoff' ? HandoffReply | Promise<HandoffReply> : void,
  ): void;
  /** Remove a handler added with `on`. */
  off<K extends keyof EventMap>(event: K, handler: (value: EventMap[K]) => void): void;
  /** Remove every listener, timer and element Pathlight added. */
  destroy(): void;
}

/** Why a trigger is or is not showing. */
export interface Explanation {
  trigger: string;
  status: 'fired' | 'eligible' | 'waiting' | 'blocked';
  /** JSON Pointer to the deciding condition or control in the config. */
  path: string;
  reason: string;
  /** For `waiting`: when it can fire (ms since the epoch). */
  at?: number;
}

/** One scripted step for `simulate`: `at` seconds, and one action. */
export type ScriptStep = { at: number } & (
  | { page: string; title?: string; referrer?: string }
  | { formError: { form?: string; field: string; message: string } }
  | { event: string; props?: Record<string, unknown> }
  | { search: string; results?: number }
  | { scroll: number }
  | { click: string }
  | { identify: Record<string, unknown> }
  | { typing: true } | { exitIntent: true } | { hidden: true } | { visible: true }
  | { dismiss: true } | { open: string } | { rate: string; helpful: boolean } | { end: true }
);

/** What `simulate` returns. */
export interface Simulation {
  timeline: { at: number; kind: 'step' | 'nudge'; detail: string; trigger?: string; answers?: string[] }[];
  end: Explanation[];
}

/** Load the wasm module early (optional); rejects with a `PathlightError` with a `code` when it cannot. */
export function load(): Promise<void>;
/** Start Pathlight; rejects with a `PathlightError` naming the wrong option. */
export function init(options: InitOptions): Promise<PathlightInstance>;
/** Every problem in a config (empty when valid). */
export function validate(config: unknown): Promise<Problem[]>;
/** Every problem in an answer document (empty when valid). */
export function validateAnswers(answers: unknown): Promise<Problem[]>;
/** Run a scripted journey with a virtual clock; rejects with `problems` for bad input. */
export function simulate(config: unknown, answers: unknown, script: ScriptStep[]): Promise<Simulation>;

export declare const Pathlight: {
  readonly init: typeof init;
  readonly load: typeof load;
  readonly validate: typeof validate;
  readonly validateAnswers: typeof validateAnswers;
  readonly simulate: typeof simulate;
};
export default Pathlight;

declare global {
  interface Window {
    /** Set by the script-tag entry `auto.js`. */
    Pathlight?: { readonly ready: Promise<PathlightInstance | null> };
  }
}
