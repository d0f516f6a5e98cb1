// Pathlight: the package entry. Loads the wasm once, then creates instances.
// Everything here is a thin wrapper: the behaviour lives in the Rust core.
// Paths are relative to pkg/, where the build writes this file, minified.
import loadWasm, {
  Startup,
  validateConfig,
  validateAnswers as validateAnswersCore,
  simulate as simulateCore,
} from './core/pathlight.js';

let loading = null;

/** The smallest WebAssembly module: a header and nothing else. */
const EMPTY_MODULE = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

/**
 * Why this page cannot run WebAssembly at all, or null when it can.
 * Compiling the empty module is instant and cannot fail for any other reason,
 * so a failure is the page's Content-Security-Policy (without
 * 'wasm-unsafe-eval' the browser refuses every compilation), and it is
 * checked before the real module is fetched: one refusal, one violation report.
 */
function wasmRefused() {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') {
    return {
      code: 'wasm-unsupported',
      message: 'Pathlight cannot start: this browser does not run WebAssembly.',
    };
  }
  try {
    new WebAssembly.Module(EMPTY_MODULE);
    return null;
  } catch (cause) {
    return {
      code: 'wasm-blocked-by-csp',
      message:
        "Pathlight cannot start: this page's Content-Security-Policy does not allow WebAssembly. " +
        "Add 'wasm-unsafe-eval' to its script-src directive (script-src ... 'wasm-unsafe-eval').",
      cause,
    };
  }
}

function pathlightError(message, code, cause) {
  const err = new Error(message, cause === undefined ? undefined : { cause });
  err.name = 'PathlightError';
  err.code = code;
  return err;
}

/**
 * Load the wasm module (once). `init` and `validate` call it for you; call it
 * early to start the download sooner. Rejects with a `PathlightError` whose
 * `code` is `'wasm-blocked-by-csp'` (the page's CSP lacks 'wasm-unsafe-eval'),
 * `'wasm-unsupported'` or `'wasm-load-failed'` (the module could not be
 * fetched or instantiated; `cause` says why).
 * @returns {Promise<void>}
 */
export function load() {
  if (!loading) {
    const refused = wasmRefused();
    if (refused) {
      // Kept: the policy does not change while the page lives, and asking
      // again would only add violation reports.
      loading = Promise.reject(pathlightError(refused.message, refused.code, refused.cause));
      return loading;
    }
    const url = new URL('./core/pathlight_bg.wasm', import.meta.url);
    loading = loadWasm({ module_or_path: url }).then(
      () => undefined,
      (cause) => {
        loading = null;
        const why = cause && cause.message ? cause.message : String(cause);
        throw pathlightError(
          'Pathlight could not load its WebAssembly module (' + url + '): ' + why,
          'wasm-load-failed',
          cause,
        );
      },
    );
  }
  return loading;
}

/**
 * Start Pathlight on this page.
 * @param {import('./pathlight.d.ts').InitOptions} options
 * @returns {Promise<import('./pathlight.d.ts').PathlightInstance>}
 * @example
 * const pl = await Pathlight.init({ config, answers });
 * pl.on('handoff', (payload) => console.log(payload.summary));
 */
export async function init(options) {
  await load();
  // Each step in a task of its own, so that start-up never holds the
  // page's main thread for long (the answers' index and the first use of
  // Intl each take tens of milliseconds on a phone).
  const startup = new Startup(options);
  try {
    startup.config();
    await nextTask();
    startup.answers();
    await nextTask();
    startup.environment();
    await nextTask();
    startup.mount();
    await nextTask();
  } catch (err) {
    startup.free();
    throw err;
  }
  return startup.start();
}

/**
 * Resolves in a later task: `scheduler.yield()` where the browser has it
 * (the page's own work goes first, then ours), else a message to ourselves,
 * which, unlike a timer, background tabs do not throttle to once a second.
 */
function nextTask() {
  try {
    const next = globalThis.scheduler?.yield?.();
    if (typeof next?.then === 'function') return next.then(undefined, () => undefined);
  } catch {
    // A page's own `scheduler` that throws: use the message below.
  }
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Check a config; resolves to the list of problems (empty when valid).
 * @param {unknown} config
 */
export async function validate(config) {
  await load();
  return validateConfig(config);
}

/**
 * Check an answer document; resolves to the list of problems (empty when valid).
 * @param {unknown} answers
 */
export async function validateAnswers(answers) {
  await load();
  return validateAnswersCore(answers);
}

/**
 * Run a scripted journey against a config and answers with a virtual clock;
 * resolves to `{ timeline, end }`: what fired when, and why the rest did not.
 * @example
 * const { timeline, end } = await Pathlight.simulate(config, answers, [
 *   { at: 0, page: '/checkout' }, { at: 5, formError: { field: 'Card', message: 'Declined' } }, { at: 60, end: true },
 * ]);
 */
export async function simulate(config, answers, script) {
  await load();
  return simulateCore(config, answers, script);
}

/** The Pathlight API as one object. */
export const Pathlight = Object.freeze({ init, load, validate, validateAnswers, simulate });
export default Pathlight;
