'use strict';
/* global module, require */
// Left out of the Lambda bundles: see LEFT_OUT in infra/bundling.ts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require('./unavailable.cjs')('htmlnano');
