// Pathlight: the package entry. Loads the wasm once, then creates instances.
// Everything here is a thin wrapper: the behaviour lives in the Rust core.
import loadWasm, {
  Pathlight as Instance,
  validateConfig,
  validateAnswers as validateAnswersCore,
  simulate as simulateCore,
} from './core/pathlight.js';

let loading = null;

/**
 * Load the wasm module (once). `init` and `validate` call it for you; call it
 * early to start the download sooner.
 * @returns {Promise<void>}
 */
export function load() {
  if (!loading) {
    const url = new URL('./core/pathlight_bg.wasm', import.meta.url);
    loading = loadWasm({ module_or_path: url }).then(
      () => undefined,
      (cause) => {
        loading = null;
        const err = new Error(
          'Pathlight could not load its WebAssembly module (' + url + '). ' +
            "If the page has a Content-Security-Policy, it must allow 'wasm-unsafe-eval' in script-src.",
          { cause },
        );
        err.name = 'PathlightError';
        throw err;
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
  return new Instance(options);
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
