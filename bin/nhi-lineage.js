#!/usr/bin/env node
// The `nhi-lineage` command: the compiled CLI (built into dist/ by `npm run build`, which
// `npm install` runs through the `prepare` script).
'use strict';
require('../dist/apps/cli/src/main.js');
