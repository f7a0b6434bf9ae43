'use strict';
/* global module */
/**
 * What a module left out of demarche's Lambda bundles becomes (infra/bundling.ts,
 * LEFT_OUT): MJML and cheerio require these at load time but only call them
 * for options demarche never uses (minify, beautify, fetching remote CSS,
 * loading documents from URLs or byte buffers). Loading still works; calling
 * anything throws an error that names the module and where it was left out,
 * so a future change that starts using one fails loudly instead of oddly.
 */
module.exports = function unavailable(name) {
  const fail = () => {
    throw new Error(
      `${name} is left out of demarche's Lambda bundles (infra/bundling.ts, LEFT_OUT): ` +
        'demarche never calls it at run time. Remove it from LEFT_OUT if a change needs it.',
    );
  };
  const target = function leftOut() {
    fail();
  };
  // esbuild's ESM interop copies a CommonJS module's own properties onto an
  // object whose prototype is the module's: named imports of members it
  // lacks are looked up here, and are unavailable too.
  const members = new Proxy(Object.create(Function.prototype), {
    get(o, prop) {
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      if (prop === 'default') return proxy;
      if (prop in o) return Reflect.get(o, prop);
      return unavailable(`${name}.${prop}`);
    },
  });
  const proxy = new Proxy(target, {
    apply: fail,
    construct: fail,
    getPrototypeOf: () => members,
    get(t, prop) {
      // A module namespace must not look thenable.
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      // Marked as an ES module, the interop helpers (Babel's, TypeScript's
      // __importStar) read members through this proxy instead of copying the
      // few it has, so a call to any of them still names the module.
      if (prop === '__esModule') return true;
      if (prop === 'default') return proxy;
      if (prop in t) return Reflect.get(t, prop);
      // Members are looked up at load time (const { html } = require('js-beautify')):
      // each is itself unavailable, and throws only when used.
      return unavailable(`${name}.${prop}`);
    },
  });
  return proxy;
};
